"""The page's stream contract comes from the server, generated from the Python enums."""

from __future__ import annotations

import json
import re
from pathlib import Path

from agent.stream_contract import ErrorCode
from services.common.chunks import ChunkType, QuestionStatus
from services.dash_ui.app import create_app
from services.dash_ui.contract_js import CONTRACT_JS_URL

STREAM_JS = Path(__file__).parents[3] / "services" / "dash_ui" / "assets" / "stream.js"


def test_the_page_loads_the_contract_script_generated_from_the_enums() -> None:
    app = create_app()
    script = app.server.test_client().get(CONTRACT_JS_URL)
    assert script.status_code == 200 and script.mimetype == "text/javascript"
    text = script.get_data(as_text=True)
    contract = json.loads(re.search(r"Object\.freeze\((.*)\);", text).group(1))
    assert contract["chunk"] == {t.name: t.value for t in ChunkType}
    assert contract["status"] == {s.name: s.value for s in QuestionStatus}
    assert contract["error"]["UNKNOWN_QUESTION"] == ErrorCode.UNKNOWN_QUESTION
    assert CONTRACT_JS_URL in app.index()


def test_stream_js_holds_no_copy_of_the_contract() -> None:
    source = STREAM_JS.read_text()
    words = {*ChunkType, *QuestionStatus, *ErrorCode}
    copies = sorted(w for w in words if re.search(rf"""["']{w.value}["']""", source))
    assert copies == [], copies

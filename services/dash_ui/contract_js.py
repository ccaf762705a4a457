"""The stream contract for the browser: a script the page loads, generated from Python.

stream.js switches on chunk types, statuses and error codes; it reads them from
``window.igaContract``, which this script sets from the same enums the worker and API
use (agent/stream_contract.py, services/common/chunks.py), so the page holds no copy.
page.js reads from it which data attributes make a button ask a question and the store
they go to (ask_buttons.py).
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from agent.stream_contract import ErrorCode
from services.common.chunks import UNKNOWN_QUESTION_FRAME, ChunkType, QuestionStatus
from services.dash_ui import ids

CONTRACT_JS_URL = "/contract.js"


def _members(enum: type[StrEnum]) -> dict[str, str]:
    return {member.name: member.value for member in enum}


def contract() -> dict[str, dict[str, Any]]:
    return {
        "chunk": _members(ChunkType),
        "status": _members(QuestionStatus),
        "error": _members(ErrorCode),
        "frame": {"UNKNOWN_QUESTION": UNKNOWN_QUESTION_FRAME},
        "ask": {"store": ids.ASK_REQUEST, "keys": [ids.ASKS, ids.RETRIES]},
    }


def contract_script() -> str:
    return f"window.igaContract = Object.freeze({json.dumps(contract())});\n"

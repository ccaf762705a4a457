"""What ``genie serve`` and ``genie ask`` do; ``genie_local.commands`` only parses."""

from __future__ import annotations

import json
import logging
import sys
import urllib.error
import urllib.request
from pathlib import Path

from databricks.sdk.errors import DatabricksError

from genie_local.server.client import Answer, local_client
from genie_local.server.client import ask as ask_genie
from services.common.settings import Settings, get_settings

logger = logging.getLogger(__name__)


def serve(db: Path | None, host: str | None, port: int | None) -> int:
    import uvicorn

    from genie_local.server import build_service, create_app
    from genie_local.server.access import access_from_settings

    settings = get_settings()
    db_path = db or settings.local_genie_db
    try:
        service = build_service(db_path, settings)
    except FileNotFoundError as error:
        print(f"inventory-agent genie serve: {error}", file=sys.stderr)
        return 2
    host, port = host or settings.host, port or settings.genie_port
    logger.info("local Genie space %r over %s", settings.genie_space_id, db_path)
    app = create_app(service, access_from_settings(settings, host))
    uvicorn.run(app, host=host, port=port, log_level="warning")
    return 0


def ask(question: str, db: Path | None, conversation_id: str | None, as_json: bool) -> int:
    settings = get_settings()
    try:
        answer = _ask(question, db, conversation_id, settings)
    except (FileNotFoundError, DatabricksError, ConnectionError, TimeoutError) as error:
        print(f"inventory-agent genie ask: {_reason(error)}", file=sys.stderr)
        return 2
    print(json.dumps(answer.as_dict(), indent=2) if as_json else _human(answer))
    return 0 if answer.status == "COMPLETED" else 1


def _ask(question: str, db: Path | None, conversation_id: str | None, settings: Settings) -> Answer:
    url, token = settings.local_genie_url, _required_token(settings)
    if conversation_id is not None:
        if db is not None:
            raise ConnectionError(
                "--db and --conversation-id do not combine: a conversation lives in the "
                "running `genie serve`, which has its own database"
            )
        if not _answers(url):
            raise ConnectionError(
                f"no local Genie server answers at {url}; conversations live in a running "
                "`inventory-agent genie serve`"
            )
    if conversation_id is not None or (db is None and _answers(url)):
        return ask_genie(
            local_client(url, token), settings.genie_space_id, question, conversation_id
        )
    from genie_local.server import build_service
    from genie_local.server.inprocess import serving

    service = build_service(db or settings.local_genie_db, settings)
    with serving(service, token) as local_url:
        return ask_genie(local_client(local_url, token), settings.genie_space_id, question)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


def _required_token(settings: Settings) -> str | None:
    return settings.local_genie_token.get_secret_value() if settings.local_genie_token else None


def _reason(error: BaseException) -> str:
    cause = error.__cause__
    if isinstance(error, TimeoutError) and isinstance(cause, DatabricksError):
        return str(cause)  # the SDK wraps its last error in a retry timeout
    return str(error)


def _human(answer: Answer) -> str:
    lines = [answer.text or f"({answer.status})"]
    if answer.sql:
        lines += ["", answer.sql]
    if answer.columns:
        lines += ["", " | ".join(c["name"] for c in answer.columns)]
        lines += [" | ".join("" if v is None else v for v in row) for row in answer.rows[:20]]
        if len(answer.rows) > 20:
            lines.append(f"… {len(answer.rows) - 20} more rows")
    lines += ["", f"conversation {answer.conversation_id}"]
    return "\n".join(lines)

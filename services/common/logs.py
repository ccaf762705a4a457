"""Structured logs: one line per record, every record about a question tagged with its id.

The API and the worker call ``setup_logging`` once at start. Whoever starts handling a
question calls ``bind_question(id)``: the id lives in a context variable, which asyncio
copies into each task, so every record the task (or what it awaits) logs carries
``question_id`` — a request, a websocket and an arq job each run in a task of their own,
so the binding ends with them. ``grep question_id=q_…`` then follows one question
through the API and every worker.

Format ``text`` (default) is logfmt-style ``key=value`` pairs, readable in a terminal;
``json`` is one object per line for a log shipper. API keys never reach a log: uvicorn's
access log would print ``?api_key=…`` from a websocket URL, so it is masked here.
"""

from __future__ import annotations

import json
import logging
import re
import time
from contextvars import ContextVar
from typing import Literal
from urllib.parse import unquote_plus

QUESTION_ID: ContextVar[str | None] = ContextVar("question_id", default=None)
_BEARER = re.compile(r"([Bb]earer\s+)[^\s&\"']+")
#: a query parameter: its name, then its value; the name is compared once decoded, so
#: ``api%5Fkey`` or ``%61pi_key`` (which Starlette reads as api_key) are masked too
_QUERY_PARAM = re.compile(r"([?&;])([^=&\s\"'?#]+)=([^&\s\"'#]*)")
_SECRET_PARAMS = frozenset({"api_key"})
_QUOTE_NEEDED = re.compile(r"[\s=\"]")

LogFormat = Literal["text", "json"]


def bind_question(question_id: str) -> None:
    """Tag every record the current task logs from now on with ``question_id``."""
    QUESTION_ID.set(question_id)


def mask_secrets(text: str) -> str:
    """The text with bearer tokens and ``api_key`` query values, however spelled, as ***."""
    return _QUERY_PARAM.sub(_mask_param, _BEARER.sub(r"\1***", text))


def _mask_param(match: re.Match[str]) -> str:
    separator, name, _ = match.groups()
    if unquote_plus(name).strip().lower() not in _SECRET_PARAMS:
        return match.group(0)
    return f"{separator}{name}=***"


class QuestionIdFilter(logging.Filter):
    """Copies the bound question id onto each record (an explicit ``extra`` wins)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "question_id", None) is None:
            record.question_id = QUESTION_ID.get()
        return True


def _fields(record: logging.LogRecord, formatter: logging.Formatter) -> dict[str, object]:
    fields: dict[str, object] = {
        "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        + f".{int(record.msecs):03d}Z",
        "level": record.levelname,
        "logger": record.name,
    }
    question_id = getattr(record, "question_id", None)
    if question_id:
        fields["question_id"] = question_id
    fields["msg"] = mask_secrets(record.getMessage())
    if record.exc_info:
        fields["exc"] = mask_secrets(formatter.formatException(record.exc_info))
    return fields


class KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return " ".join(
            f"{key}={_logfmt(str(value))}" for key, value in _fields(record, self).items()
        )


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(_fields(record, self), ensure_ascii=False)


def _logfmt(value: str) -> str:
    return json.dumps(value, ensure_ascii=False) if _QUOTE_NEEDED.search(value) else value


def setup_logging(level: str = "INFO", fmt: LogFormat = "text") -> None:
    """Replace the root logger's handlers with one structured stderr handler.

    uvicorn must be started with ``log_config=None`` so that its loggers propagate here.
    """
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if fmt == "json" else KeyValueFormatter())
    handler.addFilter(QuestionIdFilter())  # a handler filter sees child loggers' records too
    logging.basicConfig(level=level.upper(), handlers=[handler], force=True)

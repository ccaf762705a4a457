"""The agent's stream, as the worker (or any OpenAI Responses client) reads it.

The agent speaks plain OpenAI Responses streaming so that Model Serving, MLflow's
AgentServer and the ``openai`` SDK all carry it unchanged. On top of that, every event
the agent emits carries a ``custom_outputs`` dict whose ``kind`` says what it is:

| kind   | event type                | item               | custom_outputs keys                  |
|--------|---------------------------|--------------------|--------------------------------------|
| status | response.output_item.done | reasoning          | status, message, genie_status,       |
|        |                           |                    | conversation_id                      |
| sql    | response.output_item.done | reasoning (SQL)    | sql, description, conversation_id    |
| table  | response.output_item.done | reasoning (count)  | columns [{name, type}], rows,        |
|        |                           |                    | row_count, truncated                 |
| —      | response.output_text.delta| (item_id, delta)   | deltas of the answer item to follow  |
| answer | response.output_item.done | assistant message  | status, text, conversation_id,       |
|        |                           |                    | message_id, suggested_questions,     |
|        |                           |                    | sql, columns, rows, row_count        |
| error  | response.output_item.done | assistant message  | code, message, retryable,            |
|        |                           |                    | conversation_id                      |

Every status update is a complete output item with its own id, so a client that only
keeps finished items still sees every step. A run ends with exactly one ``answer``
item; after an ``error`` item that answer has ``status`` "failed" and says what happened.
``status`` values are the chunk contract's (DESIGN.md): fetching_metadata,
generating_sql, pending_warehouse, executing, summarizing, completed, retrying, failed,
cancelled. A run's first item is the ``starting`` status; ``retrying`` appears while the
agent backs off a Genie 429 or a lost connection; ``genie_status`` is Genie's own state
name (None on the agent's own statuses). Table cells are the strings Genie returns
(None for NULL): each column's ``type`` is its SQL type, so a reader converts knowingly.

Conversation continuity: pass the Genie conversation id as
``custom_inputs={"conversation_id": ...}`` (or the request ``context.conversation_id``);
the agent returns it in every event's ``custom_outputs``, with the Genie ``message_id``
once Genie has accepted the question. A client whose stream broke resumes that message
with ``custom_inputs={"conversation_id": ..., "message_id": ...}``: the agent polls it
instead of asking Genie again (Genie allows only a few new questions a minute).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from mlflow.types.responses import (
    create_reasoning_item,
    create_text_delta,
    create_text_output_item,
)

KIND_KEY = "kind"
ITEM_DONE = "response.output_item.done"
TEXT_DELTA = "response.output_text.delta"


class Kind(StrEnum):
    STATUS = "status"
    SQL = "sql"
    TABLE = "table"
    ANSWER = "answer"
    ERROR = "error"


def _item_done(item: dict[str, Any], kind: Kind, payload: Mapping[str, Any]) -> dict[str, Any]:
    return {"type": ITEM_DONE, "item": item, "custom_outputs": {KIND_KEY: kind.value, **payload}}


def status_event(item_id: str, status: str, message: str, **payload: Any) -> dict[str, Any]:
    return _item_done(
        create_reasoning_item(item_id, message),
        Kind.STATUS,
        {"status": status, "message": message, **payload},
    )


def sql_event(item_id: str, sql: str, description: str, **payload: Any) -> dict[str, Any]:
    text = f"{description}\n\n```sql\n{sql}\n```" if description else f"```sql\n{sql}\n```"
    return _item_done(
        create_reasoning_item(item_id, text),
        Kind.SQL,
        {"sql": sql, "description": description, **payload},
    )


def table_event(item_id: str, **payload: Any) -> dict[str, Any]:
    """payload: columns [{name, type}], rows, row_count, truncated."""
    rows = payload.get("row_count", len(payload.get("rows", [])))
    return _item_done(create_reasoning_item(item_id, f"{rows} row(s)"), Kind.TABLE, payload)


def text_delta_event(item_id: str, delta: str) -> dict[str, Any]:
    return create_text_delta(delta, item_id)


def answer_event(item_id: str, text: str, **payload: Any) -> dict[str, Any]:
    return _item_done(
        create_text_output_item(text, item_id),
        Kind.ANSWER,
        {"text": text, "status": payload.pop("status", "completed"), **payload},
    )


def error_event(
    item_id: str, code: str, message: str, retryable: bool, **payload: Any
) -> dict[str, Any]:
    return _item_done(
        create_text_output_item(f"⚠️ {message}", item_id),
        Kind.ERROR,
        {"code": code, "message": message, "retryable": retryable, **payload},
    )


def read_event(event: Mapping[str, Any]) -> tuple[Kind | None, dict[str, Any]]:
    """Classify one streamed event (as a dict) into its kind and payload.

    Text deltas come back as ``(None, {"delta": ...})``; events this contract does not
    define come back as ``(None, {})`` so that a reader can skip them.
    """
    if event.get("type") == TEXT_DELTA:
        return None, {"delta": event.get("delta", ""), "item_id": event.get("item_id")}
    outputs = event.get("custom_outputs") or {}
    kind = outputs.get(KIND_KEY)
    if event.get("type") != ITEM_DONE or kind not in Kind._value2member_map_:
        return None, {}
    return Kind(kind), {k: v for k, v in outputs.items() if k != KIND_KEY}

"""Building the agent's stream events: one function per kind of agent/stream_contract.py.

Items are made only with MLflow's helper constructors, so each is a valid Responses
output item; the contract's ``custom_outputs`` ride on the ``output_item.done`` event.
Both modes (direct to Genie, and the language model's tool loop) build their events
here, so every client sees one shape.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from uuid import uuid4

from mlflow.types.responses import (
    create_function_call_item,
    create_function_call_output_item,
    create_reasoning_item,
    create_text_delta,
    create_text_output_item,
)

from agent.stream_contract import ITEM_DONE, KIND_KEY, Kind, Status


def new_id(prefix: str) -> str:
    return f"{prefix}_{uuid4().hex[:16]}"


def _item_done(item: dict[str, Any], kind: Kind, payload: Mapping[str, Any]) -> dict[str, Any]:
    return {"type": ITEM_DONE, "item": item, "custom_outputs": {KIND_KEY: kind.value, **payload}}


def status_event(
    item_id: str, status: Status | str, message: str, **payload: Any
) -> dict[str, Any]:
    """payload: genie_status, conversation_id, and ``code`` (an ErrorCode) when retrying."""
    return _item_done(
        create_reasoning_item(item_id, message),
        Kind.STATUS,
        {"status": str(status), "message": message, **payload},
    )


def tool_call_event(
    item_id: str, call_id: str, name: str, arguments: Mapping[str, Any] | str
) -> dict[str, Any]:
    """The agent calls a tool: a standard ``function_call`` item.

    ``arguments`` as a mapping, or as the JSON text a language model wrote (passed on
    as written, even when it is not valid JSON: the client sees what was asked).
    """
    text = arguments if isinstance(arguments, str) else json.dumps(arguments)
    item = create_function_call_item(item_id, call_id, name, text)
    return _item_done(item, Kind.TOOL_CALL, {"name": name, "call_id": call_id})


def tool_result_event(call_id: str, output: Mapping[str, Any], **payload: Any) -> dict[str, Any]:
    """The tool's result: a standard ``function_call_output`` item, ``output`` as JSON text.

    payload: what the contract repeats in custom_outputs (conversation_id, message_id,
    status), so a reader need not parse the output.
    """
    item = create_function_call_output_item(call_id, json.dumps(output, default=str))
    return _item_done(item, Kind.TOOL_RESULT, {"call_id": call_id, **payload})


def sql_event(item_id: str, sql: str, description: str, **payload: Any) -> dict[str, Any]:
    text = f"{description}\n\n```sql\n{sql}\n```" if description else f"```sql\n{sql}\n```"
    return _item_done(
        create_reasoning_item(item_id, text),
        Kind.SQL,
        {"sql": sql, "description": description, **payload},
    )


def table_event(item_id: str, **payload: Any) -> dict[str, Any]:
    """payload: columns [{name, type}], rows, row_count, truncated, conversation_id."""
    rows = payload.get("row_count", len(payload.get("rows", [])))
    return _item_done(create_reasoning_item(item_id, f"{rows} row(s)"), Kind.TABLE, payload)


def text_delta_event(item_id: str, delta: str) -> dict[str, Any]:
    return create_text_delta(delta, item_id)


def answer_event(item_id: str, text: str, **payload: Any) -> dict[str, Any]:
    """payload: status (default completed), conversation_id, message_id, suggested_questions."""
    return _item_done(
        create_text_output_item(text, item_id),
        Kind.ANSWER,
        {"text": text, "status": str(payload.pop("status", Status.COMPLETED)), **payload},
    )


def error_event(
    item_id: str, code: str, message: str, retryable: bool, **payload: Any
) -> dict[str, Any]:
    return _item_done(
        create_text_output_item(f"⚠️ {message}", item_id),
        Kind.ERROR,
        {"code": str(code), "message": message, "retryable": retryable, **payload},
    )

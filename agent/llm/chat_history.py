"""The request's history as the chat messages a chat-completions model reads.

A client (AI Playground, Databricks' chat templates, the openai SDK) sends the whole
conversation back as Responses items. The model needs it as chat-completions messages:
user and assistant messages as they are, each run of ``function_call`` items as one
assistant message with ``tool_calls``, and each ``function_call_output`` as a ``tool``
message. The agent's own progress items (reasoning: statuses, SQL, row counts) are
left out: the tool results already carry what they said. A call without its output,
or an output without its call, is dropped, as chat-completions servers reject either.
(Which Genie conversation the history continues is agent/history.py's business.)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel

ChatMessage = dict[str, Any]
_ROLES = {"user", "assistant", "system", "developer"}


def _as_dicts(items: Iterable[BaseModel | Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [item.model_dump() if isinstance(item, BaseModel) else dict(item) for item in items]


def text_of(content: Any) -> str:
    """A message's text: a string, or the text parts of a content list."""
    if isinstance(content, str):
        return content
    return "".join(p.get("text") or "" for p in content or [] if isinstance(p, dict))


def _paired_call_ids(items: list[dict[str, Any]]) -> set[str]:
    calls = {i["call_id"] for i in items if i.get("type") == "function_call"}
    outputs = {i["call_id"] for i in items if i.get("type") == "function_call_output"}
    return calls & outputs


def chat_messages(items: Iterable[BaseModel | Mapping[str, Any]]) -> list[ChatMessage]:
    """The Responses input items as chat-completions messages (see the module doc)."""
    items = _as_dicts(items)
    paired = _paired_call_ids(items)
    messages: list[ChatMessage] = []
    for item in items:
        kind = item.get("type")
        if kind == "function_call" and item["call_id"] in paired:
            call = {
                "id": item["call_id"],
                "type": "function",
                "function": {"name": item["name"], "arguments": item.get("arguments") or "{}"},
            }
            last = messages[-1] if messages else None
            if last and last["role"] == "assistant" and "tool_calls" in last:
                last["tool_calls"].append(call)
            else:
                messages.append({"role": "assistant", "content": None, "tool_calls": [call]})
        elif kind == "function_call_output" and item["call_id"] in paired:
            output = item.get("output")
            content = output if isinstance(output, str) else json.dumps(output, default=str)
            messages.append({"role": "tool", "tool_call_id": item["call_id"], "content": content})
        elif kind in (None, "message") and item.get("role") in _ROLES:
            text = text_of(item.get("content"))
            if text:
                messages.append({"role": item["role"], "content": text})
    return messages

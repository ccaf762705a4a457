"""What a request's history says: the question, the Genie conversation, the earlier turns.

Clients send conversations in different ways. The worker passes the Genie conversation
id in ``custom_inputs``; AI Playground and Databricks' chat templates send the whole
history back and nothing else. That history holds the agent's own
``function_call_output`` items, whose JSON carries the Genie conversation id
(agent/genie_outcome.py), so the conversation continues either way. A history with no
such item (another agent's, or a hand-written one) still has the earlier user turns:
they go along with the question as context to a new Genie conversation.
"""

from __future__ import annotations

import json
from typing import Any

from mlflow.types.responses import ResponsesAgentRequest

from agent.stream_contract import GENIE_TOOL


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    parts = content or []
    return "".join(p.get("text", "") for p in parts if isinstance(p, dict))


def _items(request: ResponsesAgentRequest) -> list[dict[str, Any]]:
    return [item.model_dump() for item in request.input]


def _user_turns(request: ResponsesAgentRequest) -> list[str]:
    turns = (_text_of(i.get("content")).strip() for i in _items(request) if i.get("role") == "user")
    return [turn for turn in turns if turn]


def question_of(request: ResponsesAgentRequest) -> str:
    """The last user message: the question this turn answers."""
    turns = _user_turns(request)
    return turns[-1] if turns else ""


def earlier_questions(request: ResponsesAgentRequest, limit: int) -> list[str]:
    """Up to ``limit`` user turns before the question, oldest first."""
    return _user_turns(request)[:-1][-limit:] if limit else []


def _conversation_in_history(request: ResponsesAgentRequest) -> str | None:
    """The Genie conversation id of the latest query_genie_space result in the history.

    A result whose call is in the history must be the Genie tool's; one whose call was
    trimmed away counts if its JSON names a conversation.
    """
    items = _items(request)
    calls = {i.get("call_id"): i.get("name") for i in items if i.get("type") == "function_call"}
    for item in reversed(items):
        if item.get("type") != "function_call_output":
            continue
        if calls.get(item.get("call_id"), GENIE_TOOL) != GENIE_TOOL:
            continue
        try:
            output = json.loads(item.get("output") or "")
        except (TypeError, ValueError):
            continue
        if isinstance(output, dict) and output.get("conversation_id"):
            return str(output["conversation_id"])
    return None


def genie_conversation_of(request: ResponsesAgentRequest) -> str | None:
    """The Genie conversation to continue: custom_inputs, else the history, else the context."""
    from_inputs = (request.custom_inputs or {}).get("conversation_id")
    from_context = request.context.conversation_id if request.context else None
    return from_inputs or _conversation_in_history(request) or from_context or None


def resumed_message_of(request: ResponsesAgentRequest) -> str | None:
    """A Genie message already started for this question (a retried request): poll it."""
    return (request.custom_inputs or {}).get("message_id") or None


def with_context(question: str, earlier: list[str]) -> str:
    """The question for a new Genie conversation, with the user's earlier turns before it."""
    if not earlier:
        return question
    asked = "\n".join(f"- {turn}" for turn in earlier)
    return f"Earlier in this conversation I asked:\n{asked}\n\nNow: {question}"

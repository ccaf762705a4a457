"""A client's history becomes the chat messages a chat-completions model accepts."""

from __future__ import annotations

import json

from mlflow.types.responses import ResponsesAgentRequest

from agent.llm.chat_history import chat_messages


def _call(call_id: str, name: str = "query_genie_space") -> dict:
    arguments = json.dumps({"question": "q"})
    return {"type": "function_call", "id": f"fc_{call_id}", "call_id": call_id, "name": name,
            "arguments": arguments}  # fmt: skip


def _output(call_id: str, conversation_id: str | None = None) -> dict:
    output = json.dumps({"status": "completed", "conversation_id": conversation_id})
    return {"type": "function_call_output", "call_id": call_id, "output": output}


HISTORY = [
    {"role": "user", "content": "What parts are low stock?"},
    {"type": "reasoning", "id": "status_1", "summary": [{"type": "summary_text", "text": "📝"}]},
    _call("a"),
    _call("b"),
    _output("a", "conv-1"),
    _output("b", "conv-2"),
    {"type": "message", "id": "answer_1", "role": "assistant", "status": "completed",
     "content": [{"type": "output_text", "text": "Twelve parts.", "annotations": []}]},
    {"role": "user", "content": [{"type": "input_text", "text": "just in Seattle"}]},
]  # fmt: skip


def test_parallel_calls_are_one_assistant_message_and_statuses_are_left_out() -> None:
    request = ResponsesAgentRequest(input=HISTORY)
    messages = chat_messages(request.input)
    roles = [m["role"] for m in messages]
    assert roles == ["user", "assistant", "tool", "tool", "assistant", "user"]
    assert [c["id"] for c in messages[1]["tool_calls"]] == ["a", "b"]
    assert messages[1]["content"] is None
    assert [m["tool_call_id"] for m in messages[2:4]] == ["a", "b"]
    assert messages[4]["content"] == "Twelve parts."
    assert messages[5]["content"] == "just in Seattle"


def test_a_call_without_its_output_and_an_output_without_its_call_are_dropped() -> None:
    messages = chat_messages([{"role": "user", "content": "hi"}, _call("lost"), _output("stray")])
    assert messages == [{"role": "user", "content": "hi"}]

"""What the agent reads from a request: the question, the Genie conversation, earlier turns."""

from __future__ import annotations

import json

from mlflow.types.responses import ResponsesAgentRequest

from agent.history import earlier_questions, genie_conversation_of, question_of, with_context
from agent.stream_contract import GENIE_TOOL


def _request(*items: dict, **extra: object) -> ResponsesAgentRequest:
    return ResponsesAgentRequest(input=list(items), **extra)


def _user(text: str) -> dict:
    return {"role": "user", "content": text}


def _genie_call(call_id: str, conversation_id: str | None) -> list[dict]:
    output = {"conversation_id": conversation_id, "status": "completed"}
    return [
        {"type": "function_call", "id": f"fc_{call_id}", "call_id": call_id,
         "name": GENIE_TOOL, "arguments": json.dumps({"question": "q"})},
        {"type": "function_call_output", "call_id": call_id, "output": json.dumps(output)},
    ]  # fmt: skip


def test_the_question_is_the_last_user_turn() -> None:
    request = _request(_user("What parts are low stock?"), _user("  just in Seattle "))
    assert question_of(request) == "just in Seattle"
    assert earlier_questions(request, 3) == ["What parts are low stock?"]
    assert question_of(_request({"role": "assistant", "content": "hi"})) == ""


def test_the_latest_genie_result_in_the_history_names_the_conversation() -> None:
    history = [_user("a"), *_genie_call("c1", "conv-1"), _user("b"), *_genie_call("c2", "conv-2")]
    assert genie_conversation_of(_request(*history, _user("c"))) == "conv-2"


def test_custom_inputs_win_and_context_is_the_last_resort() -> None:
    history = [_user("a"), *_genie_call("c1", "conv-1"), _user("b")]
    chosen = _request(*history, custom_inputs={"conversation_id": "from-inputs"})
    assert genie_conversation_of(chosen) == "from-inputs"
    only_context = _request(_user("a"), context={"conversation_id": "from-context"})
    assert genie_conversation_of(only_context) == "from-context"
    assert genie_conversation_of(_request(_user("a"))) is None


def test_another_tools_output_or_unreadable_output_is_not_a_genie_conversation() -> None:
    other = [
        {"type": "function_call", "id": "fc", "call_id": "x", "name": "search_docs",
         "arguments": "{}"},
        {"type": "function_call_output", "call_id": "x", "output": '{"conversation_id": "no"}'},
        {"type": "function_call_output", "call_id": "y", "output": "not json"},
    ]  # fmt: skip
    assert genie_conversation_of(_request(_user("a"), *other, _user("b"))) is None


def test_a_new_conversation_carries_the_earlier_turns() -> None:
    text = with_context("just in Seattle", ["What parts are low stock?"])
    assert "What parts are low stock?" in text and text.endswith("Now: just in Seattle")
    assert with_context("q", []) == "q"
    request = _request(*[_user(str(n)) for n in range(6)])
    assert earlier_questions(request, 3) == ["2", "3", "4"]
    assert earlier_questions(request, 0) == []

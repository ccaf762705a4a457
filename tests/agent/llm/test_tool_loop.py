"""The language model's tool loop end to end: stand-in model, real openai client, local Genie.

Each test scripts the stand-in model (or leaves it as the default tool-using model,
which asks Genie the user's words verbatim and answers from the result) and reads the
agent's stream as a client would, and what the model was sent as the model saw it.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from agent.genie_agent import InventoryGenieAgent
from agent.stream_contract import Kind, read_event
from harness.processes import Server, free_port
from tests.agent.llm.conftest import MODEL, items_of, tool_outputs, turn

pytestmark = pytest.mark.servers

QUESTION = "What parts are low stock?"


def _kinds(events: list[dict]) -> dict[Kind, list[dict]]:
    found: dict[Kind, list[dict]] = {}
    for event in filter(None, map(read_event, events)):
        found.setdefault(event.kind, []).append(event.payload)
    return found


def _text(events: list[dict]) -> str:
    return "".join(delta["delta"] for delta in _kinds(events).get(Kind.TEXT, []))


def _answer(events: list[dict]) -> dict:
    [answer] = _kinds(events)[Kind.ANSWER]
    return answer


def test_the_model_asks_genie_and_answers_from_the_result(
    llm_settings: Callable, script: Callable, model_requests: Callable
) -> None:
    agent = InventoryGenieAgent(llm_settings(tool_output_rows=5))
    events = turn(agent, QUESTION)
    kinds = _kinds(events)
    assert next(filter(None, map(read_event, events))).kind == Kind.TOOL_CALL  # first
    [call] = items_of(events, "function_call")
    assert call["name"] == "query_genie_space"
    assert json.loads(call["arguments"]) == {"question": QUESTION}
    # Genie's progress (polls may miss a short state), SQL and full table stream while
    # the tool runs; then the model writes.
    statuses = [s["status"] for s in kinds[Kind.STATUS]]
    assert statuses[-2:] == ["completed", "summarizing"]
    assert any(s["genie_status"] for s in kinds[Kind.STATUS])
    [sql] = kinds[Kind.SQL]
    [table] = kinds[Kind.TABLE]
    [output] = tool_outputs(events)
    assert output["status"] == "completed" and output["sql"] == sql["sql"]
    assert output["conversation_id"] and output["message_id"]
    assert output["row_count"] == table["row_count"] > 5
    assert output["rows"] == table["rows"][:5] and output["truncated"] == table["truncated"]
    assert [c["name"] for c in output["columns"]] == [c["name"] for c in table["columns"]]
    # The model got the result as a tool message answering its call, and answered.
    first, second = model_requests()
    assert first["model"] == MODEL and first["authorization"] == "Bearer test-key"
    assert (
        first["messages"][0]["role"] == "system" and "2026-06-30" in first["messages"][0]["content"]
    )
    tools = [t["function"]["name"] for t in first["tools"]]
    assert tools == ["query_genie_space", "search_inventory_docs"]
    tool_message = second["messages"][-1]
    assert tool_message["role"] == "tool" and tool_message["tool_call_id"] == call["call_id"]
    assert json.loads(tool_message["content"]) == output
    answer = _answer(events)
    assert answer["status"] == "completed" and answer["text"] == _text(events)
    assert f"Genie found {table['row_count']} row(s)" in answer["text"]
    assert answer["conversation_id"] == output["conversation_id"]
    assert events[-1]["type"] == "response.completed"
    assert list(filter(None, map(read_event, events)))[-1].kind == Kind.ANSWER


def test_a_follow_up_sent_as_history_continues_the_genie_conversation(
    llm_settings: Callable, script: Callable, model_requests: Callable
) -> None:
    agent = InventoryGenieAgent(llm_settings())
    first = turn(agent, QUESTION)
    [earlier] = tool_outputs(first)
    history = [
        {"role": "user", "content": QUESTION},
        *items_of(first, "function_call"),
        *items_of(first, "function_call_output"),
        {"role": "assistant", "content": _answer(first)["text"]},
    ]
    follow_up = turn(agent, *history, "just in Seattle")
    [output] = tool_outputs(follow_up)
    assert output["status"] == "completed"
    assert output["conversation_id"] == earlier["conversation_id"]
    assert output["message_id"] != earlier["message_id"]
    assert output["row_count"] < earlier["row_count"]
    sent = model_requests()[-2]["messages"]  # the follow-up's first request
    assert [m["role"] for m in sent] == ["system", "user", "assistant", "tool", "assistant", "user"]
    assert sent[2]["tool_calls"][0]["function"]["name"] == "query_genie_space"


def test_a_retried_turn_polls_the_genie_message_its_first_try_started(
    llm_settings: Callable, script: Callable, genie_server: Server
) -> None:
    """The worker retries a turn with the Genie message it saw started: the retry's first
    call reads that message, though the model words it differently; a second call asks."""
    agent = InventoryGenieAgent(llm_settings())
    [first_try] = tool_outputs(turn(agent, QUESTION))
    resumed = {k: first_try[k] for k in ("conversation_id", "message_id")}
    reworded = {"name": "query_genie_space", "arguments": {"question": "Which parts run low?"}}
    seattle = {"name": "query_genie_space", "arguments": {"question": "just in Seattle"}}
    script({"tool_calls": [reworded]}, {"tool_calls": [seattle]})
    starts = _genie_starts(genie_server)

    events = turn(agent, QUESTION, custom_inputs=resumed)

    again, follow_up = tool_outputs(events)
    assert again["status"] == "completed" and again["message_id"] == first_try["message_id"]
    assert again["sql"] == first_try["sql"] and again["row_count"] == first_try["row_count"]
    assert follow_up["status"] == "completed"
    assert follow_up["conversation_id"] == first_try["conversation_id"]
    assert follow_up["message_id"] not in (first_try["message_id"], None)
    assert _genie_starts(genie_server) == starts + 1  # the follow-up's; none for the retry
    assert len(_kinds(events)[Kind.SQL]) == 2
    assert _answer(events)["status"] == "completed"


def _genie_starts(genie: Server) -> int:
    return httpx.get(f"{genie.url}/local/stats", timeout=5).json()["starts"]


def test_a_tool_error_is_fed_back_to_the_model(
    llm_settings: Callable, script: Callable, model_requests: Callable
) -> None:
    nothing_there = free_port()
    agent = InventoryGenieAgent(llm_settings(genie_port=nothing_there, genie_rate_limit_retries=0))
    events = turn(agent, QUESTION)
    [output] = tool_outputs(events)
    assert output["status"] == "failed" and output["error"]["code"] == "unreachable"
    tool_message = model_requests()[-1]["messages"][-1]
    assert tool_message["role"] == "tool" and json.loads(tool_message["content"]) == output
    answer = _answer(events)
    assert answer["status"] == "completed"
    assert answer["text"].startswith("Genie could not answer: Genie could not be reached")
    assert Kind.ERROR not in _kinds(events)  # the model recovered: the turn did not fail


def test_calls_past_the_bound_are_not_run_and_the_model_must_answer(
    llm_settings: Callable, script: Callable, model_requests: Callable
) -> None:
    questions = ("How many parts are there?", "How many suppliers?", "How many warehouses?")
    three = [{"name": "query_genie_space", "arguments": {"question": q}} for q in questions]
    script({"tool_calls": three})
    agent = InventoryGenieAgent(llm_settings(agent_max_tool_calls=2))
    events = turn(agent, QUESTION)
    outputs = tool_outputs(events)
    assert [o["status"] for o in outputs] == ["completed", "completed", "failed"]
    assert outputs[2]["error"]["code"] == "tool_limit"
    assert len(_kinds(events)[Kind.SQL]) == 2  # Genie was asked twice, not three times
    requests = model_requests()
    assert [r["tool_choice"] for r in requests] == ["auto", "none"]
    assert _answer(events)["status"] == "completed"


def test_a_model_that_keeps_calling_tools_is_stopped(
    llm_settings: Callable, script: Callable, model_requests: Callable
) -> None:
    script({"tool_calls": [{"name": "query_genie_space", "arguments": {"question": "{user}"}}],
            "forever": True})  # fmt: skip
    agent = InventoryGenieAgent(llm_settings(agent_max_tool_calls=2))
    events = turn(agent, QUESTION)
    assert [o["status"] for o in tool_outputs(events)] == ["completed", "completed"]
    [error] = _kinds(events)[Kind.ERROR]
    assert error["code"] == "tool_limit" and "2 calls" in error["message"]
    assert _answer(events)["status"] == "failed"
    assert len(model_requests()) == 3


def test_a_model_can_answer_without_a_tool(
    llm_settings: Callable, script: Callable, model_requests: Callable
) -> None:
    script({"content": "Hello! I answer questions about inventory: stock, parts and orders."})
    events = turn(InventoryGenieAgent(llm_settings()), "hi there")
    assert not items_of(events, "function_call")
    kinds = _kinds(events)
    assert Kind.SQL not in kinds and Kind.TABLE not in kinds
    answer = _answer(events)
    assert answer["status"] == "completed" and answer["text"] == _text(events)
    assert answer["text"].startswith("Hello! I answer")
    assert answer["conversation_id"] is None
    assert len(model_requests()) == 1


def test_an_unknown_tool_is_told_to_the_model(
    llm_settings: Callable, script: Callable, model_requests: Callable
) -> None:
    script({"tool_calls": [{"name": "drop_all_tables", "arguments": {}}]})
    events = turn(InventoryGenieAgent(llm_settings()), QUESTION)
    [call] = items_of(events, "function_call")
    assert call["name"] == "drop_all_tables"
    [output] = tool_outputs(events)
    assert output["error"]["code"] == "unknown_tool"
    assert "query_genie_space" in output["error"]["message"]
    tool_message = model_requests()[-1]["messages"][-1]
    assert tool_message["tool_call_id"] == call["call_id"]
    assert _answer(events)["status"] == "completed"


def test_a_model_endpoint_that_is_down_ends_the_turn_clearly(llm_settings: Callable) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}/v1"
    events = turn(InventoryGenieAgent(llm_settings(agent_llm_base_url=nowhere)), QUESTION)
    [error] = _kinds(events)[Kind.ERROR]
    assert error["code"] == "llm_unavailable" and error["retryable"] is True
    assert nowhere in error["message"] and "Traceback" not in error["message"]
    answer = _answer(events)
    assert answer["status"] == "failed" and error["message"] in answer["text"]


def test_a_failing_model_endpoint_is_named(llm_settings: Callable, script: Callable) -> None:
    script({"status": 503, "message": "model overloaded"})
    events = turn(InventoryGenieAgent(llm_settings()), QUESTION)
    [error] = _kinds(events)[Kind.ERROR]
    assert error["code"] == "llm_error" and error["retryable"] is True
    assert "503" in error["message"] and "model overloaded" in error["message"]


def test_a_hung_model_ends_at_the_turns_deadline(llm_settings: Callable, script: Callable) -> None:
    script({"stall_s": 30})
    events = turn(InventoryGenieAgent(llm_settings(agent_deadline_s=1.0)), QUESTION)
    [error] = _kinds(events)[Kind.ERROR]
    assert error["code"] == "timeout"
    assert _answer(events)["status"] == "failed"


def test_a_databricks_serving_endpoint_is_reached_with_workspace_auth(
    llm_settings: Callable, script: Callable, model_requests: Callable, scripted_model: Server
) -> None:
    script({"content": "Hello from the endpoint."})
    settings = llm_settings(
        agent_llm_endpoint="inventory-llm",
        agent_llm_base_url=None,
        databricks_host=scripted_model.url,
        databricks_token="dapi-endpoint-test",
    )
    events = turn(InventoryGenieAgent(settings), "hi")
    assert _answer(events)["text"] == "Hello from the endpoint."
    [request] = model_requests()
    assert request["model"] == "inventory-llm"
    assert request["authorization"] == "Bearer dapi-endpoint-test"


def test_a_model_server_that_does_not_stream_still_works(
    llm_settings: Callable, script: Callable, model_requests: Callable
) -> None:
    call = {"name": "query_genie_space", "arguments": {"question": "{user}"}}
    script({"tool_calls": [call], "whole": True}, {"content": "Twelve parts.", "whole": True})
    events = turn(InventoryGenieAgent(llm_settings()), QUESTION)
    [output] = tool_outputs(events)
    assert output["status"] == "completed"
    assert json.loads(items_of(events, "function_call")[0]["arguments"]) == {"question": QUESTION}
    answer = _answer(events)
    assert answer["text"] == _text(events) == "Twelve parts."
    assert model_requests()[-1]["messages"][-1]["role"] == "tool"

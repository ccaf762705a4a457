"""serve-agent through the official openai client: every step, the tool items, the answer."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
from openai import OpenAI

from agent.stream_contract import GENIE_TOOL, Kind
from harness.agent_stream import stream_answer
from harness.processes import Server

QUESTION = "Which parts are below reorder point?"
MAIN_STEPS = ["fetching_metadata", "generating_sql", "executing", "completed"]


def _in_order(seen: list[str], expected: list[str]) -> bool:
    remaining = iter(seen)
    return all(step in remaining for step in expected)


def test_health(agent_server: Server) -> None:
    assert httpx.get(f"{agent_server.url}/health").json() == {"status": "healthy"}


def test_a_genie_taking_its_time_shows_every_step_in_order(
    own_client: OpenAI, genie_config: Callable
) -> None:
    genie_config(step_delay_s=0.3)  # each Genie state lasts long enough to be polled
    run = stream_answer(own_client, QUESTION)
    assert _in_order(run.statuses, MAIN_STEPS), run.statuses
    messages = [p["message"] for p in run.of(Kind.STATUS)]
    assert "🔍 Generating SQL…" in messages and "⚡ Executing query…" in messages
    assert run.answer["status"] == "completed"


def test_stream_is_a_genie_tool_call_with_its_steps_sql_table_and_the_answer(
    client: OpenAI,
) -> None:
    run = stream_answer(client, QUESTION)

    kinds = [kind for kind, _ in run.events]
    assert kinds[0] == Kind.TOOL_CALL and kinds[-1] == Kind.ANSWER and Kind.ERROR not in kinds
    assert kinds.index(Kind.TABLE) < kinds.index(Kind.TOOL_RESULT) < kinds.index(Kind.ANSWER)
    assert "starting" not in run.statuses  # the worker says it; the agent does not repeat it
    assert "completed" in run.statuses
    [call] = run.of(Kind.TOOL_CALL)
    assert call["name"] == GENIE_TOOL
    [sql] = run.of(Kind.SQL)
    assert sql["sql"].lstrip().upper().startswith(("SELECT", "WITH"))
    [table] = run.of(Kind.TABLE)
    assert table["columns"] and all({"name", "type"} <= set(c) for c in table["columns"])
    assert table["row_count"] >= len(table["rows"])
    answer = run.answer
    assert answer["status"] == "completed"
    assert answer["text"] and run.text == answer["text"]
    assert answer["conversation_id"] and answer["message_id"]
    assert isinstance(answer["suggested_questions"], list)
    assert "rows" not in answer and "columns" not in answer  # the table travels once
    [result] = run.of(Kind.TOOL_RESULT)
    assert (result["call_id"], result["status"]) == (call["call_id"], "completed")
    assert result["conversation_id"] == answer["conversation_id"]


def test_every_event_after_genie_accepts_carries_the_conversation_id(client: OpenAI) -> None:
    run = stream_answer(client, QUESTION)
    conversation_id = run.answer["conversation_id"]
    later = [p for k, p in run.events if k in (Kind.SQL, Kind.TABLE, Kind.TOOL_RESULT)]
    later += run.of(Kind.STATUS)[1:]
    assert later and all(p["conversation_id"] == conversation_id for p in later)


def test_the_tool_output_is_what_a_model_reads(client: OpenAI) -> None:
    response = client.responses.create(model="m", input=QUESTION)
    [call] = [item for item in response.output if item.type == "function_call"]
    [result] = [item for item in response.output if item.type == "function_call_output"]
    assert call.name == GENIE_TOOL and json.loads(call.arguments) == {"question": QUESTION}
    assert result.call_id == call.call_id
    output = json.loads(result.output)
    expected = {"conversation_id", "message_id", "status", "sql", "description", "columns"}
    assert expected | {"row_count", "truncated", "text", "rows"} <= set(output)
    assert output["status"] == "completed" and output["sql"]
    assert len(output["rows"]) <= 20 and output["row_count"] >= len(output["rows"])


def test_follow_up_continues_the_same_genie_conversation(client: OpenAI) -> None:
    first = stream_answer(client, QUESTION)
    conversation_id = first.answer["conversation_id"]
    follow_up = stream_answer(client, "only in the Chicago DC", conversation_id)
    assert follow_up.answer["status"] == "completed"
    assert follow_up.answer["conversation_id"] == conversation_id
    assert follow_up.answer["message_id"] != first.answer["message_id"]


def test_unknown_conversation_id_starts_a_new_conversation(client: OpenAI) -> None:
    run = stream_answer(client, QUESTION, conversation_id="no-such-conversation")
    assert run.answer["status"] == "completed"
    assert run.answer["conversation_id"] not in (None, "no-such-conversation")


def test_empty_question_gets_a_clear_failed_answer(client: OpenAI) -> None:
    run = stream_answer(client, "   ")
    [error] = run.of(Kind.ERROR)
    assert (error["code"], error["retryable"]) == ("bad_request", False)
    assert run.answer["status"] == "failed" and "inventory" in run.answer["text"]
    assert not run.of(Kind.TOOL_CALL)


def test_invocations_without_streaming_returns_items_and_the_answer(agent_server: Server) -> None:
    body = {"input": [{"role": "user", "content": QUESTION}]}
    response = httpx.post(f"{agent_server.url}/invocations", json=body, timeout=30)
    assert response.status_code == 200
    result = response.json()
    assert result["custom_outputs"]["status"] == "completed"
    assert result["output"][0]["type"] == "function_call"
    assert result["output"][-1]["type"] == "message"
    assert (result["id"], result["status"], result["model"]) != (None, None, None)


def test_malformed_request_is_a_clear_400(agent_server: Server) -> None:
    response = httpx.post(f"{agent_server.url}/responses", json={"stream": True}, timeout=10)
    assert response.status_code == 400
    assert '"input"' in response.json()["detail"] and "messages" in response.json()["detail"]

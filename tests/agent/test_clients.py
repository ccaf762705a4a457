"""Every client a user may hold a conversation with: each against the real agent server,
or the loopback Model Serving stand-in (harness/serving_endpoint.py). docs/clients.md
lists the same clients."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from databricks.sdk import WorkspaceClient
from openai import OpenAI

from agent.genie_agent import AGENT_NAME
from agent.stream_contract import GENIE_TOOL
from harness.processes import Server
from harness.serving_endpoint import ServingEndpoint
from tests.conftest import SERVING_TOKEN

QUESTION = "What parts are low stock?"
ENDPOINT = "inventory-genie-agent-endpoint"


def _tool_output(items: list[Any]) -> dict[str, Any]:
    [output] = [item for item in items if item.type == "function_call_output"]
    return json.loads(output.output)


def test_openai_create_streamed(client: OpenAI) -> None:
    stream = client.responses.create(
        model=AGENT_NAME, input=[{"role": "user", "content": QUESTION}], stream=True
    )
    events = list(stream)
    assert events[0].type == "response.created" and events[-1].type == "response.completed"
    text = "".join(e.delta for e in events if e.type == "response.output_text.delta")
    assert text and text == events[-1].response.output_text


def test_openai_stream_helper_gets_the_whole_lifecycle(client: OpenAI) -> None:
    with client.responses.stream(model=AGENT_NAME, input=QUESTION) as stream:
        events = list(stream)
        final = stream.get_final_response()
    types = [event.type for event in events]
    assert types[0] == "response.created" and types[-1] == "response.completed"
    assert [event.sequence_number for event in events] == list(range(len(events)))
    added = {e.output_index: e.item.type for e in events if e.type == "response.output_item.added"}
    done = {e.output_index: e.item.type for e in events if e.type == "response.output_item.done"}
    assert added == done and sorted(done) == list(range(len(done)))
    assert (final.status, final.model) == ("completed", AGENT_NAME) and final.id
    assert final.output[0].type == "function_call"
    assert final.output_text and _tool_output(final.output)["status"] == "completed"


def test_openai_not_streamed_has_id_status_and_model(client: OpenAI) -> None:
    response = client.responses.create(model=AGENT_NAME, input=QUESTION)
    assert response.id.startswith("resp_")
    assert (response.status, response.model) == ("completed", AGENT_NAME)
    assert response.output_text


def test_a_string_input_streams(client: OpenAI) -> None:
    events = list(client.responses.create(model=AGENT_NAME, input=QUESTION, stream=True))
    assert events[-1].type == "response.completed"
    assert events[-1].response.output_text


def test_chat_messages_are_read_as_the_input(agent_server: Server) -> None:
    body = {"messages": [{"role": "user", "content": QUESTION}]}
    response = httpx.post(f"{agent_server.url}/responses", json=body, timeout=60)
    assert response.status_code == 200, response.text
    assert response.json()["custom_outputs"]["status"] == "completed"


def test_a_follow_up_sent_as_history_continues_the_genie_conversation(client: OpenAI) -> None:
    """How AI Playground and Databricks' chat templates ask: the history, no ids."""
    first = client.responses.create(model=AGENT_NAME, input=QUESTION)
    history = [{"role": "user", "content": QUESTION}]
    history += [item.to_dict() for item in first.output]
    history += [{"role": "user", "content": "just in Seattle"}]
    follow_up = client.responses.create(model=AGENT_NAME, input=history)
    before, after = _tool_output(first.output), _tool_output(follow_up.output)
    assert after["conversation_id"] == before["conversation_id"]
    assert after["message_id"] != before["message_id"]
    assert 0 < after["row_count"] < before["row_count"]
    assert "WH-SEA" in after["sql"]


def test_a_history_without_genie_ids_starts_anew_with_the_earlier_turns(
    client: OpenAI, genie_server: Server
) -> None:
    history = [
        {"role": "user", "content": QUESTION},
        {"role": "assistant", "content": "Several parts are low on stock."},
        {"role": "user", "content": "just in Seattle"},
    ]
    output = _tool_output(client.responses.create(model=AGENT_NAME, input=history).output)
    genie = WorkspaceClient(host=genie_server.url, token="local", auth_type="pat")
    asked = genie.genie.get_message("inventory", output["conversation_id"], output["message_id"])
    assert QUESTION in asked.content and "just in Seattle" in asked.content
    assert output["status"] == "completed" and "WH-SEA" in output["sql"]


def test_mlflow_deployments_predict_stream(
    serving_endpoint: ServingEndpoint, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mlflow.deployments import get_deploy_client

    monkeypatch.setenv("DATABRICKS_HOST", serving_endpoint.url)
    monkeypatch.setenv("DATABRICKS_TOKEN", SERVING_TOKEN)
    inputs = {"input": [{"role": "user", "content": QUESTION}]}
    chunks = list(get_deploy_client("databricks").predict_stream(endpoint=ENDPOINT, inputs=inputs))
    assert chunks[0]["type"] == "response.created" and chunks[-1]["type"] == "response.completed"
    kinds = [(c.get("custom_outputs") or {}).get("kind") for c in chunks]
    assert "tool_call" in kinds and "answer" in kinds


def test_workspace_client_query_returns_a_populated_response(
    serving_endpoint: ServingEndpoint,
) -> None:
    w = WorkspaceClient(host=serving_endpoint.url, token=SERVING_TOKEN, auth_type="pat")
    response = w.serving_endpoints.query(
        name=ENDPOINT, input=[{"role": "user", "content": QUESTION}]
    )
    assert response.id and response.id.startswith("resp_")
    assert response.model == AGENT_NAME


def test_the_tool_call_names_the_genie_tool_with_the_question(client: OpenAI) -> None:
    response = client.responses.create(model=AGENT_NAME, input=QUESTION)
    [call] = [item for item in response.output if item.type == "function_call"]
    assert (call.name, json.loads(call.arguments)) == (GENIE_TOOL, {"question": QUESTION})

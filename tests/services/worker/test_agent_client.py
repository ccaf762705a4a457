"""The worker's agent clients: a real openai client against a dead port, a live
AgentServer, a Model Serving stand-in signed by databricks-sdk's unified auth, and the
in-process agent through the agent's thread bridge."""

from __future__ import annotations

import pytest

from agent.stream_contract import Kind
from harness.processes import Server, free_port
from harness.serving_endpoint import ServingEndpoint
from services.common.settings import Settings
from services.worker.agent_client import (
    AgentRejectedError,
    AgentUnavailableError,
    OpenAIAgentClient,
    make_agent_client,
)
from tests.conftest import SERVING_TOKEN, local_genie_env

pytestmark = pytest.mark.timeout(120)
QUESTION = "What parts are low stock?"


async def _kinds(client, question: str = QUESTION) -> list[Kind]:
    return [event.kind async for event in client.stream(question, None)]


async def test_an_endpoint_that_is_down_is_unavailable_not_a_crash() -> None:
    client = OpenAIAgentClient("http", f"http://127.0.0.1:{free_port()}", "m", Settings())
    await client.warm()  # logs a warning; the worker still starts
    with pytest.raises(AgentUnavailableError):
        await _kinds(client)
    await client.close()


async def test_a_live_agent_server_streams_contract_events(agent_server: Server) -> None:
    client = make_agent_client(Settings(agent_url=agent_server.url))
    await client.warm()
    kinds = await _kinds(client)
    await client.close()
    assert kinds[0] == Kind.TOOL_CALL and kinds[-1] == Kind.ANSWER
    assert {Kind.STATUS, Kind.SQL, Kind.TABLE, Kind.TOOL_RESULT} <= set(kinds)


def _endpoint_settings(serving_endpoint: ServingEndpoint, token: str) -> Settings:
    return Settings(
        databricks_host=serving_endpoint.url,
        databricks_token=token,
        agent_url=None,
        agent_endpoint_name="inventory-genie-agent-endpoint",
    )


async def test_a_serving_endpoint_is_streamed_with_unified_auth(
    serving_endpoint: ServingEndpoint,
) -> None:
    client = make_agent_client(_endpoint_settings(serving_endpoint, SERVING_TOKEN))
    assert client.name == "databricks"
    await client.warm()
    kinds = await _kinds(client)
    await client.close()
    assert kinds[-1] == Kind.ANSWER and Kind.SQL in kinds


async def test_a_serving_endpoint_refusing_the_token_is_rejected(
    serving_endpoint: ServingEndpoint,
) -> None:
    client = make_agent_client(_endpoint_settings(serving_endpoint, "dapi-wrong"))
    with pytest.raises(AgentRejectedError, match="Invalid access token"):
        await _kinds(client)
    await client.close()


async def test_a_serving_endpoint_unreachable_is_unavailable() -> None:
    settings = Settings(
        databricks_host=f"http://127.0.0.1:{free_port()}",
        databricks_token="dapi-test",
        agent_url=None,
        agent_endpoint_name="inventory-agent-endpoint",
    )
    with pytest.raises(AgentUnavailableError):
        await _kinds(make_agent_client(settings))


async def test_the_in_process_agent_streams_through_the_thread_bridge(
    genie_server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in local_genie_env(genie_server).items():
        monkeypatch.setenv(name, value)
    client = make_agent_client(Settings(agent_url=None, agent_endpoint_name=None))
    assert client.name == "in-process"
    kinds = await _kinds(client)
    assert kinds[0] == Kind.TOOL_CALL and kinds[-1] == Kind.ANSWER

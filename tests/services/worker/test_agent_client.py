"""The worker's agent clients: a real openai client against a dead port and a live
AgentServer, and the thread bridge that runs sync agents without blocking the loop."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from agent.stream_contract import read_event
from harness.processes import Server, free_port
from services.common.settings import Settings
from services.worker.agent_client import (
    AgentUnavailableError,
    HttpAgentClient,
    ThreadedAgentClient,
    make_agent_client,
)

pytestmark = pytest.mark.timeout(120)


async def test_an_endpoint_that_is_down_is_unavailable_not_a_crash() -> None:
    client = HttpAgentClient(f"http://127.0.0.1:{free_port()}", "m", Settings())
    await client.warm()  # logs a warning; the worker still starts
    with pytest.raises(AgentUnavailableError):
        async for _ in client.stream("Which parts are low?", None):
            pass
    await client.close()


async def test_a_live_agent_server_streams_events_with_their_custom_outputs(
    agent_server: Server,
) -> None:
    client = HttpAgentClient(agent_server.url, "inventory_genie_agent", Settings())
    await client.warm()
    stream = client.stream("What parts are low stock?", None)
    kinds = [read_event(event)[0] async for event in stream]
    await client.close()
    assert "status" in kinds and "sql" in kinds and kinds[-1] == "answer"


async def test_the_thread_bridge_stops_and_closes_a_sync_stream_left_early() -> None:
    closed, release = threading.Event(), threading.Event()

    def events(question: str, conversation_id: str | None) -> Iterator[dict]:
        try:
            yield {"n": 1}
            release.wait(5)
            yield {"n": 2}
            yield {"n": 3}
        finally:
            closed.set()

    client = ThreadedAgentClient("scripted", events)
    stream = client.stream("q", None)
    assert await anext(stream) == {"n": 1}
    await stream.aclose()  # the job stopped reading (cancelled)
    release.set()
    assert closed.wait(5)  # the generator was closed in its own thread


async def test_the_thread_bridge_raises_the_sync_stream_error() -> None:
    def events(question: str, conversation_id: str | None) -> Iterator[dict]:
        yield {"n": 1}
        raise AgentUnavailableError("endpoint went away")

    seen = []
    with pytest.raises(AgentUnavailableError, match="went away"):
        async for event in ThreadedAgentClient("scripted", events).stream("q", None):
            seen.append(event)
    assert seen == [{"n": 1}]


async def test_a_serving_endpoint_unreachable_is_unavailable_through_the_real_sdk() -> None:
    settings = Settings(
        databricks_host=f"http://127.0.0.1:{free_port()}",
        databricks_token="dapi-test",
        agent_url=None,
        agent_endpoint_name="inventory-agent-endpoint",
    )
    client = make_agent_client(settings)
    assert client.name == "databricks"
    with pytest.raises(AgentUnavailableError):
        async for _ in client.stream("Which parts are low?", None):
            pass

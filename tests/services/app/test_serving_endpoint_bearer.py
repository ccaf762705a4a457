"""The worker's Databricks path (AGENT_ENDPOINT_NAME): a job run on behalf of a user calls
the serving endpoint with that user's token; any other job with the worker's own.

Real databricks-sdk and openai clients, against the loopback stand-in of the workspace's
serving endpoints (relaying to the real agent server).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import SecretStr

from agent.stream_contract import Event, Kind
from harness.processes import Server
from harness.serving_endpoint import ServingEndpoint, running_serving_endpoint
from services.common.on_behalf_of import on_behalf_of_user
from services.common.settings import Settings
from services.worker.agent_client import make_agent_client

pytestmark = pytest.mark.servers

SERVICE_TOKEN = "dapi-app-service-principal"


@pytest.fixture(scope="module")
def workspace(agent_server: Server) -> Iterator[ServingEndpoint]:
    """Every bearer let through, recorded: the user's token or the worker's own."""
    with running_serving_endpoint(agent_server.url) as stand_in:
        yield stand_in


def _answer(workspace: ServingEndpoint, user_token: str | None) -> list[Event]:
    settings = Settings(
        agent_url=None,
        agent_endpoint_name="inventory-genie-agent",
        databricks_host=workspace.url,
        databricks_token=SERVICE_TOKEN,
    )
    client = make_agent_client(settings)
    assert client.name == "databricks"

    async def job(ctx: dict[str, Any], question: str) -> list[Event]:
        return [event async for event in client.stream(question, None)]

    token = SecretStr(user_token) if user_token else None
    run = on_behalf_of_user(job)({}, "What parts are low stock?", user_token=token)
    return asyncio.run(run)


def test_a_users_job_calls_the_endpoint_with_the_users_token(workspace) -> None:
    events = _answer(workspace, "dapi-user-alice")
    assert workspace.bearers[-1] == "Bearer dapi-user-alice"
    assert any(event.kind is Kind.ANSWER for event in events)


def test_a_job_without_a_user_calls_it_as_the_worker(workspace) -> None:
    _answer(workspace, None)
    assert workspace.bearers[-1] == f"Bearer {SERVICE_TOKEN}"

"""The agent server takes questions only from who holds its token (the workers).

It asks Genie directly, past the API's keys and the shared Genie rate limit: with
``AGENT_TOKEN`` set, a request without it gets 401, and ``serve-agent`` refuses to
listen beyond loopback with no token at all.
"""

from __future__ import annotations

import subprocess

import httpx
import pytest

from harness.processes import CLI, REPO_ROOT, free_port
from services.common.settings import Settings
from services.worker.agent_client import AgentRejectedError, make_agent_client
from tests.reliability.conftest import Cluster

TOKEN = "agent-token-0123456789"
QUESTION = {"input": [{"role": "user", "content": "Which parts are low on stock?"}]}


async def test_with_a_token_the_agent_server_answers_only_its_holder(cluster: Cluster) -> None:
    cluster.start_genie()
    agent = cluster.start_agent(AGENT_TOKEN=TOKEN)
    async with httpx.AsyncClient(base_url=agent.url, timeout=60) as http:
        assert (await http.get("/health")).is_success  # health checks need no token
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
            response = await http.post("/responses", json=QUESTION, headers=headers)
            assert response.status_code == 401, headers
    assert cluster.genie_stats()["starts"] == 0

    refused = make_agent_client(Settings(agent_url=agent.url, agent_token=None))
    with pytest.raises(AgentRejectedError):
        async for _ in refused.stream("Which parts are low on stock?", None):
            pass
    await refused.close()
    worker_client = make_agent_client(Settings(agent_url=agent.url, agent_token=TOKEN))
    kinds = [event.kind async for event in worker_client.stream("Which parts are low?", None)]
    await worker_client.close()
    assert kinds[-1] == "answer"


def test_serve_agent_refuses_to_listen_beyond_loopback_without_a_token() -> None:
    argv = [*CLI, "serve-agent", "--host", "0.0.0.0", "--port", str(free_port())]
    done = subprocess.run(
        argv,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "AGENT_TOKEN": ""},
    )
    assert done.returncode == 2 and "AGENT_TOKEN" in done.stdout + done.stderr

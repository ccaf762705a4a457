"""The agent's own servers: a local Genie it may slow down or break, and an agent on it.

The session ``genie_server`` stays fast and healthy for every other test; these tests
get their own Genie (token-protected, so a wrong token can be tested too) and a
serve-agent with short time-outs and back-offs, so each failure path ends in seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from openai import OpenAI

from harness.agent_stream import agent_client
from harness.processes import CLI, Server, free_port, running
from tests.conftest import local_genie_env

GENIE_TOKEN = "local-secret"
#: own_genie has a token, so its /local/* routes want it too
GENIE_ADMIN = {"Authorization": f"Bearer {GENIE_TOKEN}"}
# The rate_limit fault's Retry-After: the agent waits at least this before each retry.
RETRY_AFTER_S = 1
# Long enough for GENIE_RATE_LIMIT_RETRIES waits of RETRY_AFTER_S, short enough for a stall.
GENIE_TIMEOUT_S = 5
OWN_AGENT_ENV = {
    "LOCAL_GENIE_TOKEN": GENIE_TOKEN,
    "GENIE_TIMEOUT_S": str(GENIE_TIMEOUT_S),
    "GENIE_RATE_LIMIT_RETRIES": "2",
    "GENIE_RATE_LIMIT_BACKOFF_S": "0.05",
}


@pytest.fixture(scope="session")
def client(agent_server: Server) -> OpenAI:
    return agent_client(agent_server.url)


@pytest.fixture(scope="module")
def own_genie(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    port = free_port()
    log = tmp_path_factory.mktemp("own-genie") / "genie.log"
    argv = [*CLI, "genie", "serve", "--db", str(demo_db), "--port", str(port)]
    env = {"LOCAL_GENIE_TOKEN": GENIE_TOKEN, "LOCAL_GENIE_RETRY_AFTER_S": str(RETRY_AFTER_S)}
    with running(argv, port, log, env=env, ready_url=f"http://127.0.0.1:{port}/healthz") as s:
        yield s


@pytest.fixture(scope="module")
def own_agent(own_genie: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    port = free_port()
    log = tmp_path_factory.mktemp("own-agent") / "agent.log"
    argv = [*CLI, "serve-agent", "--port", str(port)]
    env = {**local_genie_env(own_genie), **OWN_AGENT_ENV}
    with running(argv, port, log, env=env, ready_url=f"http://127.0.0.1:{port}/health") as s:
        yield s


@pytest.fixture
def own_client(own_agent: Server) -> OpenAI:
    return agent_client(own_agent.url, timeout_s=30)


@pytest.fixture
def genie_config(own_genie: Server) -> Iterator[Callable[..., None]]:
    """``genie_config(fault=…, fault_count=…, step_delay_s=…, retry_after_s=…)``, reset after.

    A fault applies to the next ``fault_count`` new questions (None: until reset).
    """

    def put(**body: object) -> None:
        response = httpx.put(
            f"{own_genie.url}/local/config", json=body, headers=GENIE_ADMIN, timeout=5
        )
        response.raise_for_status()

    yield put
    put(fault=None, step_delay_s=0.0, retry_after_s=RETRY_AFTER_S)


@pytest.fixture
def genie_stats(own_genie: Server) -> Callable[[], dict[str, int]]:
    """``genie_stats()``: the questions own_genie started and refused with 429 so far."""

    def get() -> dict[str, int]:
        response = httpx.get(f"{own_genie.url}/local/stats", headers=GENIE_ADMIN, timeout=5)
        response.raise_for_status()
        return response.json()

    return get

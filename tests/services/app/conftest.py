"""One `inventory-agent app` for the app tests: AUTH_MODE=databricks-apps on one port, its
embedded Redis and one worker, calling a recording stand-in of the serving endpoint that
relays to the real agent server (over the local Genie): harness/serving_endpoint.py."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from harness.processes import CLI, Server, free_port, running
from harness.serving_endpoint import ServingEndpoint, running_serving_endpoint
from tests.conftest import local_genie_env


@pytest.fixture(scope="package")
def stand_in(agent_server: Server) -> Iterator[ServingEndpoint]:
    """Any bearer is let through: each call is made with the asking user's own token."""
    with running_serving_endpoint(agent_server.url) as stand_in:
        yield stand_in


@dataclass(frozen=True)
class App:
    server: Server
    redis_port: int

    @property
    def url(self) -> str:
        return self.server.url

    def socket_url(self, question_id: str) -> str:
        return f"ws://127.0.0.1:{self.server.port}/ws/questions/{question_id}"

    def log(self) -> str:
        return self.server.log()


@pytest.fixture(scope="package")
def app(
    genie_server: Server, stand_in: ServingEndpoint, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[App]:
    port, redis_port = free_port(), free_port()
    home = tmp_path_factory.mktemp("app")
    env = {
        **local_genie_env(genie_server),
        "AUTH_MODE": "databricks-apps",
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",  # loopback: the app runs it
        "REDIS_DATA_DIR": str(home / "redis"),
        "AGENT_URL": stand_in.url,
        "GENIE_RATE_LIMIT_PER_MIN": "600",
        "JOB_LEASE_S": "2",  # a killed worker's question comes back within 2 s
        "API_KEYS": "",
    }
    argv = [*CLI, "app", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"]
    ready = f"http://127.0.0.1:{port}/readyz"
    with running(argv, port, home / "app.log", env=env, ready_url=ready) as server:
        yield App(server, redis_port)

"""Real processes a fault test may kill: each test gets its own Redis, Genie, API, workers.

Nothing here is shared with other test folders, because these tests stop, kill and
restart what they start; a session server another test relies on must not vanish.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from harness import scripted_model
from harness.processes import CLI, Server, free_port, start
from harness.worker import start_worker
from services.runner.redis_server import redis_server_command
from tests.conftest import local_genie_env

#: distinct questions (none answered from the cache of another) for tests that need several
DISTINCT_QUESTIONS = (
    "Which parts are low on stock?",
    "How many suppliers are there?",
    "What is the total value of stock on hand?",
    "Which warehouses hold the most stock?",
    "How many purchase orders are late?",
    "Which parts have the highest demand?",
    "How many parts are out of stock?",
    "What is the average supplier lead time?",
    "How many open purchase orders are there?",
)


@dataclass
class Cluster:
    """One deployment on loopback: Redis (AOF on), local Genie, API and workers."""

    workdir: Path
    demo_db: Path
    stack: contextlib.ExitStack
    redis_port: int = field(default_factory=free_port)
    api_port: int = field(default_factory=free_port)
    redis: Server | None = None
    genie: Server | None = None
    api: Server | None = None
    workers: list[Server] = field(default_factory=list)

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    def _keep(self, server: Server) -> Server:
        self.stack.callback(server.stop, signal.SIGKILL)
        return server

    def start_redis(self) -> Server:
        """Redis on the cluster's port and data dir: a restart finds its AOF again."""
        data = self.workdir / "redis"
        data.mkdir(exist_ok=True)
        argv = redis_server_command(self.redis_port, data)
        self.redis = self._keep(start(argv, self.redis_port, data / "redis.log", redis=True))
        return self.redis

    def start_genie(self, step_delay_s: float = 0.0) -> Server:
        port = free_port()
        argv = [*CLI, "genie", "serve", "--db", str(self.demo_db), "--port", str(port)]
        ready = f"http://127.0.0.1:{port}/healthz"
        self.genie = self._keep(start(argv, port, self.workdir / "genie.log", ready_url=ready))
        self.genie_config(step_delay_s=step_delay_s)
        return self.genie

    def genie_config(self, **config: object) -> dict:
        assert self.genie is not None
        response = httpx.put(f"{self.genie.url}/local/config", json=config, timeout=10)
        response.raise_for_status()
        return response.json()

    def genie_stats(self) -> dict[str, int]:
        assert self.genie is not None
        return httpx.get(f"{self.genie.url}/local/stats", timeout=10).json()

    def start_api(self) -> Server:
        """The API on the cluster's port (the same after a restart, as behind a balancer)."""
        argv = [*CLI, "api", "--port", str(self.api_port)]
        env = {"REDIS_URL": self.redis_url}
        log = self.workdir / "api.log"
        ready = f"{self.api_url}/healthz"
        self.api = self._keep(start(argv, self.api_port, log, env=env, ready_url=ready))
        return self.api

    def start_agent(self, port: int | None = None, **env: str) -> Server:
        """``serve-agent`` (MLflow AgentServer) answering from this cluster's Genie.

        ``port``: the port of an agent killed before, so that workers find it again.
        """
        assert self.genie is not None
        port = port or free_port()
        argv = [*CLI, "serve-agent", "--port", str(port)]
        ready = f"http://127.0.0.1:{port}/health"
        log = self.workdir / "agent.log"
        full_env = {**local_genie_env(self.genie), **env}
        return self._keep(start(argv, port, log, env=full_env, ready_url=ready))

    def start_scripted_model(self) -> Server:
        """The stand-in language model (harness/scripted_model.py) for an agent in LLM mode:
        ``AGENT_LLM_BASE_URL={url}/v1``; its replies are set with ``PUT /script``."""
        port = free_port()
        ready = f"http://127.0.0.1:{port}/healthz"
        log = self.workdir / "model.log"
        return self._keep(start(scripted_model.command(port), port, log, ready_url=ready))

    def start_worker(self, name: str = "worker", **env: str) -> Server:
        """A worker running the agent in-process against this cluster's Genie."""
        assert self.genie is not None
        full_env = {**local_genie_env(self.genie), "GENIE_LOCAL_POLL_S": "0.05", **env}
        log = self.workdir / f"{name}.log"
        worker = self._keep(start_worker(self.redis_url, log, env=full_env))
        self.workers.append(worker)
        return worker

    def logs(self) -> str:
        """Every process's log tail, for a failing assertion's message."""
        parts = []
        for path in sorted(self.workdir.glob("*.log")) + sorted(self.workdir.glob("*/*.log")):
            parts.append(f"--- {path.name}\n{path.read_text(errors='replace')[-2500:]}")
        return "\n".join(parts)


@pytest.fixture
def cluster(demo_db: Path, tmp_path: Path) -> Iterator[Cluster]:
    """An empty cluster; the test starts the parts it needs. Everything is killed after."""
    with contextlib.ExitStack() as stack:
        yield Cluster(tmp_path, demo_db, stack)

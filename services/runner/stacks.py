"""The process sets the supervisor runs: the laptop stack and the Databricks App container.

Every child is ``python -m cli.main …`` with this interpreter, so both work from the
source tree alone (a Databricks App installs the locked dependencies, not the project).
"""

from __future__ import annotations

import sys

from services.common.settings import Settings
from services.runner.supervisor import Child

CLI = (sys.executable, "-m", "cli.main")


def _cli(log_level: str, *args: str) -> list[str]:
    return [*CLI, "--log-level", log_level, *args]


def local_stack(settings: Settings, log_level: str = "INFO") -> list[Child]:
    """`inventory-agent run`: Redis, local Genie, agent server, worker, API, chat page."""
    agent_url = settings.agent_url or f"http://{settings.host}:{settings.agent_port}"
    return [
        Child("redis", _cli(log_level, "redis")),
        Child("genie", _cli(log_level, "genie", "serve")),
        Child("agent", _cli(log_level, "serve-agent")),
        Child("worker", _cli(log_level, "worker"), {"AGENT_URL": agent_url}),
        Child("api", _cli(log_level, "api")),
        Child("ui", _cli(log_level, "ui")),
    ]


def app_redis_url(settings: Settings) -> str | None:
    """The Redis REDIS_URL names (managed, durable), or None: run the embedded one."""
    return settings.redis_url if "redis_url" in settings.model_fields_set else None


def app_stack(
    settings: Settings, host: str, port: int, workers: int, log_level: str = "INFO"
) -> list[Child]:
    """`inventory-agent app`: page + API on ``port``, ``workers`` arq workers, and the
    embedded Redis unless REDIS_URL names one."""
    redis_url = app_redis_url(settings)
    children = []
    if redis_url is None:
        redis_url = f"redis://127.0.0.1:{settings.redis_port}/0"
        children.append(Child("redis", _cli(log_level, "redis")))
    shared = {"REDIS_URL": redis_url}
    children += [
        Child(f"worker-{number}", _cli(log_level, "worker"), shared)
        for number in range(1, workers + 1)
    ]
    # The page's server-side calls (ask, cancel, rate) go to the API on the same port.
    web_env = {**shared, "API_URL": f"http://127.0.0.1:{port}"}
    web_argv = _cli(log_level, "app-server", "--host", host, "--port", str(port))
    children.append(Child("web", web_argv, web_env))
    return children

"""The process sets the supervisor runs: the laptop stack and the Databricks App container.

Every child is ``python -m cli.main …`` with this interpreter, so both work from the
source tree alone (a Databricks App installs the locked dependencies, not the project).
"""

from __future__ import annotations

import sys
from urllib.parse import urlsplit

from services.common.settings import Settings
from services.runner.supervisor import Child

CLI = (sys.executable, "-m", "cli.main")
DEFAULT_REDIS_PORT = 6379


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


#: a REDIS_URL on one of these hosts is the container's own Redis, which the app runs
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def embedded_redis_port(redis_url: str) -> int | None:
    """The port to run the embedded Redis on, or None: REDIS_URL names a managed one.

    In an App container nothing else could serve the loopback, so a loopback REDIS_URL
    (the default) means "run Redis here"; any other host is a managed, durable Redis.
    """
    parsed = urlsplit(redis_url)
    if parsed.hostname not in LOOPBACK_HOSTS:
        return None
    return parsed.port or DEFAULT_REDIS_PORT


def app_stack(
    settings: Settings, host: str, port: int, workers: int, log_level: str = "INFO"
) -> list[Child]:
    """`inventory-agent app`: page + API on ``port``, ``workers`` arq workers, and the
    embedded Redis unless REDIS_URL names a managed one."""
    children = []
    if (port_of_redis := embedded_redis_port(settings.redis_url)) is not None:
        children.append(Child("redis", _cli(log_level, "redis", "--port", str(port_of_redis))))
    shared = {"REDIS_URL": settings.redis_url}
    children += [
        Child(f"worker-{number}", _cli(log_level, "worker"), shared)
        for number in range(1, workers + 1)
    ]
    # The page's server-side calls (ask, cancel, rate) go to the API on the same port.
    web_env = {**shared, "API_URL": f"http://127.0.0.1:{port}"}
    web_argv = _cli(log_level, "app-server", "--host", host, "--port", str(port))
    children.append(Child("web", web_argv, web_env))
    return children

"""`make run`'s welcome: wait until every service answers, then print where each one is.

The supervisor (`inventory-agent run`) runs it once its children have started. URLs
come from the settings, so they stay right when a port is overridden in the environment.
"""

from __future__ import annotations

import logging
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import redis

from services.common.settings import Settings

logger = logging.getLogger(__name__)

POLL_S = 0.5


@dataclass(frozen=True)
class Service:
    name: str
    url: str  # what a person opens or calls
    is_up: Callable[[], bool] | None  # None: not checked (served by another service)


def services(settings: Settings) -> list[Service]:
    """What `make run` starts that a person can open or call, in the order to read them."""
    host = settings.host
    ui = f"http://{host}:{settings.ui_port}"
    api = f"http://{host}:{settings.api_port}"
    agent = f"http://{host}:{settings.agent_port}"
    genie = settings.local_genie_url
    return [
        Service("chat page", ui, partial(_answers, f"{ui}/healthz")),  # what most people open
        Service("API", api, partial(_answers, f"{api}/readyz")),
        Service("API docs", f"{api}/docs", None),
        Service("websocket", f"ws://{host}:{settings.api_port}/ws/questions/{{question_id}}", None),
        Service("worker", "arq on " + settings.redis_url, partial(_worker_is_up, settings)),
        Service("agent", f"{agent}/responses", partial(_answers, f"{agent}/health")),
        Service("local Genie", f"{genie}/api/2.0/genie", partial(_answers, f"{genie}/healthz")),
    ]


def wait_until_healthy(
    checks: list[Service], timeout_s: float, stop: threading.Event | None = None
) -> list[Service]:
    """The services still not answering when ``timeout_s`` runs out (none, normally),
    or when ``stop`` is set (the stack is shutting down)."""
    stop = stop or threading.Event()
    pending = [service for service in checks if service.is_up]
    deadline = time.monotonic() + timeout_s
    while pending and time.monotonic() < deadline and not stop.is_set():
        pending = [service for service in pending if not service.is_up()]
        if pending:
            stop.wait(POLL_S)
    return pending


def _worker_is_up(settings: Settings) -> bool:
    """arq writes its health-check key once the worker's on_startup has finished."""
    from arq.constants import default_queue_name, health_check_key_suffix

    try:
        with redis.Redis.from_url(settings.redis_url, socket_timeout=1) as client:
            return bool(client.exists(default_queue_name + health_check_key_suffix))
    except redis.RedisError:
        return False


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status < 300
    except (urllib.error.URLError, OSError):
        return False


def show_banner(settings: Settings, timeout_s: float, stop: threading.Event | None = None) -> None:
    """Print the URLs once every service answers (or the wait runs out); nothing if
    ``stop`` is set meanwhile: the supervisor is already saying why it stops."""
    listed = services(settings)
    not_up = wait_until_healthy(listed, timeout_s, stop)
    if stop is not None and stop.is_set():
        return
    width = max(len(service.name) for service in listed)
    header = "is running" if not not_up else "started, but not every service answers yet"
    lines = ["", f"Inventory Genie Agent {header}:"]
    for service in listed:
        mark = "  (not answering yet: see its log lines)" if service in not_up else ""
        lines.append(f"  {service.name.ljust(width)}  {service.url}{mark}")
    lines += [
        "",
        '  ask from a terminal:  .venv/bin/inventory-agent ask "What parts are low stock?"',
        "  stop everything:      Ctrl-C",
        "",
    ]
    print("\n".join(lines), flush=True)

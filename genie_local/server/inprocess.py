"""Serve the local Genie on a free loopback port inside this process, for one-shot use.

``genie ask --db PATH`` needs no running server: it starts the real app on a thread,
asks through databricks-sdk exactly as against ``genie serve``, and stops it.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator

import uvicorn

from genie_local.server.access import Access
from genie_local.server.app import create_app
from genie_local.server.service import GenieService

_START_TIMEOUT_S = 30.0


@contextlib.contextmanager
def serving(service: GenieService, required_token: str | None = None) -> Iterator[str]:
    """Yield the base URL of the app serving ``service``; stop it on exit."""
    app = create_app(service, Access(required_token=required_token))
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="local-genie", daemon=True)
    thread.start()
    deadline = time.monotonic() + _START_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the in-process Genie server did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(_START_TIMEOUT_S)

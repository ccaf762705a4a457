"""A loopback stand-in for a Model Serving endpoint: records each call's bearer, then
relays the call to the real agent server, so the answer is the agent's own.

It can hold the next call (``hold_next``) until the test lets it go: the worker making
that call can then be killed mid-question.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import anyio
import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, StreamingResponse
from starlette.routing import Route

from harness.processes import free_port, wait_for_port


@dataclass
class ServingStandIn:
    agent_url: str
    bearers: list[str] = field(default_factory=list)
    #: set once a held call has arrived; ``release`` lets it go on
    held: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    url: str = ""
    _hold: bool = False

    def hold_next(self) -> None:
        self.held.clear()
        self.release.clear()
        self._hold = True

    async def responses(self, request: Request) -> StreamingResponse:
        self.bearers.append(request.headers.get("authorization", ""))
        body = await request.body()
        if self._hold:
            self._hold = False
            self.held.set()
            await anyio.to_thread.run_sync(self.release.wait)
        client = httpx.AsyncClient(base_url=self.agent_url, timeout=60)
        upstream = await client.send(
            client.build_request(
                "POST", "/responses", content=body, headers={"content-type": "application/json"}
            ),
            stream=True,
        )

        async def relay() -> AsyncIterator[bytes]:
            try:
                async for part in upstream.aiter_raw():
                    yield part
            finally:
                await upstream.aclose()
                await client.aclose()

        return StreamingResponse(
            relay(), status_code=upstream.status_code, media_type="text/event-stream"
        )


@contextmanager
def serving_stand_in(agent_url: str) -> Iterator[ServingStandIn]:
    stand_in = ServingStandIn(agent_url)
    routes = [
        Route("/responses", stand_in.responses, methods=["POST"]),
        # what databricks-sdk's OpenAI client calls: <workspace>/serving-endpoints/responses
        Route("/serving-endpoints/responses", stand_in.responses, methods=["POST"]),
        Route("/health", lambda _: JSONResponse({"status": "ok"})),
    ]
    app = Starlette(routes=routes)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for_port(port)
    stand_in.url = f"http://127.0.0.1:{port}"
    try:
        yield stand_in
    finally:
        stand_in.release.set()
        server.should_exit = True
        thread.join(10)

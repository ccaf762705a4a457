"""A loopback stand-in for a Databricks Model Serving endpoint serving the agent.

Model Serving answers an agent endpoint at ``/serving-endpoints/{name}/invocations``
(what ``WorkspaceClient().serving_endpoints.query`` and MLflow's deployments client
call) and at the OpenAI-compatible ``/serving-endpoints/responses`` with the endpoint
as ``model`` (what the worker's openai client calls with ``AGENT_ENDPOINT_NAME``). The
stand-in relays both, streamed, to a real agent server (``serve-agent``: its own
``/invocations`` and ``/responses``), so the answer is the agent's own and those
clients are tested end to end with no workspace. It relays ``/responses`` as well, for
a client given the stand-in as its ``AGENT_URL``.

What tests need of a workspace, and nothing more:

- ``token``: any other bearer is refused as a workspace refuses it (401,
  ``UNAUTHENTICATED``); with none, every bearer is let through (each user's own);
- ``bearers``: every call's ``Authorization`` header, in order;
- ``hold_next()``: the next call waits, once it has arrived (``held``), until the test
  sets ``release``, so that its caller can be killed mid-question.

``running_serving_endpoint(agent_url, token)`` serves it on a free loopback port, on a
thread of the calling process (a test session or a benchmark).
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import anyio
import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from harness.processes import free_port, wait_for_port

#: how long the agent server may stay silent mid-answer before the relay gives up
RELAY_TIMEOUT_S = 60.0


@dataclass
class ServingEndpoint:
    """The stand-in's state; ``app()`` is the ASGI app that serves it."""

    agent_url: str
    token: str | None = None
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

    def app(self) -> Starlette:
        routes = [
            Route(
                "/serving-endpoints/{name}/invocations",
                self._relay_to("/invocations"),
                methods=["POST"],
            ),
            Route("/serving-endpoints/responses", self._relay_to("/responses"), methods=["POST"]),
            Route("/responses", self._relay_to("/responses"), methods=["POST"]),
            Route("/health", lambda _: JSONResponse({"status": "ok"})),
        ]
        return Starlette(routes=routes)

    def _relay_to(self, path: str) -> Callable[[Request], Awaitable[Response]]:
        async def relay(request: Request) -> Response:
            return await self._relay(request, path)

        return relay

    async def _relay(self, request: Request, path: str) -> Response:
        """The agent server's answer at ``path``, streamed back as it comes."""
        bearer = request.headers.get("authorization", "")
        self.bearers.append(bearer)
        if self.token is not None and bearer != f"Bearer {self.token}":
            body = {"error_code": "UNAUTHENTICATED", "message": "Invalid access token."}
            return JSONResponse(body, 401)
        content = await request.body()
        if self._hold:
            self._hold = False
            self.held.set()
            await anyio.to_thread.run_sync(self.release.wait)
        client = httpx.AsyncClient(base_url=self.agent_url, timeout=RELAY_TIMEOUT_S)
        content_type = request.headers.get("content-type", "application/json")
        outgoing = client.build_request(
            "POST", path, content=content, headers={"content-type": content_type}
        )
        upstream = await client.send(outgoing, stream=True)

        async def parts() -> AsyncIterator[bytes]:
            try:
                async for part in upstream.aiter_raw():
                    yield part
            finally:
                await upstream.aclose()
                await client.aclose()

        return StreamingResponse(
            parts(),
            status_code=upstream.status_code,
            media_type=upstream.headers.get("content-type"),
        )


@contextmanager
def running_serving_endpoint(agent_url: str, token: str | None = None) -> Iterator[ServingEndpoint]:
    """The stand-in relaying to the agent server at ``agent_url``, at ``.url`` until exit."""
    endpoint = ServingEndpoint(agent_url, token)
    port = free_port()
    config = uvicorn.Config(endpoint.app(), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for_port(port)
    endpoint.url = f"http://127.0.0.1:{port}"
    try:
        yield endpoint
    finally:
        endpoint.release.set()  # a held call must not keep the server from stopping
        server.should_exit = True
        thread.join(10)

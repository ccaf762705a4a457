"""The agent server's bearer token: who may ask the agent (and so spend Genie's starts).

The agent server takes questions straight to Genie, past the API's keys and the
workers' shared rate limit, so only the workers may call it. With ``AGENT_TOKEN`` set,
every request but ``GET /health`` must carry ``Authorization: Bearer <AGENT_TOKEN>``
(the worker's openai client sends it as its API key). Listening beyond loopback
without a token is refused at start: anyone on the network could ask.
"""

from __future__ import annotations

import hmac
import ipaddress
import json

from starlette.types import ASGIApp, Receive, Scope, Send

OPEN_PATHS = frozenset({"/health"})


class AgentTokenMissing(RuntimeError):
    """The agent server would listen beyond loopback with no token."""


def check_exposure(host: str, token: str | None) -> None:
    """Refuse to serve a non-loopback interface without a token."""
    if token or _is_loopback(host):
        return
    raise AgentTokenMissing(
        f"serve-agent would listen on {host} with no AGENT_TOKEN: anyone who can reach it "
        "could ask Genie directly. Set AGENT_TOKEN (the workers send it), or listen on "
        "127.0.0.1."
    )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class RequireToken:
    """ASGI middleware: a request without the bearer token gets a 401."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.expected = f"Bearer {token}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        presented = dict(scope["headers"]).get(b"authorization", b"")
        if hmac.compare_digest(presented, self.expected):
            await self.app(scope, receive, send)
            return
        body = json.dumps({"detail": "this agent server needs its token (AGENT_TOKEN)"})
        await send(
            {
                "type": "http.response.start",
                "status": 401,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"www-authenticate", b"Bearer"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body.encode()})

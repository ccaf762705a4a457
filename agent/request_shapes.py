"""The request shapes the agent server accepts beyond MLflow's own, turned into its own.

MLflow's ResponsesAgentRequest wants ``input`` as a list of items. Clients also send
what the OpenAI Responses API allows, a plain string ``input``, and what chat clients
send, ``messages`` (the same role/content items). Both are rewritten into ``input``
before MLflow validates the request; a body with neither gets a 400 that says what to
send, instead of a pydantic dump.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: the AgentServer paths that take a request body
AGENT_PATHS = frozenset({"/responses", "/invocations"})
WHAT_TO_SEND = (
    'send {"input": [{"role": "user", "content": "Which parts are low on stock?"}]} '
    '(a string "input", or chat-style "messages" with the same items, also work)'
)


class RequestShapeError(ValueError):
    """A request the agent cannot read, with what to send instead."""


def normalize_request(body: dict[str, Any]) -> dict[str, Any]:
    """``body`` with its question as ``input`` items; raises RequestShapeError if it has none."""
    if "input" not in body and "messages" in body:
        body = {**body, "input": body["messages"]}
        del body["messages"]
    question = body.get("input")
    if isinstance(question, str):
        body = {**body, "input": [{"role": "user", "content": question}]}
    elif not isinstance(question, list):
        raise RequestShapeError(f"The request has no question: {WHAT_TO_SEND}.")
    return body


class RequestShapes:
    """ASGI middleware applying ``normalize_request`` to the agent paths' JSON bodies."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] not in AGENT_PATHS:
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        try:
            data = json.loads(body)
        except ValueError:
            data = None  # MLflow's own 400 names the JSON error
        if isinstance(data, dict):
            try:
                body = json.dumps(normalize_request(data)).encode()
            except RequestShapeError as error:
                await JSONResponse({"detail": str(error)}, status_code=400)(scope, receive, send)
                return
        headers = [(k, v) for k, v in scope["headers"] if k != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await self.app({**scope, "headers": headers}, _replay(body, receive), send)


async def _read_body(receive: Receive) -> bytes:
    chunks, more = [], True
    while more:
        message = await receive()
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands over ``body`` once, then waits on the real one (disconnects)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay

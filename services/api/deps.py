"""Route dependencies as ``Annotated`` aliases (full-stack-fastapi-template's shape)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from starlette.requests import HTTPConnection, Request

from services.api.context import ApiContext
from services.api.forwarded_identity import forwarded_caller, trusts_forwarded_identity
from services.api.security import Caller, authenticate, bearer_token


async def get_context(connection: HTTPConnection) -> ApiContext:
    """The lifespan's context; HTTPConnection serves HTTP routes and websockets alike.

    ``async`` although it never awaits: FastAPI runs a plain ``def`` dependency in a
    thread pool, a hop every request would pay for nothing.
    """
    return connection.app.state.context


ContextDep = Annotated[ApiContext, Depends(get_context)]


async def get_caller(request: Request) -> Caller:
    """The REST caller, by its ``Authorization: Bearer`` key (websockets: security.py),
    or behind the Databricks Apps proxy by the identity it forwards."""
    settings = request.app.state.context.settings
    if trusts_forwarded_identity(settings):
        return forwarded_caller(request.headers)
    return authenticate(settings, bearer_token(request.headers.get("authorization")))


CallerDep = Annotated[Caller, Depends(get_caller)]

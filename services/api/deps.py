"""Route dependencies as ``Annotated`` aliases (full-stack-fastapi-template's shape)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from starlette.requests import HTTPConnection

from services.api.context import ApiContext


def get_context(connection: HTTPConnection) -> ApiContext:
    """The lifespan's context; HTTPConnection serves HTTP routes and websockets alike."""
    return connection.app.state.context


ContextDep = Annotated[ApiContext, Depends(get_context)]

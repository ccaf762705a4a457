"""Build the local Genie API app around a ready ``GenieService``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from starlette.middleware.trustedhost import TrustedHostMiddleware

from genie_local.server.access import Access, require_admin, require_bearer
from genie_local.server.http_errors import install_error_handlers
from genie_local.server.routes import conversations, local, messages, spaces
from genie_local.server.service import GenieService


def create_app(service: GenieService, access: Access | None = None) -> FastAPI:
    """The app; the service's running messages are cancelled and its DB closed on shutdown.

    ``access`` defaults to a loopback server with no token (tests, ``genie ask --db``).
    """
    access = access or Access()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            service.close()

    app = FastAPI(title="Local Genie", lifespan=lifespan)
    app.state.service = service
    app.state.access = access
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(access.allowed_hosts))
    install_error_handlers(app)
    authenticated = [Depends(require_bearer)]
    for router in (spaces.router, conversations.router, messages.router):
        app.include_router(router, dependencies=authenticated)
    app.include_router(local.router)
    app.include_router(local.admin_router, dependencies=[Depends(require_admin)])
    return app

"""Build the API app: routers, error handlers, CORS, and the Redis context's lifespan."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware

from services.api.body_limit import BodySizeLimit
from services.api.context import api_context
from services.api.errors import register_error_handlers
from services.api.routes import conversations, health, history, metrics, questions, websocket
from services.common.hosts import allowed_hosts
from services.common.settings import Settings, get_settings

logger = logging.getLogger(__name__)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    if not settings.api_keys and settings.auth_mode == "api-keys":
        logger.warning(
            "API_KEYS is not set: the API is open to anyone who can reach it, and every "
            "caller sees every question (fine on a laptop; set API_KEYS anywhere else)"
        )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with api_context(settings) as context:
            app.state.context = context
            yield

    app = FastAPI(
        title="Inventory Genie Agent API",
        description="Ask inventory questions in plain English; watch the answers stream.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.add_middleware(
        CORSMiddleware,
        allow_origins=cors_origins(settings),
        allow_methods=["GET", "POST"],
        allow_headers=["*"],
    )
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_request_body_bytes)
    # added last, so it runs first: a foreign Host is refused before anything else
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts(settings))
    register_error_handlers(app)
    routers = (questions.router, conversations.router, websocket.router, health.router)
    for router in (*routers, metrics.router):
        app.include_router(router)
    app.include_router(history.router)
    return app


def cors_origins(settings: Settings) -> list[str]:
    """The configured origins, else the local Dash UI's (both spellings of loopback)."""
    if settings.cors_origins:
        return settings.cors_origins
    return [f"http://127.0.0.1:{settings.ui_port}", f"http://localhost:{settings.ui_port}"]

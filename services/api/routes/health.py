"""Liveness and readiness, for process runners and load balancers."""

from __future__ import annotations

import asyncio
import logging

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from redis.exceptions import RedisError

from services.api.deps import ContextDep
from services.api.errors import REDIS_DOWN

logger = logging.getLogger(__name__)

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is up (says nothing about Redis: see /readyz)."""
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(context: ContextDep) -> JSONResponse:
    """Ready when Redis answers PING and the live listener is subscribed."""
    try:
        await asyncio.wait_for(context.redis.ping(), context.settings.redis_socket_timeout_s)
    except (RedisError, OSError, TimeoutError) as error:
        logger.warning("not ready: Redis did not answer PING (%r)", error)
        return JSONResponse(
            status_code=503, content={"status": "unavailable", "detail": REDIS_DOWN}
        )
    if not context.broadcaster.listening:
        detail = "Redis answers but the live listener is reconnecting; try again shortly"
        return JSONResponse(status_code=503, content={"status": "unavailable", "detail": detail})
    return JSONResponse(content={"status": "ready"})

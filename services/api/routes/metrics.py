"""Prometheus scrape endpoint (with API_KEYS set, scrape with a bearer key)."""

from __future__ import annotations

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST

from services.api.deps import CallerDep, ContextDep

router = APIRouter(tags=["metrics"])


@router.get("/metrics", response_class=Response)
async def metrics(context: ContextDep, _: CallerDep) -> Response:
    """Queue depth, job timings, chunks relayed, websocket clients, Genie calls and 429s."""
    body = await context.metrics.render(context.redis, context.keys)
    return Response(content=body, media_type=CONTENT_TYPE_LATEST)

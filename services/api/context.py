"""What the API process holds open for its lifetime: Redis, the publisher, the broadcaster.

Built once in the FastAPI lifespan and reached by routes through ``deps.py``; nothing
connects at import time, and an API started while Redis is down still starts (it
answers 503 until Redis is back).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from arq.connections import ArqRedis

from services.api.feedback import GenieFeedback
from services.api.intake import Intake
from services.api.metrics import ApiMetrics
from services.common.broadcast import Broadcaster
from services.common.keys import RedisKeys
from services.common.publisher import Publisher
from services.common.questions import QuestionStore
from services.common.settings import Settings


@dataclass(frozen=True)
class ApiContext:
    settings: Settings
    redis: ArqRedis  # bytes in and out: arq's pickled jobs share this client
    keys: RedisKeys
    publisher: Publisher
    store: QuestionStore
    intake: Intake
    broadcaster: Broadcaster
    genie_feedback: GenieFeedback
    metrics: ApiMetrics


@asynccontextmanager
async def api_context(settings: Settings) -> AsyncIterator[ApiContext]:
    # ArqRedis.from_url, not arq.create_pool: create_pool retries for seconds when
    # Redis is down, which would stop the API from starting and answering 503.
    redis = ArqRedis.from_url(
        settings.redis_url,
        socket_timeout=settings.redis_socket_timeout_s,
        socket_connect_timeout=settings.redis_connect_timeout_s,
    )
    keys = RedisKeys(settings.redis_namespace)
    broadcaster = Broadcaster(
        settings.redis_url, keys, connect_timeout_s=settings.redis_connect_timeout_s
    )
    await broadcaster.start()
    try:
        yield ApiContext(
            settings=settings,
            redis=redis,
            keys=keys,
            publisher=Publisher(redis, keys, settings.replay_ttl_s),
            store=QuestionStore(redis, keys, settings.replay_ttl_s),
            intake=Intake(redis, keys, settings.replay_ttl_s),
            broadcaster=broadcaster,
            genie_feedback=GenieFeedback(settings),
            metrics=ApiMetrics(),
        )
    finally:
        await broadcaster.stop()
        await redis.aclose()

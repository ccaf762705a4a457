"""Places of questions still in arq's queue, on a real Redis (a database of its own,
since arq's queue key is not namespaced and the session's workers read database 0)."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from services.common.genie_limiter import GenieRateLimiter
from services.common.keys import ARQ_IN_PROGRESS_PREFIX, ARQ_QUEUE, RedisKeys
from services.common.publisher import Publisher
from services.common.settings import Settings
from services.worker.backlog_positions import BacklogPositions


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url.rsplit("/", 1)[0] + "/9")
    await client.delete(ARQ_QUEUE)
    yield client
    await client.delete(ARQ_QUEUE)
    await client.aclose()


async def queued(redis: Redis, keys: RedisKeys, question_id: str) -> list[dict]:
    log = [json.loads(raw) for raw in await redis.lrange(keys.replay_log(question_id), 0, -1)]
    return [chunk for chunk in log if chunk.get("status") == "queued"]


async def test_the_head_tells_the_backlog_its_places_once_until_they_move(redis: Redis) -> None:
    keys = RedisKeys(f"test-{uuid.uuid4().hex[:8]}")
    settings = Settings(genie_rate_limit_per_min=1, genie_rate_window_s=600)
    limiter = GenieRateLimiter(redis, keys, settings)
    backlog = BacklogPositions(redis, keys, Publisher(redis, keys, 600), limiter)
    assert (await limiter.take_turn("q0", 0.0)).granted
    head = await limiter.take_turn("head", 1.0)
    now_ms = time.time() * 1000
    await redis.zadd(ARQ_QUEUE, {"running": now_ms - 3, "b1": now_ms - 2, "b2": now_ms - 1})
    await redis.set(ARQ_IN_PROGRESS_PREFIX + "running", 1, ex=60)

    await backlog.publish_for(head)
    await backlog.publish_for(await limiter.take_turn("head", 1.0))  # nothing moved: no repeat

    (b1,), (b2,) = await queued(redis, keys, "b1"), await queued(redis, keys, "b2")
    assert (b1["position"], b2["position"]) == (2, 3)
    assert b1["eta_s"] > head.wait_s and b2["eta_s"] - b1["eta_s"] >= 599
    assert await queued(redis, keys, "running") == []
    await limiter.leave("head")  # the head started; b1 reaches a worker and heads the line
    await redis.set(ARQ_IN_PROGRESS_PREFIX + "b1", 1, ex=60)
    await backlog.publish_for(await limiter.take_turn("b1", 2.0))
    assert [c["position"] for c in await queued(redis, keys, "b2")] == [3, 2]

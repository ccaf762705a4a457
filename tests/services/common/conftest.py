"""A Redis client on the session's real redis-server, in a namespace of its own per test."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from services.common.keys import RedisKeys


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    yield client
    await client.aclose()


@pytest.fixture
def keys() -> RedisKeys:
    """A fresh namespace, so tests sharing the session's Redis never see each other."""
    return RedisKeys(f"test-{uuid.uuid4().hex[:8]}")

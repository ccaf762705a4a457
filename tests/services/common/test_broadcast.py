"""The shared pub/sub listener against a real Redis: fan-out, filtering, cleanup, resync."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from harness.processes import free_port, running
from services.common.broadcast import RESYNC, Broadcaster, Published
from services.common.chunks import TextChunk
from services.common.keys import RedisKeys
from services.common.publisher import Publisher
from services.runner.redis_server import redis_server_command


@pytest.fixture
async def broadcaster(redis_url: str, keys: RedisKeys) -> AsyncIterator[Broadcaster]:
    broadcaster = Broadcaster(redis_url, keys, max_pending=5)
    await broadcaster.start()
    assert broadcaster.listening
    yield broadcaster
    await broadcaster.stop()


def text(question_id: str, delta: str = "x") -> TextChunk:
    return TextChunk(question_id=question_id, delta=delta)


async def test_each_subscriber_gets_its_questions_only(
    broadcaster: Broadcaster, redis: Redis, keys: RedisKeys
):
    publisher = Publisher(redis, keys, 60)
    async with (
        broadcaster.subscribe(["q_a"]) as only_a,
        broadcaster.subscribe(["q_a", "q_b"]) as both,
    ):
        await publisher.publish(text("q_b"))
        await publisher.publish(text("q_a"))
        first = await asyncio.wait_for(both.get(), 5)
        second = await asyncio.wait_for(both.get(), 5)
        assert [(first.question_id, first.seq), (second.question_id, second.seq)] == [
            ("q_b", 0),
            ("q_a", 0),
        ]
        delivered = await asyncio.wait_for(only_a.get(), 5)
        assert isinstance(delivered, Published) and delivered.question_id == "q_a"
        assert delivered.type == "text" and '"delta":"x"' in delivered.raw
        assert only_a.get_pending() == []


async def test_leaving_the_block_unsubscribes(broadcaster: Broadcaster):
    async with broadcaster.subscribe(["q_a"]):
        assert broadcaster._subscribers["q_a"]
    assert "q_a" not in broadcaster._subscribers


async def test_a_subscriber_that_falls_behind_is_told_to_resync(
    broadcaster: Broadcaster, redis: Redis, keys: RedisKeys
):
    publisher = Publisher(redis, keys, 60)
    async with (
        broadcaster.subscribe(["q_slow"]) as slow,
        broadcaster.subscribe(["q_marker"]) as marker,
    ):
        for i in range(12):  # more than max_pending=5, never read
            await publisher.publish(text("q_slow", str(i)))
        await publisher.publish(text("q_marker"))
        await asyncio.wait_for(marker.get(), 5)  # channel order: every q_slow came first
        pending = slow.get_pending()
        assert pending[0] is RESYNC
        assert len(pending) <= 5


@pytest.mark.servers
async def test_a_frozen_redis_is_noticed_and_rejoined(keys: RedisKeys, tmp_path):
    """A connection that stops answering (not closed) must not pass for a live one."""
    port = free_port()
    with running(
        redis_server_command(port, tmp_path), port, tmp_path / "redis.log", redis=True
    ) as server:
        url = f"redis://127.0.0.1:{port}/0"
        broadcaster = Broadcaster(url, keys, connect_timeout_s=0.5, idle_ping_s=0.1)
        await broadcaster.start()
        try:
            async with broadcaster.subscribe(["q_back"]) as subscription:
                await asyncio.sleep(0.5)  # several idle pings, answered
                assert broadcaster.listening
                server.process.send_signal(signal.SIGSTOP)
                try:
                    for _ in range(100):
                        if not broadcaster.listening:
                            break
                        await asyncio.sleep(0.05)
                    assert not broadcaster.listening
                finally:
                    server.process.send_signal(signal.SIGCONT)
                # Back: the subscriber is told to re-read what it may have missed.
                assert await asyncio.wait_for(subscription.get(), 10) is RESYNC
                assert broadcaster.listening
                redis = Redis.from_url(url)
                await Publisher(redis, keys, 60).publish(text("q_back"))
                await redis.aclose()
                delivered = await asyncio.wait_for(subscription.get(), 5)
                assert isinstance(delivered, Published) and delivered.seq == 0
        finally:
            await broadcaster.stop()

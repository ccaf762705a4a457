"""Places of questions still in arq's queue, on a real Redis (a database of its own,
since arq's queue key is not namespaced and the session's workers read database 0).

Elapsed job times are set by writing the job clock's start times directly (a job that
started "10 s ago"), so the ETAs are known without waiting on any clock.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from services.common.chunks import StatusChunk
from services.common.genie_limiter import GenieRateLimiter
from services.common.keys import ARQ_IN_PROGRESS_PREFIX, ARQ_QUEUE, RedisKeys
from services.common.publisher import Publisher
from services.common.settings import Settings
from services.worker.backlog_positions import BacklogPositions
from services.worker.backlog_ticker import BacklogTicker
from services.worker.job_clock import JobClock


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url.rsplit("/", 1)[0] + "/9")  # this module's alone
    await client.flushdb()
    yield client
    await client.flushdb()
    await client.aclose()


@pytest.fixture
def keys() -> RedisKeys:
    return RedisKeys(f"test-{uuid.uuid4().hex[:8]}")


def positions(redis: Redis, keys: RedisKeys, **settings: float) -> BacklogPositions:
    limiter = GenieRateLimiter(redis, keys, Settings(**settings))
    publisher = Publisher(redis, keys, 600)
    return BacklogPositions(redis, keys, publisher, limiter, JobClock(redis, keys))


async def queued(redis: Redis, keys: RedisKeys, question_id: str) -> list[dict]:
    log = [json.loads(raw) for raw in await redis.lrange(keys.replay_log(question_id), 0, -1)]
    return [chunk for chunk in log if chunk.get("status") == "queued"]


async def enqueue(redis: Redis, *job_ids: str) -> None:
    """Due jobs in arq's queue, in this order."""
    now_ms = time.time() * 1000
    await redis.zadd(ARQ_QUEUE, {job_id: now_ms - 100 + i for i, job_id in enumerate(job_ids)})


async def run(redis: Redis, keys: RedisKeys, job_id: str, started_s_ago: float) -> None:
    """A worker holds the job, started that long ago (as arq's hooks and claim record it)."""
    await redis.set(ARQ_IN_PROGRESS_PREFIX + job_id, 1, ex=60)
    await redis.zadd(keys.job_starts, {job_id: time.time() - started_s_ago})


async def test_the_head_tells_the_backlog_its_places_once_until_they_move(
    redis: Redis, keys: RedisKeys
) -> None:
    limiter = GenieRateLimiter(redis, keys, Settings(genie_rate_limit_per_min=1))
    backlog = positions(redis, keys, genie_rate_limit_per_min=1)
    await redis.rpush(keys.job_durations, 5.0)  # slots free long before Genie's limit does
    assert (await limiter.take_turn("q0", 0.0)).granted
    head = await limiter.take_turn("head", 1.0)
    await enqueue(redis, "running", "b1", "b2")
    await run(redis, keys, "running", 0)

    await backlog.publish_for(head)
    await backlog.publish_for(await limiter.take_turn("head", 1.0))  # at most a second less

    b1, b2 = await queued(redis, keys, "b1"), await queued(redis, keys, "b2")
    assert [c["position"] for c in b1] in ([2], [2, 2]) and b2[0]["position"] == 3
    assert b1[-1]["eta_s"] >= b1[0]["eta_s"] - 1 and b1[0]["eta_s"] > head.wait_s
    assert b2[0]["eta_s"] - b1[0]["eta_s"] >= 59  # one start a minute
    assert "Waiting for Genie" in b1[0]["message"]
    assert await queued(redis, keys, "running") == []
    await limiter.leave("head")  # the head started; b1 reaches a worker and heads the line
    await run(redis, keys, "b1", 0)
    await backlog.publish_for(await limiter.take_turn("b1", 2.0))
    assert [c["position"] for c in await queued(redis, keys, "b2")][-1] == 2


async def test_with_no_line_the_queue_counts_down_as_running_jobs_near_their_end(
    redis: Redis, keys: RedisKeys
) -> None:
    backlog = positions(redis, keys)
    await redis.rpush(keys.job_durations, 12.0, 12.0)  # a job takes 12 s
    await enqueue(redis, "r1", "r2", "w1", "w2", "w3")
    await run(redis, keys, "r1", started_s_ago=10)  # ends in ~2 s
    await run(redis, keys, "r2", started_s_ago=5)  # ends in ~7 s

    await backlog.publish_queue()
    first = {q: (await queued(redis, keys, q))[-1] for q in ("w1", "w2", "w3")}
    # ranks in arq's queue, running jobs included; w3 gets w1's slot when w1's job ends
    assert [first[q]["position"] for q in ("w1", "w2", "w3")] == [3, 4, 5]
    assert [first[q]["eta_s"] for q in ("w1", "w2", "w3")] == [2, 7, 14]
    assert first["w1"]["message"] == "⏳ Queued: 2 questions ahead of yours, starting in about 2 s"

    await backlog.publish_queue()  # nothing moved: nothing new
    assert len(await queued(redis, keys, "w2")) == 1
    await redis.zadd(keys.job_starts, {"r2": time.time() - 6})  # a second later
    await backlog.publish_queue()
    assert [c["eta_s"] for c in await queued(redis, keys, "w2")] == [7, 6]

    # r1 ends and w1 takes its slot: everyone moves up, w2 and w3 sooner
    await redis.zrem(ARQ_QUEUE, "r1")
    await run(redis, keys, "w1", started_s_ago=0)
    await backlog.publish_queue()
    assert [(c["position"], c["eta_s"]) for c in await queued(redis, keys, "w2")][-1] == (3, 6)
    assert [(c["position"], c["eta_s"]) for c in await queued(redis, keys, "w3")][-1] == (4, 12)
    assert len(await queued(redis, keys, "w1")) == 1  # claimed: nothing more for it
    assert set(await redis.hkeys(keys.backlog_shown)) == {b"w2", b"w3"}  # w1 forgotten


async def test_a_countdown_never_jumps_back_up_while_the_place_holds(
    redis: Redis, keys: RedisKeys
) -> None:
    backlog = positions(redis, keys)
    await redis.rpush(keys.job_durations, 10.0)
    await enqueue(redis, "r1", "w1")
    await run(redis, keys, "r1", started_s_ago=5)
    await backlog.publish_queue()
    await redis.lpush(keys.job_durations, 30.0)  # a slow job lifts the mean to 20 s
    await backlog.publish_queue()
    assert [c["eta_s"] for c in await queued(redis, keys, "w1")] == [5]


async def test_nothing_is_published_for_a_job_a_worker_has_claimed(
    redis: Redis, keys: RedisKeys
) -> None:
    publisher = Publisher(redis, keys, 600)
    chunk = StatusChunk(question_id="q", status="queued", message="⏳", position=1, eta_s=3)
    claimed = ARQ_IN_PROGRESS_PREFIX + "q"
    await redis.set(claimed, 1, ex=60)
    assert await publisher.publish(chunk, unless_exists=claimed) is None
    await redis.delete(claimed)
    assert (await publisher.publish(chunk, unless_exists=claimed))[0].seq == 0


async def test_the_head_of_genies_line_speaks_for_the_queue_instead_of_the_ticker(
    redis: Redis, keys: RedisKeys
) -> None:
    backlog = positions(redis, keys)
    await enqueue(redis, "r1", "w1")
    await run(redis, keys, "r1", started_s_ago=0)
    await redis.zadd(keys.genie_line, {"r1": 1.0})
    await backlog.publish_queue()
    assert await queued(redis, keys, "w1") == []


async def test_one_worker_a_tick_publishes_however_many_tick(redis: Redis, keys: RedisKeys) -> None:
    backlog = positions(redis, keys)
    tickers = [BacklogTicker(redis, keys, backlog, every_s=60) for _ in range(3)]
    assert [await ticker.tick() for ticker in tickers] == [True, False, False]
    await redis.delete(keys.backlog_tick)  # the tick's lock lapsed: the next tick
    assert await tickers[1].tick()


async def test_the_job_clock_keeps_the_latest_durations(redis: Redis, keys: RedisKeys) -> None:
    clock = JobClock(redis, keys)
    await clock.started("a")
    await redis.zadd(keys.job_starts, {"a": time.time() - 4})
    times = await clock.read(["a", "unknown"])
    assert times.elapsed_s[0] is not None and times.elapsed_s[0] >= 4
    assert times.elapsed_s[1] is None and times.recent_s == []
    await clock.ended("a")
    await clock.ended("never-started")  # a start lost (a worker from before): no duration
    times = await clock.read(["a"])
    assert times.elapsed_s == [None] and len(times.recent_s) == 1 and times.recent_s[0] >= 4

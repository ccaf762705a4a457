"""The Genie rate limiter's Lua script on the session's real Redis."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

from services.common.genie_limiter import GenieRateLimiter
from services.common.keys import RedisKeys
from services.common.settings import Settings


def limiter(redis: Redis, keys: RedisKeys, **settings) -> GenieRateLimiter:
    return GenieRateLimiter(redis, keys, Settings(**settings))


async def test_the_burst_is_granted_then_the_next_start_waits_for_a_refill(
    redis: Redis, keys: RedisKeys
) -> None:
    genie = limiter(redis, keys, genie_rate_limit_per_min=3, genie_rate_window_s=600)
    assert (await genie.take_turn("q1", 1.0)).granted
    turn = await genie.take_turn("q2", 2.0)
    assert not turn.granted
    assert turn.position == 1
    assert 0 < turn.wait_s <= 200  # one token every 600 / 3 s


async def test_the_line_is_first_asked_first_served_whoever_checks_first(
    redis: Redis, keys: RedisKeys
) -> None:
    genie = limiter(redis, keys, genie_rate_limit_per_min=3, genie_rate_window_s=600)
    assert (await genie.take_turn("q0", 0.0)).granted  # spends the only token
    assert (await genie.take_turn("late", 20.0)).position == 1
    earlier = await genie.take_turn("early", 10.0)
    later = await genie.take_turn("late", 20.0)
    assert (earlier.position, later.position) == (1, 2)
    assert earlier.wait_s < later.wait_s


async def test_leaving_or_a_lapsed_lease_moves_the_line_up(redis: Redis, keys: RedisKeys) -> None:
    genie = limiter(redis, keys, genie_rate_limit_per_min=1, genie_rate_window_s=600)
    assert (await genie.take_turn("q0", 0.0)).granted
    for place, question in enumerate(["a", "b", "c"], start=1):
        assert (await genie.take_turn(question, float(place))).position == place
    await genie.leave("a")
    await redis.zadd(keys.genie_line_leases, {"b": 0})  # b's worker died long ago
    assert (await genie.take_turn("c", 3.0)).position == 1


async def test_a_refilled_token_goes_to_the_head_of_the_line(redis: Redis, keys: RedisKeys) -> None:
    genie = limiter(
        redis, keys, genie_rate_limit_per_min=2, genie_rate_window_s=0.5, genie_rate_burst=2
    )
    assert (await genie.take_turn("q1", 1.0)).granted
    assert (await genie.take_turn("q2", 2.0)).granted
    assert not (await genie.take_turn("q3", 3.0)).granted
    for _ in range(200):  # tokens return at 4 per second
        if (await genie.take_turn("q3", 3.0)).granted:
            break
        await asyncio.sleep(0.05)
    else:
        raise AssertionError("no token came back")
    assert await redis.zcard(keys.genie_line) == 0

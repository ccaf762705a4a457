"""The Genie rate limiter's Lua script on the session's real Redis."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

from harness.genie_starts import most_in_any_window
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


async def _grant_times(genie: GenieRateLimiter, redis: Redis, questions: int) -> list[float]:
    """Ask ``questions`` questions in order, each as soon as it may; when each started
    (Redis' clock, the one the limiter reads)."""
    granted = []
    for n in range(questions):
        while not (await genie.take_turn(f"q{n}", float(n))).granted:
            await asyncio.sleep(0.005)
        seconds, micros = await redis.time()
        granted.append(seconds + micros / 1e6)
    return granted


async def test_the_whole_burst_never_puts_more_than_the_limit_in_a_window(
    redis: Redis, keys: RedisKeys
) -> None:
    # a bucket alone starts 3 at once and a 4th a third of a window later
    limit, window_s = 3, 0.6
    genie = limiter(
        redis,
        keys,
        genie_rate_limit_per_min=limit,
        genie_rate_window_s=window_s,
        genie_rate_burst=limit,
        genie_rate_margin=0.05,
    )
    granted = await _grant_times(genie, redis, 3 * limit)
    assert most_in_any_window(granted, window_s) == limit


async def test_an_even_pace_leaves_the_margin_between_windows(
    redis: Redis, keys: RedisKeys
) -> None:
    # burst 1: a bucket alone starts at 0, 0.2, 0.4 and 0.6 s, four in the closed [0, 0.6];
    # the start log keeps the fourth out of any span of window × (1 + margin)
    limit, window_s, margin = 3, 0.6, 0.2
    genie = limiter(
        redis,
        keys,
        genie_rate_limit_per_min=limit,
        genie_rate_window_s=window_s,
        genie_rate_margin=margin,
    )
    granted = await _grant_times(genie, redis, 2 * limit + 1)
    assert most_in_any_window(granted, window_s * (1 + margin / 2)) == limit


async def test_a_waiter_behind_a_full_log_is_told_when_it_frees(
    redis: Redis, keys: RedisKeys
) -> None:
    genie = limiter(
        redis, keys, genie_rate_limit_per_min=2, genie_rate_window_s=600, genie_rate_burst=2
    )
    assert (await genie.take_turn("q1", 1.0)).granted
    assert (await genie.take_turn("q2", 2.0)).granted
    waiting = await genie.take_turn("q3", 3.0)
    # the bucket would refill a token in 300 s; the log frees a place only after 630 s
    assert not waiting.granted and waiting.position == 1 and waiting.wait_s > 600

"""Genie's rate limit, shared by every worker: a token bucket and a fair line, in Redis.

Databricks allows a workspace about 5 new Genie questions a minute; polling is free.
The limit is global, so it cannot live in a worker: one Lua script keeps the bucket
(tokens refilling at ``limit / window`` per second, holding at most ``burst``) and the
line of questions waiting for a token, ordered by when they were asked. Only the
questions at the front of the line may take a token, so a late question never overtakes
an earlier one however often its worker asks. Time comes from Redis' own clock, so
workers on machines with skewed clocks still share one bucket.

A waiter holds a lease that it renews each time it asks; a worker killed while its
question waited stops renewing, and the lapsed entry leaves the line instead of
blocking everyone behind it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from redis.asyncio import Redis

from services.common.keys import RedisKeys
from services.common.settings import Settings

logger = logging.getLogger(__name__)

# KEYS[1] bucket hash, KEYS[2] line (member → asked-at score), KEYS[3] leases (member → ms)
# ARGV[1] question id, ARGV[2] asked-at score, ARGV[3] tokens per second, ARGV[4] burst,
# ARGV[5] lease ms, ARGV[6] key ttl s
# Returns {1} when a token was taken, else {0, position (1-based), seconds until its turn}.
_TAKE_TURN = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local now_ms = math.floor(now * 1000)
local lapsed = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now_ms)
for _, member in ipairs(lapsed) do
    redis.call('ZREM', KEYS[2], member)
    redis.call('ZREM', KEYS[3], member)
end
redis.call('ZADD', KEYS[2], 'NX', ARGV[2], ARGV[1])
redis.call('ZADD', KEYS[3], now_ms + tonumber(ARGV[5]), ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[6])
redis.call('EXPIRE', KEYS[3], ARGV[6])
local rate, burst = tonumber(ARGV[3]), tonumber(ARGV[4])
local tokens = tonumber(redis.call('HGET', KEYS[1], 'tokens') or burst)
local last = tonumber(redis.call('HGET', KEYS[1], 'ts') or now)
tokens = math.min(burst, tokens + math.max(0, now - last) * rate)
local rank = redis.call('ZRANK', KEYS[2], ARGV[1])
local granted = tokens >= rank + 1
if granted then
    tokens = tokens - 1
    redis.call('ZREM', KEYS[2], ARGV[1])
    redis.call('ZREM', KEYS[3], ARGV[1])
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('EXPIRE', KEYS[1], ARGV[6])
if granted then
    return {1}
end
return {0, rank + 1, tostring((rank + 1 - tokens) / rate)}
"""

#: a waiter's lease covers this many missed check-ins before its place lapses
LEASE_CHECKS = 5
LEASE_MIN_S = 10.0
KEY_TTL_S = 24 * 3600


@dataclass(frozen=True)
class Turn:
    """The answer to "may this question start on Genie now?"."""

    granted: bool
    position: int = 0  # 1-based place in the line while not granted
    wait_s: float = 0.0  # until enough tokens exist for this place, if nobody new arrives


class GenieRateLimiter:
    """Hands out Genie starts to every worker's questions, fairly and within the limit."""

    def __init__(self, redis: Redis, keys: RedisKeys, settings: Settings) -> None:
        self._redis = redis
        self._keys = keys
        self._rate_per_s = settings.genie_rate_limit_per_min / settings.genie_rate_window_s
        self._burst = settings.genie_rate_burst
        lease_s = max(LEASE_MIN_S, LEASE_CHECKS * settings.genie_queue_update_s)
        self._lease_ms = int(lease_s * 1000)
        self._script = redis.register_script(_TAKE_TURN)

    @property
    def interval_s(self) -> float:
        """Seconds between two starts once the burst is spent."""
        return 1 / self._rate_per_s

    async def take_turn(self, question_id: str, asked_at: float) -> Turn:
        """Take a token if this question's turn has come, else join (or keep) its place.

        ``asked_at`` orders the line; call again before the lease lapses to keep the
        place, and ``leave`` when giving up (cancelled, worker stopping).
        """
        keys = [self._keys.genie_bucket, self._keys.genie_line, self._keys.genie_line_leases]
        args = [question_id, asked_at, self._rate_per_s, self._burst, self._lease_ms, KEY_TTL_S]
        reply = await self._script(keys=keys, args=args)
        if int(reply[0]) == 1:
            return Turn(granted=True)
        return Turn(granted=False, position=int(reply[1]), wait_s=max(0.0, float(reply[2])))

    async def leave(self, question_id: str) -> None:
        """Give up a place in the line (the question no longer waits for Genie)."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.zrem(self._keys.genie_line, question_id)
            pipe.zrem(self._keys.genie_line_leases, question_id)
            await pipe.execute()

"""Genie's rate limit, shared by every worker: a start log, a token bucket and a fair line.

Databricks allows a workspace about 5 new Genie questions a minute; polling is free.
The limit is global, so it cannot live in a worker: one Lua script keeps

- the log of starts granted within the last ``window × (1 + margin)``: a question starts
  only while fewer than ``limit`` are in it, so no window of the configured length ever
  holds more than ``limit`` starts, even as Genie sees them (each start reaches Genie a
  little after its turn is granted, and the margin covers the spread of that delay);
- a token bucket (``limit / window`` per second, at most ``burst`` held) that spreads
  the starts over the window instead of spending the limit at once;
- the line of questions waiting for a turn, ordered by when they were asked. Only the
  questions at the front of the line may start, so a late question never overtakes an
  earlier one however often its worker asks.

(A bucket alone is not enough: burst 1 at 5 a minute starts at 0, 12, … 48 and 60 s,
six starts in the closed minute [0, 60].) Time comes from Redis' own clock, so workers
on machines with skewed clocks still share one limit.

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

# KEYS[1] bucket hash, KEYS[2] line (member → asked-at score), KEYS[3] leases (member → ms),
# KEYS[4] start log (member → granted-at score)
# ARGV[1] question id, ARGV[2] asked-at score, ARGV[3] tokens per second, ARGV[4] burst,
# ARGV[5] lease ms, ARGV[6] key ttl s, ARGV[7] limit, ARGV[8] log span s (window + margin)
# Returns {1} when a turn was granted, else {0, position (1-based), seconds until its turn}.
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
local limit, span = tonumber(ARGV[7]), tonumber(ARGV[8])
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - span)
local recent = redis.call('ZCARD', KEYS[4])
local tokens = tonumber(redis.call('HGET', KEYS[1], 'tokens') or burst)
local last = tonumber(redis.call('HGET', KEYS[1], 'ts') or now)
tokens = math.min(burst, tokens + math.max(0, now - last) * rate)
local rank = redis.call('ZRANK', KEYS[2], ARGV[1])
local granted = tokens >= rank + 1 and recent + rank + 1 <= limit
if granted then
    tokens = tokens - 1
    redis.call('ZREM', KEYS[2], ARGV[1])
    redis.call('ZREM', KEYS[3], ARGV[1])
    redis.call('ZADD', KEYS[4], now, ARGV[1] .. '@' .. tostring(now_ms))
    redis.call('EXPIRE', KEYS[4], math.ceil(span) + 1)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('EXPIRE', KEYS[1], ARGV[6])
if granted then
    return {1}
end
local wait = (rank + 1 - tokens) / rate
-- the log frees a place when its oldest start leaves the span; this place needs `over`
-- of them gone, and past the log's length whole spans of starts still to come
local over = recent + rank + 1 - limit
if over > 0 then
    local index = math.min(over, recent) - 1
    local spans = math.floor((over - 1) / limit)
    local oldest = redis.call('ZRANGE', KEYS[4], index, index, 'WITHSCORES')
    local frees = (oldest[2] and tonumber(oldest[2]) or now) + span * (1 + spans)
    wait = math.max(wait, frees - now)
end
return {0, rank + 1, tostring(wait)}
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
    wait_s: float = 0.0  # until the limit allows this place, if nobody new arrives


class GenieRateLimiter:
    """Hands out Genie starts to every worker's questions, fairly and within the limit."""

    def __init__(self, redis: Redis, keys: RedisKeys, settings: Settings) -> None:
        self._redis = redis
        self._keys = keys
        self._limit = settings.genie_rate_limit_per_min
        self._rate_per_s = self._limit / settings.genie_rate_window_s
        self._span_s = settings.genie_rate_window_s * (1 + settings.genie_rate_margin)
        self._burst = settings.genie_rate_burst
        lease_s = max(LEASE_MIN_S, LEASE_CHECKS * settings.genie_queue_update_s)
        self._lease_ms = int(lease_s * 1000)
        self._script = redis.register_script(_TAKE_TURN)

    @property
    def interval_s(self) -> float:
        """Seconds between two starts, on average, once the burst is spent."""
        return max(1 / self._rate_per_s, self._span_s / self._limit)

    async def take_turn(self, question_id: str, asked_at: float) -> Turn:
        """Take a token if this question's turn has come, else join (or keep) its place.

        ``asked_at`` orders the line; call again before the lease lapses to keep the
        place, and ``leave`` when giving up (cancelled, worker stopping).
        """
        keys = [
            self._keys.genie_bucket,
            self._keys.genie_line,
            self._keys.genie_line_leases,
            self._keys.genie_starts,
        ]
        args = [
            question_id, asked_at, self._rate_per_s, self._burst, self._lease_ms, KEY_TTL_S,
            self._limit, self._span_s,
        ]  # fmt: skip
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

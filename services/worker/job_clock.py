"""When each running job started and how long the latest jobs took, kept in Redis.

arq's in-progress key says only *that* a job runs, not since when, and any worker may
be asked where a queued question stands; so arq's job hooks (wired in worker_settings)
record each job's start in a sorted set and, when it ends, move its duration onto a
short list of the latest ones. services/worker/queue_eta.py turns both into ETAs.
A start left behind by a killed worker is overwritten when its job runs again.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from redis.asyncio import Redis

from services.common.keys import RedisKeys

#: durations kept: enough to smooth one odd job, few enough to follow a change of pace
RECENT_JOBS = 20
KEY_TTL_S = 24 * 3600

# KEYS[1] job starts (job id → started at, s), KEYS[2] recent durations (s, newest first)
# ARGV[1] job id, ARGV[2] now (s), ARGV[3] durations kept, ARGV[4] ttl s
_ENDED = """
local started = redis.call('ZSCORE', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[1], ARGV[1])
if started then
    redis.call('LPUSH', KEYS[2], tostring(math.max(0, tonumber(ARGV[2]) - tonumber(started))))
    redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[3]) - 1)
    redis.call('EXPIRE', KEYS[2], ARGV[4])
end
"""


@dataclass(frozen=True)
class JobTimes:
    """What the queue's ETAs are computed from, read in one round trip."""

    elapsed_s: list[float | None]  # per running job asked about; None: start not recorded
    recent_s: list[float]  # the latest jobs' durations


class JobClock:
    """Records job starts and durations for every worker on one Redis."""

    def __init__(self, redis: Redis, keys: RedisKeys) -> None:
        self._redis = redis
        self._keys = keys
        self._ended = redis.register_script(_ENDED)

    async def started(self, job_id: str) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.zadd(self._keys.job_starts, {job_id: time.time()})
            pipe.expire(self._keys.job_starts, KEY_TTL_S)
            await pipe.execute()

    async def ended(self, job_id: str) -> None:
        keys = [self._keys.job_starts, self._keys.job_durations]
        await self._ended(keys=keys, args=[job_id, time.time(), RECENT_JOBS, KEY_TTL_S])

    async def read(self, running: list[str]) -> JobTimes:
        """How long each of ``running`` has run so far, and the latest durations."""
        async with self._redis.pipeline(transaction=False) as pipe:
            for job_id in running:
                pipe.zscore(self._keys.job_starts, job_id)
            pipe.lrange(self._keys.job_durations, 0, -1)
            *starts, recent = await pipe.execute()
        now = time.time()
        elapsed = [None if start is None else max(0.0, now - start) for start in starts]
        return JobTimes(elapsed, [float(value) for value in recent])

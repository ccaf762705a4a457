"""Once a tick, one worker tells the questions waiting in arq's queue where they stand.

A question no worker has taken has no job running to speak for it, and the API never
polls anything (it only relays what Redis publishes). So every worker runs this small
task beside its jobs (like its job lease): each tick it tries to take a lock that lapses
just before the next tick, and whichever worker holds it publishes the backlog's places
(backlog_positions) — one publisher a tick however many workers run, and the next
one carries on if that worker dies.
"""

from __future__ import annotations

import asyncio
import logging

from redis.asyncio import Redis
from redis.exceptions import RedisError

from services.common.background import stop_task
from services.common.keys import RedisKeys
from services.worker.backlog_positions import BacklogPositions

logger = logging.getLogger(__name__)

#: the tick's lock lapses this far into the tick, so the next tick finds it free
LOCK_SHARE = 0.8


class BacklogTicker:
    """Runs ``BacklogPositions.publish_queue`` about every ``every_s``, one worker a tick."""

    def __init__(
        self, redis: Redis, keys: RedisKeys, backlog: BacklogPositions, every_s: float
    ) -> None:
        self._redis = redis
        self._keys = keys
        self._backlog = backlog
        self.every_s = every_s
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._tick_forever(), name="backlog-ticker")

    async def stop(self) -> None:
        await stop_task(self._task)
        self._task = None

    async def tick(self) -> bool:
        """Publish the backlog's places if no other worker did this tick; True if this one did."""
        lock_ms = max(1, int(self.every_s * LOCK_SHARE * 1000))
        if not await self._redis.set(self._keys.backlog_tick, 1, nx=True, px=lock_ms):
            return False
        await self._backlog.publish_queue()
        return True

    async def _tick_forever(self) -> None:
        while True:
            await asyncio.sleep(self.every_s)
            try:
                await self.tick()
            except (RedisError, OSError) as error:  # Redis away: the next tick tries again
                logger.warning("backlog places not published: %s", error)

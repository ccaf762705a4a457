"""Places and ETAs for questions still in arq's queue, published by the head of the line.

A question reaches the Genie line (genie_limiter) only when a worker has a free job
slot; beyond ``max_jobs`` per worker the rest wait in arq's queue, where no job of
theirs runs to tell the user anything. The question at the head of the line checks in
about once a second anyway, so it also works out where each of those stands — behind
everyone in the line, in arq's order — and publishes a ``queued`` chunk for each whose
place changed or whose expected start moved by a second or more. What was last shown
is kept in Redis, so whichever question heads the line next carries on without repeats.
"""

from __future__ import annotations

import logging
import math
import time

from redis.asyncio import Redis

from services.common.chunks import QuestionStatus, StatusChunk
from services.common.genie_limiter import GenieRateLimiter, Turn
from services.common.keys import ARQ_IN_PROGRESS_PREFIX, ARQ_QUEUE, RedisKeys
from services.common.publisher import Publisher
from services.worker.genie_turn import ETA_SLACK_S, waiting_message

logger = logging.getLogger(__name__)

#: the furthest back in arq's queue a position is published
MAX_BACKLOG = 200
SHOWN_TTL_S = 3600


class BacklogPositions:
    """Publishes queued chunks for questions waiting in arq's queue, not yet in the line."""

    def __init__(
        self, redis: Redis, keys: RedisKeys, publisher: Publisher, limiter: GenieRateLimiter
    ) -> None:
        self._redis = redis
        self._keys = keys
        self._publisher = publisher
        self._limiter = limiter

    @property
    def _shown_key(self) -> str:
        return f"{self._keys.genie_line}:backlog-shown"

    async def publish_for(self, head: Turn) -> None:
        """Given the head's turn, tell each question in arq's backlog its place and ETA."""
        waiting = await self._backlog()
        if not waiting:
            return
        line_length = await self._redis.zcard(self._keys.genie_line)
        shown = await self._redis.hmget(self._shown_key, waiting)
        now = time.time()
        updates: dict[str, str] = {}
        for index, (question_id, last) in enumerate(zip(waiting, shown, strict=True)):
            position = line_length + index + 1
            # tokens for `position` arrive one interval apart after the head's
            wait_s = head.wait_s + (position - head.position) * self._limiter.interval_s
            expected = now + wait_s
            if last is not None:
                last_position, last_expected = last.decode().split("|")
                same_place = int(last_position) == position
                if same_place and abs(float(last_expected) - expected) < ETA_SLACK_S:
                    continue
            turn = Turn(granted=False, position=position, wait_s=wait_s)
            chunk = StatusChunk(
                question_id=question_id,
                status=QuestionStatus.QUEUED,
                message=waiting_message(turn),
                position=position,
                eta_s=math.ceil(wait_s),
            )
            if await self._publisher.publish(chunk) is not None:
                updates[question_id] = f"{position}|{expected}"
        if updates:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.hset(self._shown_key, mapping=updates)
                pipe.expire(self._shown_key, SHOWN_TTL_S)
                await pipe.execute()

    async def _backlog(self) -> list[str]:
        """Question ids due in arq's queue that no worker has started, oldest first."""
        now_ms = int(time.time() * 1000)
        raw = await self._redis.zrangebyscore(ARQ_QUEUE, "-inf", now_ms, start=0, num=MAX_BACKLOG)
        job_ids = [item.decode() if isinstance(item, bytes) else item for item in raw]
        if not job_ids:
            return []
        async with self._redis.pipeline(transaction=False) as pipe:
            for job_id in job_ids:
                pipe.exists(ARQ_IN_PROGRESS_PREFIX + job_id)
            started = await pipe.execute()
        return [job_id for job_id, running in zip(job_ids, started, strict=True) if not running]

"""Places and ETAs for questions still in arq's queue, counting down about once a second.

A question reaches a worker only when one has a free job slot; beyond ``max_jobs`` per
worker the rest wait in arq's queue, where no job of theirs runs to tell the user
anything. Two callers speak for them:

- while questions wait in Genie's line (genie_limiter), the line's head checks in about
  once a second anyway and knows how long the rate limit holds it: it calls
  ``publish_for``, and places count behind everyone in the line at the limiter's pace;
- otherwise one worker a tick (backlog_ticker) calls ``publish_queue``: places are ranks
  in arq's queue, running jobs included (what the API told the question when it was
  asked), and the wait is until enough running jobs end (queue_eta, job_clock).

Either way the ETA is at least what the busy job slots allow, and a question is told its
place and ETA whenever either changes in whole seconds: about once a second, the ETA
counting down. Estimates wobble as the latest jobs' mean moves, and a countdown that
jumps back up reads as broken, so while a question's place does not rise (and the same
caller speaks) the ETA shown never rises either. What was last shown is kept in Redis,
so whichever worker publishes next carries on without repeats. Each chunk is published
only while no worker has claimed its job (checked in the publishing script), so none
lands after the worker's own statuses.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from redis.asyncio import Redis

from services.common.chunks import QuestionStatus, StatusChunk
from services.common.genie_limiter import GenieRateLimiter, Turn
from services.common.keys import ARQ_IN_PROGRESS_PREFIX, ARQ_QUEUE, RedisKeys
from services.common.publisher import Publisher
from services.common.waiting_messages import genie_wait_message, queued_message
from services.worker.job_clock import JobClock
from services.worker.queue_eta import expected_job_s, remaining_s, start_waits_s

logger = logging.getLogger(__name__)

#: the furthest back in arq's queue a position is published
MAX_BACKLOG = 200
SHOWN_TTL_S = 3600
#: who last spoke for a question (kept with what it showed): the line's head, or the ticker
LINE, QUEUE = "line", "queue"


@dataclass(frozen=True)
class _Queue:
    """arq's due jobs, oldest first, and which of them a worker is running."""

    job_ids: list[str]
    running: list[bool]

    @property
    def running_ids(self) -> list[str]:
        return [job_id for job_id, busy in zip(self.job_ids, self.running, strict=True) if busy]

    @property
    def waiting(self) -> list[tuple[int, str]]:
        """(1-based rank in the queue, job id) of each job no worker has claimed."""
        pairs = zip(self.job_ids, self.running, strict=True)
        return [(rank, job_id) for rank, (job_id, busy) in enumerate(pairs, 1) if not busy]


@dataclass(frozen=True)
class _Place:
    question_id: str
    position: int
    wait_s: float


class BacklogPositions:
    """Publishes queued chunks for questions waiting in arq's queue."""

    def __init__(
        self,
        redis: Redis,
        keys: RedisKeys,
        publisher: Publisher,
        limiter: GenieRateLimiter,
        clock: JobClock,
    ) -> None:
        self._redis = redis
        self._keys = keys
        self._publisher = publisher
        self._limiter = limiter
        self._clock = clock

    async def publish_for(self, head: Turn) -> None:
        """Given the head of Genie's line's turn, tell each question in arq's queue its
        place behind the line and when the rate limit (or a job slot) lets it start."""
        queue = await self._queue()
        if not queue.waiting:
            return
        line_length = await self._redis.zcard(self._keys.genie_line)
        slot_waits = await self._slot_waits(queue)
        places = []
        waiting = zip(queue.waiting, slot_waits, strict=True)
        for index, ((_, question_id), slot_wait) in enumerate(waiting):
            position = line_length + index + 1
            # tokens for `position` arrive one interval apart after the head's
            line_wait = head.wait_s + (position - head.position) * self._limiter.interval_s
            places.append(_Place(question_id, position, max(line_wait, slot_wait)))
        await self._tell(places, LINE, genie_wait_message)

    async def publish_queue(self) -> None:
        """Tell each question in arq's queue its rank there and when a job slot frees for
        it — unless questions wait in Genie's line: its head speaks for them then."""
        if await self._redis.exists(self._keys.genie_line):
            return
        queue = await self._queue()
        if not queue.waiting:
            return
        slot_waits = await self._slot_waits(queue)
        places = [
            _Place(question_id, rank, wait_s)
            for (rank, question_id), wait_s in zip(queue.waiting, slot_waits, strict=True)
        ]
        await self._tell(places, QUEUE, queued_message)

    async def _slot_waits(self, queue: _Queue) -> list[float]:
        times = await self._clock.read(queue.running_ids)
        job_s = expected_job_s(times.recent_s)
        return start_waits_s(remaining_s(times.elapsed_s, job_s), job_s, len(queue.waiting))

    async def _tell(
        self, places: list[_Place], speaker: str, message: Callable[[int, int], str]
    ) -> None:
        """Publish each place whose position or whole-second ETA differs from the last shown."""
        shown = await self._redis.hmget(self._keys.backlog_shown, [p.question_id for p in places])
        updates: dict[str, str] = {}
        for place, last in zip(places, shown, strict=True):
            eta_s = math.ceil(place.wait_s)
            if last is not None:
                position, last_eta, last_speaker = _decode_shown(last)
                if last_speaker == speaker and place.position <= position:
                    eta_s = min(eta_s, last_eta)
                if (place.position, eta_s, speaker) == (position, last_eta, last_speaker):
                    continue
            chunk = StatusChunk(
                question_id=place.question_id,
                status=QuestionStatus.QUEUED,
                message=message(place.position, eta_s),
                position=place.position,
                eta_s=eta_s,
            )
            claimed = ARQ_IN_PROGRESS_PREFIX + place.question_id
            if await self._publisher.publish(chunk, unless_exists=claimed) is not None:
                updates[place.question_id] = f"{place.position}|{eta_s}|{speaker}"
        gone = await self._left_the_queue({place.question_id for place in places})
        if updates or gone:
            async with self._redis.pipeline(transaction=True) as pipe:
                if updates:
                    pipe.hset(self._keys.backlog_shown, mapping=updates)
                if gone:
                    pipe.hdel(self._keys.backlog_shown, *gone)
                pipe.expire(self._keys.backlog_shown, SHOWN_TTL_S)
                await pipe.execute()

    async def _left_the_queue(self, waiting: set[str]) -> list[str]:
        """Questions last shown a place that no longer wait: forgotten, so that what is
        kept stays as long as the queue, however long workers stay busy."""
        shown = await self._redis.hkeys(self._keys.backlog_shown)
        return [question_id for question_id in map(_text, shown) if question_id not in waiting]

    async def _queue(self) -> _Queue:
        """arq's jobs that are due (not deferred), oldest first, and which are running."""
        now_ms = int(time.time() * 1000)
        raw = await self._redis.zrangebyscore(ARQ_QUEUE, "-inf", now_ms, start=0, num=MAX_BACKLOG)
        job_ids = [_text(item) for item in raw]
        if not job_ids:
            return _Queue([], [])
        async with self._redis.pipeline(transaction=False) as pipe:
            for job_id in job_ids:
                pipe.exists(ARQ_IN_PROGRESS_PREFIX + job_id)
            running = await pipe.execute()
        return _Queue(job_ids, [bool(flag) for flag in running])


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _decode_shown(value: bytes) -> tuple[int, int, str]:
    """``position|eta_s|speaker``, as ``_tell`` writes it."""
    position, eta_s, speaker = value.decode().split("|")
    return int(position), int(eta_s), speaker

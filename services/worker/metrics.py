"""What a worker measures, recorded in Redis for the API's /metrics (common/metrics.py).

Job durations and queue waits come from arq's job hooks (``on_job_start`` /
``on_job_end``, wired in worker_settings); the job reports the rest: its first chunk,
each agent run it starts (one Genie conversation or message) and every Genie 429 the
agent's stream reports — as a ``retrying`` status whose code is ``rate_limited`` while it
backs off, or a ``rate_limited`` error once it gives up.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime
from typing import Any

from redis.exceptions import RedisError

from agent.stream_contract import ErrorCode, Event, Kind, Status
from services.common.metrics import (
    FIRST_CHUNK,
    GENIE_CALLS,
    GENIE_RATE_LIMITED,
    JOB_DURATION,
    QUEUE_WAIT,
    RedisMetrics,
)

logger = logging.getLogger(__name__)

#: ctx key holding when arq started the job (monotonic seconds)
STARTED = "metrics_started"


class WorkerMetrics:
    """The job's view; a metric that cannot be written is logged, never fails a question."""

    def __init__(self, metrics: RedisMetrics) -> None:
        self._metrics = metrics

    async def first_chunk(self, asked_at: float) -> None:
        await self._safely(self._metrics.observe(FIRST_CHUNK, max(0.0, time.time() - asked_at)))

    async def agent_started(self) -> None:
        await self._safely(self._metrics.count(GENIE_CALLS))

    async def agent_event(self, event: Event) -> None:
        """Counts the event if it reports a Genie 429 (most events cost nothing here)."""
        kind, payload = event
        backing_off = kind is Kind.STATUS and payload.get("status") == Status.RETRYING
        if (backing_off or kind is Kind.ERROR) and payload.get("code") == ErrorCode.RATE_LIMITED:
            await self._safely(self._metrics.count(GENIE_RATE_LIMITED))

    async def job_started(self, ctx: dict[str, Any]) -> None:
        ctx[STARTED] = time.monotonic()
        enqueued: datetime = ctx["enqueue_time"]
        due_s = max(enqueued.timestamp(), ctx["score"] / 1000)  # a retry is due later
        await self._safely(self._metrics.observe(QUEUE_WAIT, max(0.0, time.time() - due_s)))

    async def job_ended(self, ctx: dict[str, Any]) -> None:
        if STARTED in ctx:
            await self._safely(self._metrics.observe(JOB_DURATION, time.monotonic() - ctx[STARTED]))

    @staticmethod
    async def _safely(write: Any) -> None:
        try:
            await write
        except (RedisError, OSError) as error:
            logger.warning("metrics not recorded: %s", error)

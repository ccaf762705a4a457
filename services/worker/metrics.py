"""What a worker measures, recorded in Redis for the API's /metrics (common/metrics.py).

Job durations and queue waits come from arq's job hooks (``on_job_start`` /
``on_job_end``, wired in worker_settings); the job reports the rest: its first chunk,
each agent run it starts (one Genie conversation or message) and every Genie 429 the
agent's stream reports — as a ``retrying`` status while it backs off, or a
``rate_limited`` error once it gives up.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from redis.exceptions import RedisError

from agent.genie_errors import RATE_LIMITED
from agent.genie_tool import TRANSIENT
from agent.stream_contract import Kind, read_event
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
#: the words the agent's retrying status uses for a 429 back-off
RATE_LIMIT_WORDS = TRANSIENT[RATE_LIMITED]


class WorkerMetrics:
    """The job's view; a metric that cannot be written is logged, never fails a question."""

    def __init__(self, metrics: RedisMetrics) -> None:
        self._metrics = metrics

    async def first_chunk(self, asked_at: float) -> None:
        await self._safely(self._metrics.observe(FIRST_CHUNK, max(0.0, time.time() - asked_at)))

    async def agent_started(self) -> None:
        await self._safely(self._metrics.count(GENIE_CALLS))

    async def agent_event(self, event: Mapping[str, Any]) -> None:
        """Counts the event if it reports a Genie 429 (most events cost nothing here)."""
        kind, payload = read_event(event)
        if kind is Kind.STATUS:
            limited = payload.get("status") == "retrying" and RATE_LIMIT_WORDS in str(
                payload.get("message", "")
            )
        else:
            limited = kind is Kind.ERROR and payload.get("code") == RATE_LIMITED
        if limited:
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

"""Workers' metrics, kept in one Redis hash so the API's ``/metrics`` can report them.

Workers are separate processes (any number, on any machine), started and stopped by
arq; a scrape port per worker would need a port plan and service discovery. Instead
each worker adds to counters and histogram buckets in Redis (``HINCRBY``, atomic across
workers) and the API reads the hash at scrape time: one scrape target, totals over
every worker, and nothing lost when a worker restarts. Histogram buckets are stored
cumulative, as Prometheus exposes them.

Hash fields: ``<metric>#count``/``#sum`` and ``<metric>#le=<bound>`` for histograms,
``<metric>#total`` for counters.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from redis.asyncio import Redis

from services.common.keys import RedisKeys

#: seconds; from a cache hit (tens of ms) to Genie's 10-minute limit
BUCKETS_S = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600)

JOB_DURATION = "job_duration_seconds"
QUEUE_WAIT = "job_queue_wait_seconds"
FIRST_CHUNK = "time_to_first_chunk_seconds"
GENIE_CALLS = "genie_calls"
GENIE_RATE_LIMITED = "genie_rate_limited"

HISTOGRAMS = {
    JOB_DURATION: "Time a worker spent on one job (one try of a question)",
    QUEUE_WAIT: "From enqueue (or a retry's due time) to a worker starting the job",
    FIRST_CHUNK: "From POST /questions to the worker's starting chunk (left the queue)",
}
COUNTERS = {
    GENIE_CALLS: "Questions a worker sent to the agent (each one Genie conversation/message)",
    GENIE_RATE_LIMITED: "Genie 429 answers the agent reported (retried or given up)",
}


class RedisMetrics:
    """Adds observations to the shared hash; each call is one pipelined round trip."""

    def __init__(self, redis: Redis, keys: RedisKeys) -> None:
        self._redis = redis
        self._key = keys.worker_metrics

    async def observe(self, name: str, seconds: float) -> None:
        async with self._redis.pipeline(transaction=False) as pipe:
            for bound in BUCKETS_S:
                if seconds <= bound:
                    pipe.hincrby(self._key, f"{name}#le={bound}", 1)
            pipe.hincrby(self._key, f"{name}#count", 1)
            pipe.hincrbyfloat(self._key, f"{name}#sum", seconds)
            await pipe.execute()

    async def count(self, name: str, amount: int = 1) -> None:
        await self._redis.hincrby(self._key, f"{name}#total", amount)


@dataclass
class HistogramSnapshot:
    buckets: list[tuple[str, float]] = field(default_factory=list)  # (le, cumulative count)
    count: float = 0.0
    total: float = 0.0


@dataclass
class MetricsSnapshot:
    histograms: dict[str, HistogramSnapshot]
    counters: dict[str, float]


async def read_metrics(redis: Redis, keys: RedisKeys) -> MetricsSnapshot:
    """Every histogram and counter, zero where no worker has recorded anything yet."""
    raw = await redis.hgetall(keys.worker_metrics)
    fields = {_text(name): float(_text(value)) for name, value in raw.items()}
    histograms = {}
    for name in HISTOGRAMS:
        count = fields.get(f"{name}#count", 0.0)
        buckets = [(str(bound), fields.get(f"{name}#le={bound}", 0.0)) for bound in BUCKETS_S]
        buckets.append(("+Inf", count))
        histograms[name] = HistogramSnapshot(buckets, count, fields.get(f"{name}#sum", 0.0))
    counters = {name: fields.get(f"{name}#total", 0.0) for name in COUNTERS}
    return MetricsSnapshot(histograms, counters)


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value

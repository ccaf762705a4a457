"""The API's Prometheus metrics: its own, and the workers' read from Redis at scrape time.

In-process (per API replica): websocket clients connected, chunks relayed to them,
questions accepted. Sampled at each scrape: the arq queue's depth (questions queued or
running) and every worker's job durations, queue waits, time to first chunk, Genie
calls and Genie 429s (``services.common.metrics``: totals over all workers, so every
API replica reports the same values for those). Each app has a registry of its own.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector
from redis.asyncio import Redis

from services.common.keys import ARQ_QUEUE, RedisKeys
from services.common.metrics import COUNTERS, HISTOGRAMS, MetricsSnapshot, read_metrics

PREFIX = "iga_"


class _SampledCollector(Collector):
    """Yields what the scrape just read from Redis (``sample`` runs right before)."""

    def __init__(self) -> None:
        self.queue_depth = 0
        self.workers: MetricsSnapshot | None = None

    def collect(self) -> Iterator[Metric]:
        yield GaugeMetricFamily(
            f"{PREFIX}queue_depth",
            "Questions in the arq queue (waiting, deferred for a retry, or running)",
            value=self.queue_depth,
        )
        if self.workers is None:
            return
        for name, help_text in HISTOGRAMS.items():
            histogram = self.workers.histograms[name]
            yield HistogramMetricFamily(
                PREFIX + name, help_text, buckets=histogram.buckets, sum_value=histogram.total
            )
        for name, help_text in COUNTERS.items():
            yield CounterMetricFamily(PREFIX + name, help_text, value=self.workers.counters[name])


class ApiMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.websocket_clients = Gauge(
            f"{PREFIX}websocket_clients",
            "Websockets open on this API process",
            registry=self.registry,
        )
        self.chunks_relayed = Counter(
            f"{PREFIX}chunks_relayed",
            "Chunks this API process sent to websocket clients",
            registry=self.registry,
        )
        self.questions_accepted = Counter(
            f"{PREFIX}questions_accepted",
            "Questions this API process accepted and queued",
            registry=self.registry,
        )
        self._sampled = _SampledCollector()
        self.registry.register(self._sampled)

    @contextlib.asynccontextmanager
    async def websocket_open(self) -> AsyncIterator[None]:
        """Counts the socket as connected while the block runs."""
        with self.websocket_clients.track_inprogress():
            yield

    async def render(self, redis: Redis, keys: RedisKeys) -> bytes:
        """The exposition text, after sampling Redis (no await between sample and render)."""
        self._sampled.queue_depth = await redis.zcard(ARQ_QUEUE)
        self._sampled.workers = await read_metrics(redis, keys)
        return generate_latest(self.registry)

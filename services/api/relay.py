"""Turn a live subscription plus the replay logs into a gapless stream per question.

Order of operations is what makes it lossless: subscribe first (in-process, instant),
then read the log after ``after_seq``, then relay live chunks. A chunk published while
the log is being read arrives both ways; de-duplicating by seq drops the second copy.
A live chunk whose seq jumps ahead, or a ``RESYNC`` from the broadcaster, means live
delivery missed something: the log is read again from the last seq sent.
"""

from __future__ import annotations

from collections.abc import Iterable

from redis.asyncio import Redis

from services.common.broadcast import Delivery, Published, Resync, Subscription
from services.common.chunks import chunk_seq
from services.common.keys import RedisKeys
from services.common.replay import read_log_and_state


class Relay:
    """The chunks still to send for a fixed set of questions, in seq order, once each."""

    def __init__(
        self, redis: Redis, keys: RedisKeys, subscription: Subscription, after: dict[str, int]
    ) -> None:
        self._redis = redis
        self._keys = keys
        self._subscription = subscription
        self.last_seq = dict(after)
        self.finished: set[str] = set()

    @property
    def all_finished(self) -> bool:
        return self.finished >= self.last_seq.keys()

    async def catch_up(self, question_ids: Iterable[str] | None = None) -> list[str]:
        """Chunks from the replay logs after the last seq sent (all questions by default)."""
        chunks: list[str] = []
        for question_id in self.last_seq if question_ids is None else question_ids:
            if question_id in self.finished:
                continue
            after = self.last_seq[question_id]
            logged, finished = await read_log_and_state(self._redis, self._keys, question_id, after)
            for raw in logged:
                seq, kind = chunk_seq(raw)
                chunks += self._take(question_id, seq, kind, raw)
            if finished:  # also when resuming after the done chunk itself
                self.finished.add(question_id)
        return chunks

    async def next_chunks(self, wait: bool = True) -> list[str]:
        """New chunks from live delivery; waits for at least one delivery if ``wait``."""
        deliveries = self._subscription.get_pending()
        if wait and not deliveries:
            deliveries = [await self._subscription.get(), *self._subscription.get_pending()]
        return await self._sort_out(deliveries)

    async def _sort_out(self, deliveries: list[Delivery]) -> list[str]:
        chunks: list[str] = []
        stale: set[str] = set()  # questions whose live stream has a hole: re-read the log
        for delivery in deliveries:
            if isinstance(delivery, Resync):
                stale.update(self.last_seq)
            elif isinstance(delivery, Published) and delivery.question_id not in stale:
                if delivery.seq > self.last_seq[delivery.question_id] + 1:
                    stale.add(delivery.question_id)
                else:
                    chunks += self._take(
                        delivery.question_id, delivery.seq, delivery.type, delivery.raw
                    )
        if stale:
            chunks += await self.catch_up(sorted(stale))
        return chunks

    def _take(self, question_id: str, seq: int, kind: str, raw: str) -> list[str]:
        if seq <= self.last_seq[question_id]:
            return []  # already sent: the replay and the live channel overlapped
        self.last_seq[question_id] = seq
        if kind == "done":
            self.finished.add(question_id)
        return [raw]

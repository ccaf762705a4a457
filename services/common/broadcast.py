"""One Redis pub/sub listener per process, fanning chunks out to in-process subscribers.

Redis pub/sub is at-most-once and a Redis connection per websocket does not scale, so
each API process holds ONE pattern subscription to every question's channel and hands
each message to the ``asyncio.Queue`` of every subscription that asked for its question
(encode/broadcaster's shape). Subscribing is then instantaneous and in-process: a
subscriber registered before it reads the replay log cannot miss a later chunk.

When the listener loses Redis, or a subscriber falls too far behind, the subscriber
gets ``RESYNC`` instead of the messages it missed: it re-reads the replay log.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import RedisError

from services.common.background import stop_task
from services.common.chunks import chunk_seq
from services.common.keys import RedisKeys

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Published:
    """One published chunk as it came off the channel (parsed once per process)."""

    question_id: str
    seq: int
    type: str
    raw: str


class Resync:
    """Messages may have been missed: re-read the replay logs from the last seq seen."""


RESYNC = Resync()
Delivery = Published | Resync


class Subscription:
    """What one subscriber receives: the chunks of its questions, in publish order."""

    def __init__(self, question_ids: Iterable[str], max_pending: int) -> None:
        self.question_ids = frozenset(question_ids)
        self._queue: asyncio.Queue[Delivery] = asyncio.Queue(max_pending)

    async def get(self) -> Delivery:
        return await self._queue.get()

    def get_pending(self) -> list[Delivery]:
        """Everything already queued, without waiting."""
        items = []
        while not self._queue.empty():
            items.append(self._queue.get_nowait())
        return items

    def deliver(self, item: Delivery) -> None:
        try:
            self._queue.put_nowait(item)
        except asyncio.QueueFull:
            # Too far behind: drop the backlog; the log has it all, so ask for a re-read.
            self.get_pending()
            self._queue.put_nowait(RESYNC)


class Broadcaster:
    """The process's shared pub/sub listener; ``start`` and ``stop`` in the app lifespan."""

    def __init__(
        self,
        redis_url: str,
        keys: RedisKeys,
        connect_timeout_s: float = 2.0,
        retry_delay_s: float = 0.5,
        max_pending: int = 10_000,
        idle_ping_s: float = 15.0,
    ) -> None:
        self._redis_url = redis_url
        self._keys = keys
        self._connect_timeout_s = connect_timeout_s
        self._retry_delay_s = retry_delay_s
        self._max_pending = max_pending
        self._idle_ping_s = idle_ping_s
        self._subscribers: dict[str, set[Subscription]] = defaultdict(set)
        self._listener: asyncio.Task[None] | None = None
        self._listening = asyncio.Event()

    @property
    def listening(self) -> bool:
        """Whether the pattern subscription is live (else subscribers may miss chunks)."""
        return self._listening.is_set()

    async def start(self, wait_s: float = 2.0) -> None:
        """Start listening; waits up to ``wait_s`` for Redis, then keeps retrying behind."""
        self._listener = asyncio.create_task(self._listen(), name="broadcast-listener")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._listening.wait(), wait_s)
        if not self.listening:
            logger.warning("Redis pub/sub not reachable yet at start; retrying in the background")

    async def stop(self) -> None:
        await stop_task(self._listener)
        self._listener = None

    @contextlib.asynccontextmanager
    async def subscribe(self, question_ids: Iterable[str]) -> AsyncIterator[Subscription]:
        """Receive the questions' chunks published from now on, until the block exits."""
        subscription = Subscription(question_ids, self._max_pending)
        for question_id in subscription.question_ids:
            self._subscribers[question_id].add(subscription)
        try:
            yield subscription
        finally:
            for question_id in subscription.question_ids:
                subscribers = self._subscribers.get(question_id)
                if subscribers is not None:
                    subscribers.discard(subscription)
                    if not subscribers:
                        del self._subscribers[question_id]

    async def _listen(self) -> None:
        while True:
            client = Redis.from_url(
                self._redis_url,
                decode_responses=True,
                socket_connect_timeout=self._connect_timeout_s,
                socket_keepalive=True,
            )
            pubsub = client.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.psubscribe(self._keys.channel_pattern)
                self._listening.set()
                self._resync_all()  # anything published while we were not listening
                logger.info("listening on %s", self._keys.channel_pattern)
                await self._relay_messages(pubsub)
            except (RedisError, OSError) as error:
                if self.listening:
                    logger.warning("lost Redis pub/sub (%s); reconnecting", error)
                self._listening.clear()
            finally:
                with contextlib.suppress(RedisError, OSError):
                    await pubsub.aclose()
                    await client.aclose()
            await asyncio.sleep(self._retry_delay_s)

    async def _relay_messages(self, pubsub: PubSub) -> None:
        """Dispatch messages until the connection fails.

        A connection that silently died (a network partition, not a closed socket)
        would block forever and lose every live chunk while looking healthy; so an
        idle listener pings, and one whose ping gets no answer gives up and reconnects.
        """
        loop = asyncio.get_running_loop()
        last_heard = loop.time()
        while True:
            message = await pubsub.get_message(timeout=self._idle_ping_s)
            now = loop.time()
            if message is not None:
                last_heard = now
                if message["type"] == "pmessage":
                    self._dispatch(message["channel"], message["data"])
            elif now - last_heard > 2 * self._idle_ping_s:
                raise ConnectionError("Redis pub/sub stopped answering pings")
            elif now - last_heard >= self._idle_ping_s:
                await pubsub.ping()

    def _dispatch(self, channel: str, data: str) -> None:
        question_id = self._keys.question_id_of_channel(channel)
        subscribers = self._subscribers.get(question_id)
        if not subscribers:
            return
        try:
            seq, kind = chunk_seq(data)
        except (ValueError, KeyError, TypeError):
            logger.error("dropping a malformed chunk on %s: %.200s", channel, data)
            return
        published = Published(question_id, seq, kind, data)
        for subscription in subscribers:
            subscription.deliver(published)

    def _resync_all(self) -> None:
        for subscription in {sub for subs in self._subscribers.values() for sub in subs}:
            subscription.deliver(RESYNC)

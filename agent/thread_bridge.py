"""Drain a blocking iterator in a thread, handing its items to an asyncio event loop.

The agent is synchronous (databricks-sdk is): an async server iterating it directly
would stall every other request while one polls Genie. Both the agent server and the
worker's in-process agent run it through this one bridge.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")
_END = object()


async def iterate_in_thread(open_iterator: Callable[[], Iterator[T]]) -> AsyncIterator[T]:
    """Run ``open_iterator()`` in a daemon thread; stop and close it when the consumer leaves.

    The iterator is closed in its own thread (a generator can only be closed by the
    thread running it) once it notices the consumer is gone, before its next item. The
    thread keeps the caller's context variables (MLflow's active span among them).
    """
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[Any] = asyncio.Queue()
    stop = threading.Event()

    def hand_over(item: Any) -> None:
        # A cancelled consumer or a server shutting down may close the loop while this
        # thread still runs; nobody is waiting then, so the item has no one to go to.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(queue.put_nowait, item)

    def produce() -> None:
        iterator: Iterator[Any] | None = None
        try:
            iterator = open_iterator()
            for item in iterator:
                if stop.is_set():
                    break
                hand_over(item)
        except BaseException as error:  # handed to the consumer, raised there
            hand_over(error)
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()
            hand_over(_END)

    context = contextvars.copy_context()
    threading.Thread(target=context.run, args=(produce,), name="agent-stream", daemon=True).start()
    try:
        while (item := await queue.get()) is not _END:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()

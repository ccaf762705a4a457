"""The one thread bridge: a sync stream left early is closed in its own thread, its
error reaches the consumer, and a loop closed under it does not crash the thread."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest

from agent.thread_bridge import iterate_in_thread


async def test_a_stream_left_early_is_stopped_and_closed_in_its_thread() -> None:
    closed, release = threading.Event(), threading.Event()

    def events() -> Iterator[int]:
        try:
            yield 1
            release.wait(5)
            yield 2
            yield 3
        finally:
            closed.set()

    stream = iterate_in_thread(events)
    assert await anext(stream) == 1
    await stream.aclose()  # the consumer stopped reading (a cancelled job)
    release.set()
    assert closed.wait(5)


async def test_the_stream_error_is_raised_to_the_consumer() -> None:
    def events() -> Iterator[int]:
        yield 1
        raise ConnectionError("endpoint went away")

    seen = []
    with pytest.raises(ConnectionError, match="went away"):
        async for item in iterate_in_thread(events):
            seen.append(item)
    assert seen == [1]


def test_a_loop_closed_while_the_thread_runs_is_not_an_error() -> None:
    finished, release = threading.Event(), threading.Event()

    def events() -> Iterator[int]:
        try:
            yield 1
            release.wait(5)
            yield 2  # handed to a closed loop: dropped, the thread ends quietly
        finally:
            finished.set()

    async def take_one() -> int:
        return await anext(iterate_in_thread(events))

    assert asyncio.run(take_one()) == 1  # asyncio.run closes the loop
    release.set()
    assert finished.wait(5)

"""Stopping a service's background loop (a listener, a lease renewer, a ticker)."""

from __future__ import annotations

import asyncio
import contextlib


async def stop_task(task: asyncio.Task | None) -> None:
    """Cancel ``task`` and wait until it has finished, so a stop that returns leaves no
    loop still touching Redis; a task that is ``None`` (never started) is a no-op."""
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task

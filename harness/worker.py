"""Start the real arq worker (`inventory-agent worker`) for tests and benchmarks.

The worker listens on no port, so it counts as ready once arq has written its health
check key in Redis — which it does after ``on_startup`` (client made and warmed).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import redis
from arq.constants import default_queue_name, health_check_key_suffix

from harness.processes import CLI, REPO_ROOT, Server

HEALTH_KEY = default_queue_name + health_check_key_suffix
#: Genie's real limit (5 new questions a minute, shared through Redis) would make every
#: test question after the first wait; test workers let 5 start per 0.1 s instead.
TEST_GENIE_LIMIT = {"GENIE_RATE_WINDOW_S": "0.1"}
#: Tests ask the same question many times and expect each to reach Genie: identical
#: questions share an answer only in the tests that set ANSWER_CACHE_TTL_S themselves.
TEST_NO_SHARED_ANSWERS = {"ANSWER_CACHE_TTL_S": "0"}


def start_worker(
    redis_url: str, log_path: Path, env: Mapping[str, str] | None = None, timeout_s: float = 60
) -> Server:
    """``inventory-agent worker`` on ``redis_url``; returns once it is taking jobs."""
    client = redis.Redis.from_url(redis_url)
    client.delete(HEALTH_KEY)  # a worker from before must not count as this one
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log_file:
        process = subprocess.Popen(
            [*CLI, "worker"],
            cwd=REPO_ROOT,
            env={
                **os.environ,
                "REDIS_URL": redis_url,
                **TEST_GENIE_LIMIT,
                **TEST_NO_SHARED_ANSWERS,
                **(env or {}),
            },
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    server = Server(process, 0, log_path)
    deadline = time.monotonic() + timeout_s
    try:
        while not client.exists(HEALTH_KEY):
            if process.poll() is not None or time.monotonic() > deadline:
                server.stop()
                raise RuntimeError(f"the worker did not start:\n{server.log()[-3000:]}")
            time.sleep(0.05)
    finally:
        client.close()
    return server


@contextlib.contextmanager
def running_worker(*args, **kwargs) -> Iterator[Server]:
    server = start_worker(*args, **kwargs)
    try:
        yield server
    finally:
        server.stop()

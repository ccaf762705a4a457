"""``kill -9`` of Redis or of the API during a burst of POSTs: no question is orphaned.

An orphan is a question that exists in Redis but never finishes: its record or its
``queued`` chunk written, its job not. Asking is one Lua script (services/api/intake.py),
so a crash leaves a question whole or absent. After the crash and a restart, the worker
drains the queue, and every question Redis holds must have ended with ``done``.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import time

import httpx
import pytest
import redis.asyncio as aioredis

from harness.processes import Server
from services.common.keys import ARQ_IN_PROGRESS_PREFIX, ARQ_QUEUE, RedisKeys
from services.common.settings import get_settings
from tests.reliability.conftest import Cluster

logger = logging.getLogger(__name__)

BURST = 120
IN_FLIGHT = 24
KILL_AFTER = 15  # accepted POSTs: the crash lands mid-burst however fast this machine is
#: a job cut off by the outage runs again once its lease lapses; room for a few tries
WORKER = {"JOB_LEASE_S": "2", "MAX_TRIES": "5", "AGENT_RETRY_DEFER_S": "0.3", "MAX_JOBS": "20"}


async def post_burst(api_url: str, accepted: asyncio.Queue[int]) -> list[int]:
    """POST BURST questions, IN_FLIGHT at a time; each one's status (0: no answer)."""
    gate = asyncio.Semaphore(IN_FLIGHT)

    async def post(http: httpx.AsyncClient, n: int) -> int:
        async with gate:
            try:
                response = await http.post("/questions", json={"question": f"What is low? {n}"})
            except httpx.HTTPError:
                return 0
            if response.status_code == 202:
                accepted.put_nowait(n)
            return response.status_code

    async with httpx.AsyncClient(base_url=api_url, timeout=10) as http:
        return await asyncio.gather(*(post(http, n) for n in range(BURST)))


async def unfinished_questions(redis_url: str, deadline_s: float = 120) -> tuple[int, int]:
    """(questions held, unfinished ones) once no job is queued or running any more."""
    keys = RedisKeys(get_settings().redis_namespace)
    client = aioredis.Redis.from_url(redis_url, decode_responses=True)
    try:
        deadline = time.monotonic() + deadline_s
        while True:
            ids = [
                key.removeprefix(keys.question(""))
                async for key in client.scan_iter(keys.question("*"))
            ]
            logs = [
                key.removeprefix(keys.replay_log(""))
                async for key in client.scan_iter(keys.replay_log("*"))
            ]
            finished = [await client.hget(keys.question(qid), "finished") for qid in ids]
            unfinished = [qid for qid, flag in zip(ids, finished, strict=True) if flag != "1"]
            unfinished += [qid for qid in logs if qid not in ids]  # a chunk with no record
            running = [key async for key in client.scan_iter(ARQ_IN_PROGRESS_PREFIX + "*")]
            idle = not running and await client.zcard(ARQ_QUEUE) == 0
            if not unfinished or (idle and time.monotonic() > deadline):
                return len(ids), len(unfinished)
            await asyncio.sleep(0.5)
    finally:
        await client.aclose()


@pytest.mark.parametrize("killed", ["redis", "api"])
async def test_no_question_is_orphaned_by_a_crash_during_a_burst_of_posts(
    cluster: Cluster, killed: str
) -> None:
    cluster.start_redis()
    cluster.start_genie()
    api = cluster.start_api()
    cluster.start_worker(**WORKER)

    accepted_so_far: asyncio.Queue[int] = asyncio.Queue()
    burst = asyncio.create_task(post_burst(cluster.api_url, accepted_so_far))
    for _ in range(KILL_AFTER):
        await accepted_so_far.get()
    victim: Server = cluster.redis if killed == "redis" else api  # type: ignore[assignment]
    victim.stop(signal.SIGKILL)
    statuses = await burst
    if killed == "redis":
        cluster.start_redis()
    else:
        cluster.start_api()

    held, orphans = await unfinished_questions(cluster.redis_url)
    accepted = statuses.count(202)
    logger.warning(
        "kill -9 %s after %d of %d POSTs accepted: %d accepted, %d held by Redis, %d orphans",
        killed,
        KILL_AFTER,
        BURST,
        accepted,
        held,
        orphans,
    )
    assert 0 < accepted < BURST  # the crash did land inside the burst
    assert orphans == 0, cluster.logs()

"""``kill -9`` of a worker mid-question: the job runs again and the stream ends once.

arq re-runs a killed worker's job only when its in-progress key lapses. The worker
claims jobs with a short lease it keeps renewing (services/worker/job_lease.py), so the
workers here keep the default JOB_TIMEOUT_S (900 s: left to arq, the key would lapse
after ~15 minutes) and run with a 3 s JOB_LEASE_S. The recovery time (kill → done) is
logged for BENCHMARKS-style comparison, never asserted.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import time

import pytest

from harness.processes import Server
from harness.questions import post_question
from tests.reliability.conftest import Cluster
from tests.reliability.streams import Followed, assert_complete, follow

logger = logging.getLogger(__name__)

SHORT_LEASE = {"JOB_LEASE_S": "3", "MAX_TRIES": "3"}
MID_QUESTION = {"fetching_metadata", "generating_sql", "executing", "pending_warehouse"}


async def wait_for_status(followed: Followed, wanted: set[str], deadline_s: float = 60) -> None:
    deadline = time.monotonic() + deadline_s
    while not wanted & set(followed.statuses()):
        assert time.monotonic() < deadline, (
            f"never reached {wanted}: {followed.statuses()} ({followed.last_error})"
        )
        await asyncio.sleep(0.05)


async def worker_running(cluster: Cluster, question_id: str, deadline_s: float = 30) -> Server:
    """The worker whose log says it started the question's job (arq logs each start)."""
    started = f"{question_id}:answer_question("
    deadline = time.monotonic() + deadline_s
    while not (holders := [w for w in cluster.workers if started in w.log()]):
        assert time.monotonic() < deadline, "no worker logged the job's start"
        await asyncio.sleep(0.1)
    (holder,) = holders
    return holder


@pytest.mark.parametrize("taken_by", ["the restarted worker", "another worker"])
async def test_a_killed_workers_question_is_retried_and_ends_once(
    cluster: Cluster, taken_by: str
) -> None:
    cluster.start_redis()
    cluster.start_genie(step_delay_s=0.7)  # a question takes a few seconds: time to kill
    cluster.start_api()
    cluster.start_worker("worker-1", **SHORT_LEASE)
    if taken_by == "another worker":
        cluster.start_worker("worker-2", **SHORT_LEASE)

    accepted = await post_question(cluster.api_url, "Which parts are low on stock?")
    followed = Followed()
    reader = asyncio.create_task(follow(accepted["events_url"], followed, deadline_s=240))
    await wait_for_status(followed, MID_QUESTION)
    holder = await worker_running(cluster, accepted["question_id"])
    holder.stop(signal.SIGKILL)
    killed_at, seq_at_kill = time.monotonic(), followed.last_seq
    if taken_by == "the restarted worker":
        cluster.start_worker("worker-1-restarted", **SHORT_LEASE)

    await asyncio.wait_for(reader, 240)
    recovered_s = time.monotonic() - killed_at
    assert_complete(followed)
    statuses = followed.statuses()
    assert "retrying" in statuses, statuses
    assert followed.done["status"] == "completed", cluster.logs()
    assert [c for c in followed.chunks if c["type"] == "answer"]
    retry_seq = next(c["seq"] for c in followed.chunks if c.get("status") == "retrying")
    assert retry_seq > seq_at_kill  # the second run continued the stream, not restarted it
    logger.warning(
        "kill -9 recovery by %s: done %.1f s after the kill (%d chunks, %d websocket reconnects)",
        taken_by,
        recovered_s,
        len(followed.chunks),
        followed.reconnects,
    )

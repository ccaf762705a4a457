"""A worker frozen (SIGSTOP) for longer than its job lease, then thawed: the trade-off.

services/worker/job_lease.py accepts that such a worker's question runs twice at once,
and claims the publisher keeps the stream valid anyway. This checks that claim with
real processes: another worker takes the lapsed job (``retrying``), the frozen one
resumes its own run, and still the stream is gapless, without repeats, and ends with
exactly one ``done``.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import time

from harness.questions import post_question
from tests.reliability.conftest import Cluster
from tests.reliability.streams import Followed, assert_complete, follow
from tests.reliability.test_worker_killed import (
    MID_QUESTION,
    SHORT_LEASE,
    wait_for_status,
    worker_running,
)

logger = logging.getLogger(__name__)


def took_over(log: str, question_id: str) -> bool:
    """arq logs a job's start as ``<id>:answer_question(<args>) try=N`` from the second try."""
    started = f"{question_id}:answer_question("
    return any(started in line and " try=2" in line for line in log.splitlines())


async def test_a_worker_frozen_past_its_lease_still_ends_the_stream_once(
    cluster: Cluster,
) -> None:
    cluster.start_redis()
    cluster.start_genie(step_delay_s=0.7)
    cluster.start_api()
    cluster.start_worker("worker-1", **SHORT_LEASE)
    cluster.start_worker("worker-2", **SHORT_LEASE)

    accepted = await post_question(cluster.api_url, "Which parts are low on stock?")
    question_id = accepted["question_id"]
    followed = Followed()
    reader = asyncio.create_task(follow(accepted["events_url"], followed, deadline_s=240))
    await wait_for_status(followed, MID_QUESTION)
    holder = await worker_running(cluster, question_id)
    (other,) = [w for w in cluster.workers if w is not holder]
    holder.process.send_signal(signal.SIGSTOP)
    try:
        deadline = time.monotonic() + 60
        while not took_over(other.log(), question_id):
            assert time.monotonic() < deadline, "the lapsed job was not taken over"
            await asyncio.sleep(0.1)
    finally:
        holder.process.send_signal(signal.SIGCONT)

    await asyncio.wait_for(reader, 240)
    assert_complete(followed)
    assert "retrying" in followed.statuses()
    assert followed.done["status"] == "completed", cluster.logs()
    assert [c for c in followed.chunks if c["type"] == "answer"]
    logger.warning(
        "frozen past the lease: %d chunks, %d answer chunk(s), statuses %s",
        len(followed.chunks),
        sum(c["type"] == "answer" for c in followed.chunks),
        followed.statuses(),
    )

"""``kill -9`` of the agent server mid-question: the question resumes, on the same Genie message.

A broken agent stream (connection reset, protocol error, read timeout, refused) is a
transport failure, worth retrying: the job says ``retrying``, continues the seq, and
passes the Genie conversation and message it had already started to the agent, which
polls that message instead of asking Genie again — Genie allows only 5 starts a minute.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import time

from harness.questions import post_question
from tests.reliability.conftest import Cluster
from tests.reliability.streams import Followed, assert_complete, follow
from tests.reliability.test_worker_killed import wait_for_status

logger = logging.getLogger(__name__)

#: room for the agent server's restart (its imports take seconds) between the tries
RETRIES = {"MAX_TRIES": "6", "AGENT_RETRY_DEFER_S": "1"}


async def test_a_killed_agent_servers_question_completes_on_the_same_genie_message(
    cluster: Cluster,
) -> None:
    cluster.start_redis()
    cluster.start_genie(step_delay_s=1.0)  # each Genie step takes a second: time to kill
    cluster.start_api()
    agent = cluster.start_agent()
    cluster.start_worker(AGENT_URL=agent.url, **RETRIES)

    accepted = await post_question(cluster.api_url, "Which parts are low on stock?")
    followed = Followed()
    reader = asyncio.create_task(follow(accepted["events_url"], followed, deadline_s=180))
    await wait_for_status(followed, {"generating_sql"})
    agent.stop(signal.SIGKILL)
    killed_at, seq_at_kill = time.monotonic(), followed.last_seq
    cluster.start_agent(port=agent.port)

    await asyncio.wait_for(reader, 180)
    assert_complete(followed)
    assert followed.done["status"] == "completed", cluster.logs()
    assert [c for c in followed.chunks if c["type"] == "answer"]
    retry_seq = next(c["seq"] for c in followed.chunks if c.get("status") == "retrying")
    assert retry_seq > seq_at_kill
    assert cluster.genie_stats()["starts"] == 1  # the retry polled the message it had started
    logger.warning(
        "agent kill -9 at generating_sql: done %.1f s later, %d chunks",
        time.monotonic() - killed_at,
        len(followed.chunks),
    )

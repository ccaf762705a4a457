"""Redis restarted mid-stream (AOF on): API and worker reconnect, the client misses nothing.

Redis stops cleanly (SIGTERM writes the append-only file), so every chunk it
acknowledged is on disk and comes back; the follower reconnects with after_seq and the
audit checks the stream is whole, gapless and ends once. The job may ride out a short
outage (redis-py reconnects on its next command); if one of its publishes fails, the
worker restarts itself (resilient_run) and arq runs the job again once its in-progress
key lapses, so the stream continues with ``retrying``. Either way the worker must
answer a new question afterwards.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import time

import pytest

from harness.questions import post_question
from tests.reliability.conftest import Cluster
from tests.reliability.streams import Followed, assert_complete, follow
from tests.reliability.test_worker_killed import MID_QUESTION, wait_for_status

logger = logging.getLogger(__name__)


@pytest.mark.parametrize("outage_s", [1.0, 4.0])
async def test_redis_restarted_mid_stream_loses_nothing_persisted(
    cluster: Cluster, outage_s: float
) -> None:
    redis = cluster.start_redis()
    cluster.start_genie(step_delay_s=0.7)
    cluster.start_api()
    cluster.start_worker(JOB_TIMEOUT_S="10", MAX_TRIES="3", AGENT_RETRY_DEFER_S="0.5")

    accepted = await post_question(cluster.api_url, "Which parts are low on stock?")
    followed = Followed()
    reader = asyncio.create_task(follow(accepted["events_url"], followed, deadline_s=240))
    await wait_for_status(followed, MID_QUESTION)
    redis.stop(signal.SIGTERM)
    seen_before_restart = list(followed.chunks)
    await asyncio.sleep(outage_s)
    stopped_at = time.monotonic()
    cluster.start_redis()

    await asyncio.wait_for(reader, 240)
    assert_complete(followed)
    assert followed.chunks[: len(seen_before_restart)] == seen_before_restart
    assert followed.done["status"] in {"completed", "failed"}, cluster.logs()
    logger.warning(
        "Redis down %.0f s: done %.1f s after it came back, ended %s, statuses %s, "
        "%d websocket reconnects",
        outage_s,
        time.monotonic() - stopped_at,
        followed.done["status"],
        followed.statuses(),
        followed.reconnects,
    )
    # the API and the worker still work: a new question is answered
    again = await post_question(cluster.api_url, "How many suppliers are there?")
    fresh = await follow(again["events_url"], Followed(), deadline_s=120)
    assert_complete(fresh)
    assert fresh.done["status"] == "completed", cluster.logs()

"""The API restarted while a client follows a question: it reconnects and resumes.

The API holds no state of its own (the replay log and the live channel are in Redis), so
a client that reconnects with after_seq to the API's replacement — here on the same
port, as behind a load balancer — gets exactly what it missed.
"""

from __future__ import annotations

import asyncio
import logging
import signal

import pytest

from harness.questions import post_question
from tests.reliability.conftest import Cluster
from tests.reliability.streams import Followed, assert_complete, follow
from tests.reliability.test_worker_killed import MID_QUESTION, wait_for_status

logger = logging.getLogger(__name__)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "kill-9"])
async def test_clients_resume_across_an_api_restart(cluster: Cluster, stop: signal.Signals) -> None:
    cluster.start_redis()
    cluster.start_genie(step_delay_s=0.7)
    api = cluster.start_api()
    cluster.start_worker()

    accepted = await post_question(cluster.api_url, "Which parts are low on stock?")
    followers = [Followed() for _ in range(3)]
    readers = [
        asyncio.create_task(follow(accepted["events_url"], followed, deadline_s=180))
        for followed in followers
    ]
    await wait_for_status(followers[0], MID_QUESTION)
    api.stop(stop)
    await asyncio.sleep(1.0)  # chunks keep coming into Redis meanwhile
    cluster.start_api()

    await asyncio.wait_for(asyncio.gather(*readers), 180)
    for followed in followers:
        assert_complete(followed)
        assert followed.reconnects >= 1
        assert followed.done["status"] == "completed", cluster.logs()
    assert followers[0].chunks == followers[1].chunks == followers[2].chunks
    logger.warning(
        "API restart (%s): %d chunks, reconnects per client %s",
        stop.name,
        len(followers[0].chunks),
        [followed.reconnects for followed in followers],
    )

"""Questions waiting in arq's queue (every worker's job slots busy) see their place and
ETA count down about once a second, until a worker takes them.

Two real workers with one job slot each, the local Genie taking a second per step, and
five questions asked at once: the first two run, the other three wait in arq's queue
where no job of theirs runs; a worker's ticker tells them where they stand. Genie's rate
limit is set far above what five questions need, so no question waits for it and every
``queued`` chunk before a worker's ``starting`` is the queue's.
"""

from __future__ import annotations

import asyncio
import itertools
import logging

from harness.questions import post_question, unique
from tests.reliability.conftest import DISTINCT_QUESTIONS, Cluster
from tests.reliability.streams import Followed, assert_complete, follow

logger = logging.getLogger(__name__)

QUESTIONS = DISTINCT_QUESTIONS[:5]
WORKER = {
    "MAX_JOBS": "1",
    "GENIE_QUEUE_UPDATE_S": "0.2",  # ticks: the ETA still changes once per whole second
    "GENIE_RATE_LIMIT_PER_MIN": "600",
    "GENIE_RATE_BURST": "10",
}


def non_increasing(values: list[int]) -> bool:
    return all(later <= earlier for earlier, later in itertools.pairwise(values))


async def test_a_question_waiting_for_a_worker_sees_its_place_and_eta_count_down(
    cluster: Cluster,
) -> None:
    cluster.start_redis()
    cluster.start_genie(step_delay_s=1.0)  # a question holds its worker for a few seconds
    cluster.start_api()
    for n in range(2):
        cluster.start_worker(f"worker-{n}", **WORKER)

    accepted = [await post_question(cluster.api_url, unique(q)) for q in QUESTIONS]
    followed = await asyncio.gather(
        *(follow(a["events_url"], Followed(), deadline_s=180) for a in accepted)
    )

    for stream in followed:
        assert_complete(stream)  # seq gapless, one done: the countdown chunks included
        assert stream.done is not None and stream.done["status"] == "completed", cluster.logs()
    waited = [stream for stream in followed if stream.statuses()[1] == "queued"]
    assert len(waited) >= 2, [s.statuses()[:3] for s in followed]
    for stream in waited:
        statuses = [c for c in stream.chunks if c["type"] == "status"]
        first_worker = next(i for i, c in enumerate(statuses) if c["status"] != "queued")
        assert statuses[first_worker]["status"] == "starting"
        counting = [c for c in statuses[:first_worker] if c.get("eta_s") is not None]
        etas = [c["eta_s"] for c in counting]
        places = [c["position"] for c in counting]
        # how many ticks a question sees depends on how long it waits: at least one, and
        # never a place or an ETA going back up
        assert counting and non_increasing(etas) and non_increasing(places), counting
        assert all(c["message"].startswith("⏳ Queued:") for c in counting)
        logger.warning("queued (place, eta s): %s", list(zip(places, etas, strict=True)))
    # the last asked waits through two rounds of jobs: its place drops as they finish
    last = [c["position"] for c in followed[-1].chunks if c.get("eta_s") is not None]
    assert len(last) >= 2 and last[-1] < last[0], followed[-1].chunks

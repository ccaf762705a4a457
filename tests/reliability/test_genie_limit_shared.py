"""Three real workers share one Genie rate limit and tell each question its place.

The local Genie counts the questions started on it (``GET /local/stats``). A token
bucket of burst 1 refilling ``limit`` per ``window`` can never have granted more than
``1 + elapsed * limit / window`` starts since it was first used, and Genie can only
have seen starts that were granted; so the bound holds at every sample however loaded
the machine is (delays only lower the count), while six questions with no limiter
would all start within the first second or so. (Which question goes first depends on
when each job reaches a worker; the line's first-asked-first-served order is tested on
the limiter itself, tests/services/common/test_genie_limiter.py.)
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time

from harness.questions import post_question
from tests.reliability.conftest import DISTINCT_QUESTIONS, Cluster
from tests.reliability.streams import Followed, assert_complete, follow

logger = logging.getLogger(__name__)

LIMIT, WINDOW_S = 3, 6.0  # one start every 2 s
QUESTIONS = DISTINCT_QUESTIONS[:6]


async def test_three_workers_never_exceed_the_shared_genie_limit(cluster: Cluster) -> None:
    cluster.start_redis()
    cluster.start_genie()
    cluster.start_api()
    env = {
        "GENIE_RATE_LIMIT_PER_MIN": str(LIMIT),
        "GENIE_RATE_WINDOW_S": str(WINDOW_S),
        "GENIE_RATE_BURST": "1",
        "GENIE_QUEUE_UPDATE_S": "0.2",
    }
    for n in range(3):
        cluster.start_worker(f"worker-{n}", **env)

    samples: list[tuple[float, int]] = []  # (seconds since before the first question, starts)
    began = time.monotonic()
    accepted = await asyncio.gather(*(post_question(cluster.api_url, q) for q in QUESTIONS))
    streams = [follow(a["events_url"], Followed(), deadline_s=180) for a in accepted]
    following = asyncio.gather(*streams)
    while not following.done():
        starts = (await asyncio.to_thread(cluster.genie_stats))["starts"]
        samples.append((time.monotonic() - began, starts))
        await asyncio.sleep(0.1)
    followed = await following

    for elapsed, starts in samples:
        assert starts <= 1 + elapsed * LIMIT / WINDOW_S, (elapsed, starts, samples)
    assert cluster.genie_stats()["starts"] == len(QUESTIONS)  # each asked Genie once
    for stream in followed:
        assert_complete(stream)
    waited = [s for s in followed if any("eta_s" in c for c in s.chunks)]
    assert len(waited) >= len(QUESTIONS) - 1  # all but the first to get the token waited
    longest = max(waited, key=lambda s: len([c for c in s.chunks if "eta_s" in c]))
    places = [c["position"] for c in longest.chunks if "eta_s" in c]
    # The line is ordered by when questions were asked. While workers pick up the jobs, an
    # earlier question can join after a later one and go ahead of it: a place rises only
    # then, so at most once per other question; otherwise places only go down, to 1.
    rises = sum(later > earlier for earlier, later in itertools.pairwise(places))
    assert rises <= len(QUESTIONS) - 1 and places[-1] == 1, places
    assert max(places) <= len(QUESTIONS), places

    logger.warning(
        "3 workers, %d/%.0f s limit: %d questions in %.1f s, Genie starts sampled %d times, "
        "queued updates per question %s",
        LIMIT,
        WINDOW_S,
        len(QUESTIONS),
        samples[-1][0],
        len(samples),
        [len([c for c in s.chunks if "eta_s" in c]) for s in followed],
    )


async def test_questions_no_worker_has_picked_up_yet_see_their_place_too(
    cluster: Cluster,
) -> None:
    cluster.start_redis()
    cluster.start_genie()
    cluster.start_api()
    cluster.start_worker(
        GENIE_RATE_LIMIT_PER_MIN=str(LIMIT),
        GENIE_RATE_WINDOW_S=str(WINDOW_S),
        GENIE_QUEUE_UPDATE_S="0.2",
        MAX_JOBS="2",  # the worker holds two questions; the rest wait in arq's queue
    )
    accepted = [await post_question(cluster.api_url, q) for q in QUESTIONS[:5]]
    followed = await asyncio.gather(
        *(follow(a["events_url"], Followed(), deadline_s=180) for a in accepted)
    )
    for stream in followed:
        assert_complete(stream)
    # the last two asked waited in arq's queue, yet were told their place as it moved
    for stream in followed[3:]:
        places = [c["position"] for c in stream.chunks if "eta_s" in c]
        assert len(places) >= 2 and places[-1] < places[0], stream.chunks

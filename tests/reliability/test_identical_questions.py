"""Identical questions asked together cost Genie one start, through the real processes."""

from __future__ import annotations

import asyncio

from harness.questions import post_question
from tests.reliability.conftest import Cluster
from tests.reliability.streams import Followed, assert_complete, follow


async def test_identical_questions_share_one_genie_start(cluster: Cluster) -> None:
    cluster.start_redis()
    cluster.start_genie(step_delay_s=0.3)
    cluster.start_api()
    for n in range(2):
        cluster.start_worker(f"worker-{n}", ANSWER_CACHE_TTL_S="60")
    texts = [
        "Which parts are low on stock?",
        "which parts are LOW on stock",
        "Which parts are low on stock?",
    ]
    accepted = await asyncio.gather(*(post_question(cluster.api_url, t) for t in texts))
    followed = await asyncio.gather(
        *(follow(a["events_url"], Followed(), deadline_s=120) for a in accepted)
    )
    answers = []
    for stream in followed:
        assert_complete(stream)
        assert stream.done["status"] == "completed", cluster.logs()
        (answer,) = [c for c in stream.chunks if c["type"] == "answer"]
        answers.append(answer)
    assert cluster.genie_stats()["starts"] == 1
    assert sum(bool(a.get("cached")) for a in answers) == 2
    assert len({a["text"] for a in answers}) == 1
    assert {a["conversation_id"] for a in answers} == {a["conversation_id"] for a in accepted}

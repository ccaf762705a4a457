"""Identical questions asked together cost Genie one start, and a follow-up to a shared
answer still refines it, through the real processes."""

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


async def _answered(
    cluster: Cluster, text: str, conversation_id: str | None = None
) -> tuple[str, Followed]:
    """The question's conversation id and its stream, completed."""
    accepted = await post_question(cluster.api_url, text, conversation_id)
    followed = await follow(accepted["events_url"], Followed(), deadline_s=120)
    assert_complete(followed)
    assert followed.done["status"] == "completed", cluster.logs()
    return accepted["conversation_id"], followed


async def test_a_follow_up_after_a_shared_answer_refines_that_answer(cluster: Cluster) -> None:
    # Redis, local Genie, the API, the MLflow agent server and a worker streaming from it
    cluster.start_redis()
    cluster.start_genie()
    cluster.start_api()
    agent = cluster.start_agent()
    cluster.start_worker(AGENT_URL=agent.url, ANSWER_CACHE_TTL_S="60")
    await _answered(cluster, "What parts are low stock?")
    conversation_id, shared = await _answered(cluster, "What parts are low stock?")  # a teammate
    (answer,) = [c for c in shared.chunks if c["type"] == "answer"]
    assert answer.get("cached") is True
    _, follow_up = await _answered(cluster, "just in Seattle", conversation_id)
    (sql,) = [c["sql"] for c in follow_up.chunks if c["type"] == "sql"]
    # still the low-stock list, narrowed to Seattle: not Seattle's own warehouse row
    assert "'WH-SEA'" in sql and "< s.reorder_point" in sql, sql
    # the first asker's start, the shared question asked again, the follow-up
    assert cluster.genie_stats()["starts"] == 3

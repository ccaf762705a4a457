"""The job under Genie's rate limit and with identical questions, on a real Redis.

Uses test_jobs' ``Pipeline`` (a namespace of the session Redis, the job run as arq
would) with the limiter and the answer cache switched on.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from services.common.genie_limiter import GenieRateLimiter
from services.worker.jobs import DEPS, answer_question
from services.worker.shared_answers import SharedAnswers, normalise
from tests.services.worker.test_jobs import Pipeline, good_run, kinds


@pytest.fixture
async def pipeline(redis_url: str) -> AsyncIterator[Pipeline]:
    redis = Redis.from_url(redis_url)
    yield Pipeline(redis)
    await redis.aclose()


#: a limit that never makes these tests wait
NO_WAIT = {"genie_rate_limit_per_min": 100, "genie_rate_window_s": 1.0, "genie_rate_burst": 100}


def with_limits(pipeline: Pipeline, ctx: dict, cache_ttl_s: int = 60) -> dict:
    deps = ctx[DEPS]
    settings = deps.settings
    limiter = GenieRateLimiter(pipeline.redis, pipeline.keys, settings)
    shared = SharedAnswers(pipeline.redis, pipeline.keys, pipeline.store, cache_ttl_s, 0.01)
    return ctx | {DEPS: dataclasses.replace(deps, limiter=limiter, shared_answers=shared)}


async def ask(pipeline: Pipeline, text: str) -> str:
    conversation = await pipeline.store.create_conversation()
    record = await pipeline.store.create_question(text, conversation.id)
    return record.id


def test_questions_differing_in_case_space_or_closing_mark_are_the_same() -> None:
    assert normalise("  Which parts are LOW on stock? ") == normalise(
        "which parts are low  on stock"
    )


async def test_a_question_waiting_for_genie_sees_its_place_and_eta_move(
    pipeline: Pipeline,
) -> None:
    # one start per 2 s: the second question waits about 2 s, then the third about 4 s
    ctx = with_limits(
        pipeline,
        pipeline.ctx(
            good_run, genie_rate_limit_per_min=1, genie_rate_window_s=2.0, genie_queue_update_s=0.1
        ),
        cache_ttl_s=0,
    )
    ids = [await ask(pipeline, f"question {n}") for n in range(3)]
    results = await asyncio.gather(*(answer_question(ctx, qid) for qid in ids))
    assert results == ["completed"] * 3
    queued = {
        qid: [c for c in await pipeline.log(qid) if c.get("status") == "queued"] for qid in ids
    }
    waited = [chunks for chunks in queued.values() if chunks]
    assert len(waited) == 2  # everyone but the first to take the token waited
    # (which of them joined the line first depends on how the jobs' tasks interleave)
    last_in_line = next(chunks for chunks in waited if 2 in [c["position"] for c in chunks])
    assert last_in_line[-1]["position"] == 1  # it moved up, and was told
    every_wait = [chunk for chunks in waited for chunk in chunks]
    assert all(c["eta_s"] >= 0 and "Waiting for Genie" in c["message"] for c in every_wait)
    assert pipeline.asked == [None, None, None]  # each asked Genie once


async def test_a_waiting_questions_eta_counts_down(pipeline: Pipeline) -> None:
    # one start per 3 s: the second question waits about 3 s, told each second
    ctx = with_limits(
        pipeline,
        pipeline.ctx(
            good_run, genie_rate_limit_per_min=1, genie_rate_window_s=3.0, genie_queue_update_s=0.1
        ),
        cache_ttl_s=0,
    )
    ids = [await ask(pipeline, f"question {n}") for n in range(2)]
    assert await asyncio.gather(*(answer_question(ctx, qid) for qid in ids)) == ["completed"] * 2
    [etas] = [
        etas
        for qid in ids
        if (etas := [c["eta_s"] for c in await pipeline.log(qid) if c.get("eta_s") is not None])
    ]
    assert etas == sorted(etas, reverse=True) and len(set(etas)) >= 2, etas
    assert len(etas) == len(set(etas))  # each ETA said once


async def test_an_identical_question_shares_the_first_answer(pipeline: Pipeline) -> None:
    ctx = with_limits(pipeline, pipeline.ctx(good_run, **NO_WAIT))
    first = await ask(pipeline, "Which parts are low?")
    second = await ask(pipeline, "which parts are LOW")
    assert await answer_question(ctx, first) == "completed"
    assert await answer_question(ctx, second) == "completed"
    assert len(pipeline.asked) == 1  # one agent (Genie) call for both
    log = await pipeline.log(second)
    assert kinds(log) == ["starting", "sql", "text", "answer", "done"]
    assert log[0]["message"].startswith("♻️ Same question answered")
    assert log[3]["cached"] is True and log[3]["text"] == "One."
    assert [c["seq"] for c in log] == list(range(len(log)))
    assert "cached" not in (await pipeline.log(first))[-2]


async def test_a_question_asked_while_its_twin_runs_waits_and_shares(pipeline: Pipeline) -> None:
    ctx = with_limits(pipeline, pipeline.ctx(good_run, **NO_WAIT))
    first = await ask(pipeline, "Which parts are low?")
    second = await ask(pipeline, "Which parts are low?")
    results = await asyncio.gather(answer_question(ctx, first), answer_question(ctx, second))
    assert results == ["completed", "completed"]
    assert len(pipeline.asked) == 1
    sharer = second if (await pipeline.log(second))[-2].get("cached") else first
    assert any("being answered now" in c.get("message", "") for c in await pipeline.log(sharer))


async def test_a_failed_twin_is_not_shared(pipeline: Pipeline) -> None:
    failing = with_limits(pipeline, pipeline.ctx(lambda: iter([]), max_tries=1, **NO_WAIT))
    first = await ask(pipeline, "Which parts are low?")
    assert await answer_question(failing, first) == "failed"
    ctx = with_limits(pipeline, pipeline.ctx(good_run, **NO_WAIT))
    second = await ask(pipeline, "Which parts are low?")
    assert await answer_question(ctx, second) == "completed"
    assert "cached" not in (await pipeline.log(second))[-2]
    assert len(pipeline.asked) == 2


async def test_a_follow_up_never_shares(pipeline: Pipeline) -> None:
    ctx = with_limits(pipeline, pipeline.ctx(good_run, **NO_WAIT))
    first = await ask(pipeline, "Which parts are low?")
    assert await answer_question(ctx, first) == "completed"
    conversation = (await pipeline.store.get_question(first)).conversation_id
    follow_up = await pipeline.store.create_question("Which parts are low?", conversation)
    assert await answer_question(ctx, follow_up.id) == "completed"
    assert len(pipeline.asked) == 2


async def test_a_follow_up_to_a_shared_answer_asks_that_question_again_first(
    pipeline: Pipeline,
) -> None:
    ctx = with_limits(pipeline, pipeline.ctx(good_run, **NO_WAIT))
    first = await ask(pipeline, "Which parts are low?")
    shared = await ask(pipeline, "Which parts are low?")
    for question_id in (first, shared):
        assert await answer_question(ctx, question_id) == "completed"
    conversation = (await pipeline.store.get_question(shared)).conversation_id
    follow_up = await pipeline.store.create_question("just in Seattle", conversation)
    assert await answer_question(ctx, follow_up.id) == "completed"
    # the first answer; the shared question again, in a new Genie conversation, published
    # nowhere; the follow-up in that conversation
    assert pipeline.asked == [None, None, "genie-1"]
    assert (await pipeline.store.get_question(shared)).genie_conversation_id == "genie-1"
    assert kinds(await pipeline.log(follow_up.id)) == kinds(await pipeline.log(first))


async def test_a_question_that_cannot_get_a_genie_turn_in_time_fails_clearly(
    pipeline: Pipeline,
) -> None:
    # one start per 10 minutes and a 1 s job budget: the second question cannot start
    slow = {"genie_rate_limit_per_min": 1, "genie_rate_window_s": 600.0, "job_timeout_s": 1}
    ctx = with_limits(pipeline, pipeline.ctx(good_run, **slow), cache_ttl_s=0)
    first, second = await ask(pipeline, "first"), await ask(pipeline, "second")
    assert await answer_question(ctx, first) == "completed"
    assert await answer_question(ctx, second) == "failed"
    log = await pipeline.log(second)
    assert kinds(log) == ["queued", "error", "done"]
    assert log[1]["code"] == "genie_busy" and log[1]["retryable"] is True
    assert await pipeline.redis.zcard(pipeline.keys.genie_line) == 0  # it left the line


async def test_questions_of_different_api_keys_never_share(pipeline: Pipeline) -> None:
    ctx = with_limits(pipeline, pipeline.ctx(good_run, **NO_WAIT))
    for owner in ("k_alice", "k_bob"):
        conversation = await pipeline.store.create_conversation(owner)
        record = await pipeline.store.create_question(
            "Which parts are low?", conversation.id, owner
        )
        assert await answer_question(ctx, record.id) == "completed"
    assert len(pipeline.asked) == 2

"""The answer_question job against a real Redis, with the agent in-process.

The agent here is ``ThreadedAgentClient`` — the worker's own in-process mode — fed a
scripted event list, so each test chooses what the agent does (answer, fail, hang).
"""

from __future__ import annotations

import asyncio
import json
import threading
import uuid
from collections.abc import AsyncIterator, Callable, Iterator

import pytest
from arq import Retry
from redis.asyncio import Redis

from agent.stream_events import answer_event, sql_event, status_event, text_delta_event
from services.common.chunks import DoneChunk, StatusChunk
from services.common.keys import ARQ_JOB_PREFIX, RedisKeys
from services.common.publisher import Publisher
from services.common.questions import QuestionRecord, QuestionStore
from services.common.settings import Settings
from services.worker.agent_client import AgentUnavailableError, ThreadedAgentClient
from services.worker.jobs import ABORTING, DEPS, Deps, answer_question

GENIE = {"conversation_id": "genie-1"}


def good_run() -> list[dict]:
    return [
        status_event("s1", "executing", "⚡ Executing query…", **GENIE),
        sql_event("s2", "SELECT 1", "one", **GENIE),
        text_delta_event("a", "One."),
        answer_event("a", "One.", message_id="m-1", **GENIE),
    ]


class Pipeline:
    """A namespace of a real Redis, and helpers to run one job the way arq would."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis
        self.keys = RedisKeys(f"test-{uuid.uuid4().hex[:8]}")
        self.store = QuestionStore(redis, self.keys, 600)
        self.publisher = Publisher(redis, self.keys, 600)
        self.asked: list[str | None] = []  # the Genie conversation id of each agent call
        self.resumed: list[str | None] = []  # the Genie message id of each agent call

    def ctx(self, events: Callable[[], Iterator[dict]], job_try: int = 1, **settings) -> dict:
        def open_stream(question: str, custom_inputs: dict[str, str]) -> Iterator[dict]:
            self.asked.append(custom_inputs.get("conversation_id"))
            self.resumed.append(custom_inputs.get("message_id"))
            return events()

        overrides = {"max_tries": 2, "agent_retry_defer_s": 0.1, "followup_poll_s": 0.01}
        deps = Deps(
            settings=Settings(**{**overrides, **settings}),
            store=self.store,
            publisher=self.publisher,
            agent=ThreadedAgentClient("scripted", open_stream),
        )
        return {DEPS: deps, "job_try": job_try, ABORTING: set()}

    async def question(self, conversation_id: str | None = None) -> str:
        if conversation_id is None:
            conversation_id = (await self.store.create_conversation()).id
        record = await self.store.create_question("Which parts are low?", conversation_id)
        queued = StatusChunk(question_id=record.id, status="queued", message="queued", position=1)
        await self.publisher.publish(queued)
        return record.id

    async def hold_job(self, question_id: str) -> None:
        """Give the question an arq job, as the API's intake does (never run here)."""
        await self.redis.set(ARQ_JOB_PREFIX + question_id, b"job", ex=60)

    async def log(self, question_id: str) -> list[dict]:
        raw = await self.redis.lrange(self.keys.replay_log(question_id), 0, -1)
        return [json.loads(item) for item in raw]


@pytest.fixture
async def pipeline(redis_url: str) -> AsyncIterator[Pipeline]:
    redis = Redis.from_url(redis_url)
    yield Pipeline(redis)
    await redis.aclose()


def kinds(log: list[dict]) -> list[str]:
    """Each chunk's type, or its status for status chunks."""
    return [chunk["status"] if chunk["type"] == "status" else chunk["type"] for chunk in log]


async def broken_then_retried(pipeline: Pipeline, *started: str) -> tuple[str, QuestionRecord]:
    """A try that breaks after Genie accepted the messages ``started``, then the retry that
    answers: the question, and its record as the broken try left it."""
    qid = await pipeline.question()

    def broken() -> Iterator[dict]:
        for i, message_id in enumerate(started):
            step = ("s" + str(i), "executing", "⚡ Executing query…")
            yield status_event(*step, message_id=message_id, **GENIE)
        raise AgentUnavailableError("peer closed connection")

    with pytest.raises(Retry):
        await answer_question(pipeline.ctx(broken), qid)
    record = await pipeline.store.get_question(qid)
    retried = await answer_question(pipeline.ctx(lambda: iter(good_run()), job_try=2), qid)
    assert retried == "completed"
    return qid, record


async def test_a_retry_resumes_the_genie_message_the_broken_run_started(
    pipeline: Pipeline,
) -> None:
    qid, record = await broken_then_retried(pipeline, "m-1")
    assert (record.genie_conversation_id, record.genie_message_id) == ("genie-1", "m-1")
    assert (pipeline.asked, pipeline.resumed) == ([None, "genie-1"], [None, "m-1"])
    log = await pipeline.log(qid)
    assert [c["seq"] for c in log] == list(range(len(log)))
    assert kinds(log)[:4] == ["queued", "starting", "executing", "retrying"]
    assert kinds(log).count("done") == 1


async def test_a_retry_resumes_the_first_genie_message_of_a_turn_that_asked_twice(
    pipeline: Pipeline,
) -> None:
    """A language model's turn asked Genie twice and broke in the second question: the
    retry's first Genie call must get the first question's message, not the second's."""
    _, record = await broken_then_retried(pipeline, "m-1", "m-2")
    assert (record.genie_first_message_id, record.genie_message_id) == ("m-1", "m-2")
    assert pipeline.resumed == [None, "m-1"]


async def test_a_run_publishes_every_chunk_in_order_and_remembers_genie(pipeline: Pipeline) -> None:
    qid = await pipeline.question()
    assert await answer_question(pipeline.ctx(lambda: iter(good_run())), qid) == "completed"
    log = await pipeline.log(qid)
    assert [c["seq"] for c in log] == list(range(len(log)))
    assert kinds(log) == ["queued", "starting", "executing", "sql", "text", "answer", "done"]
    assert log[-1]["status"] == "completed" and log[-1]["elapsed_ms"] >= 0
    record = await pipeline.store.get_question(qid)
    assert (record.genie_conversation_id, record.genie_message_id) == ("genie-1", "m-1")
    conversation = await pipeline.store.get_conversation(record.conversation_id)
    assert conversation.genie_conversation_id == "genie-1"


async def test_a_follow_up_continues_the_genie_conversation(pipeline: Pipeline) -> None:
    first = await pipeline.question()
    conversation_id = (await pipeline.store.get_question(first)).conversation_id
    await answer_question(pipeline.ctx(lambda: iter(good_run())), first)
    second = await pipeline.question(conversation_id)
    await answer_question(pipeline.ctx(lambda: iter(good_run())), second)
    assert pipeline.asked == [None, "genie-1"]


async def test_a_follow_up_waits_for_the_question_before_it(pipeline: Pipeline) -> None:
    first = await pipeline.question()
    await pipeline.hold_job(first)
    conversation_id = (await pipeline.store.get_question(first)).conversation_id
    second = await pipeline.question(conversation_id)
    job = asyncio.create_task(answer_question(pipeline.ctx(lambda: iter(good_run())), second))
    await asyncio.sleep(0.2)
    assert not job.done() and kinds(await pipeline.log(second)) == ["queued"]
    await pipeline.publisher.publish(DoneChunk(question_id=first, status="completed", elapsed_ms=1))
    assert await asyncio.wait_for(job, 10) == "completed"


async def test_a_finished_question_is_left_alone(pipeline: Pipeline) -> None:
    qid = await pipeline.question()
    await answer_question(pipeline.ctx(lambda: iter(good_run())), qid)
    before = await pipeline.log(qid)
    assert await answer_question(pipeline.ctx(lambda: iter(good_run())), qid) == "already_finished"
    assert await pipeline.log(qid) == before


def unavailable() -> Iterator[dict]:
    raise AgentUnavailableError("connection refused")


async def test_agent_down_retries_then_fails_with_a_retryable_error(pipeline: Pipeline) -> None:
    qid = await pipeline.question()
    with pytest.raises(Retry):
        await answer_question(pipeline.ctx(unavailable, job_try=1), qid)
    assert await answer_question(pipeline.ctx(unavailable, job_try=2), qid) == "failed"
    log = await pipeline.log(qid)
    assert [c["seq"] for c in log] == list(range(len(log)))
    assert kinds(log) == ["queued", "starting", "retrying", "starting", "error", "done"]
    assert (log[-2]["code"], log[-2]["retryable"]) == ("agent_unavailable", True)
    assert log[-1]["status"] == "failed"


async def test_an_agent_error_event_fails_the_question(pipeline: Pipeline) -> None:
    from agent.stream_events import error_event

    qid = await pipeline.question()
    events = [error_event("e", "genie_failed", "Genie failed", retryable=False),
              answer_event("a", "Genie failed", status="failed")]  # fmt: skip
    assert await answer_question(pipeline.ctx(lambda: iter(events)), qid) == "failed"
    assert kinds(await pipeline.log(qid))[-2:] == ["error", "done"]


def hanging(release: threading.Event) -> Callable[[], Iterator[dict]]:
    def events() -> Iterator[dict]:
        yield status_event("s1", "executing", "⚡ Executing query…")
        release.wait(10)
        yield from good_run()

    return events


async def test_a_question_cancelled_by_the_api_stops_the_run(pipeline: Pipeline) -> None:
    qid = await pipeline.question()
    release = threading.Event()
    job = asyncio.create_task(answer_question(pipeline.ctx(hanging(release)), qid))
    await asyncio.sleep(0.3)
    cancelled = DoneChunk(question_id=qid, status="cancelled", elapsed_ms=1)
    await pipeline.publisher.publish(cancelled)
    release.set()
    assert await asyncio.wait_for(job, 10) == "finished_elsewhere"
    log = await pipeline.log(qid)
    assert kinds(log)[-1] == "done" and [c["type"] for c in log].count("done") == 1


async def test_an_aborted_job_ends_the_question_as_cancelled(pipeline: Pipeline) -> None:
    qid = await pipeline.question()
    release = threading.Event()
    ctx = pipeline.ctx(hanging(release))
    job = asyncio.create_task(answer_question(ctx, qid))
    await asyncio.sleep(0.3)
    ctx[ABORTING].add(qid)  # what arq does just as it cancels an aborted job
    job.cancel()
    with pytest.raises(asyncio.CancelledError):
        await job
    release.set()
    log = await pipeline.log(qid)
    assert kinds(log)[-2:] == ["cancelled", "done"] and log[-1]["status"] == "cancelled"


async def test_a_worker_shutdown_leaves_the_question_open_for_a_retry(pipeline: Pipeline) -> None:
    qid = await pipeline.question()
    release = threading.Event()
    job = asyncio.create_task(answer_question(pipeline.ctx(hanging(release)), qid))
    await asyncio.sleep(0.3)
    job.cancel()  # not in the aborting set: arq is stopping and will run the job again
    with pytest.raises(asyncio.CancelledError):
        await job
    release.set()
    assert not (await pipeline.store.get_question(qid)).finished
    retry = pipeline.ctx(lambda: iter(good_run()), job_try=2)
    assert await answer_question(retry, qid) == "completed"
    assert kinds(await pipeline.log(qid))[3] == "retrying"


async def test_a_job_over_its_time_limit_fails_honestly(pipeline: Pipeline) -> None:
    qid = await pipeline.question()
    release = threading.Event()
    ctx = pipeline.ctx(hanging(release), job_timeout_s=1)
    assert await answer_question(ctx, qid) == "failed"
    release.set()
    log = await pipeline.log(qid)
    assert (log[-2]["code"], log[-1]["status"]) == ("timeout", "failed")


async def test_a_job_past_its_tries_ends_the_stream(pipeline: Pipeline) -> None:
    qid = await pipeline.question()
    assert await answer_question(pipeline.ctx(lambda: iter(good_run()), job_try=3), qid) == "failed"
    log = await pipeline.log(qid)
    assert kinds(log) == ["queued", "error", "done"] and log[1]["code"] == "gave_up"
    assert pipeline.asked == []  # the agent was not asked again


async def test_an_unexpected_failure_still_ends_the_stream(pipeline: Pipeline) -> None:
    qid = await pipeline.question()

    def broken() -> Iterator[dict]:
        raise KeyError("a bug")

    with pytest.raises(KeyError):
        await answer_question(pipeline.ctx(broken), qid)
    log = await pipeline.log(qid)
    assert (log[-2]["code"], log[-1]["status"]) == ("internal_error", "failed")


async def test_a_follow_up_stops_waiting_after_its_limit(pipeline: Pipeline) -> None:
    first = await pipeline.question()  # never answered
    await pipeline.hold_job(first)
    conversation_id = (await pipeline.store.get_question(first)).conversation_id
    second = await pipeline.question(conversation_id)
    ctx = pipeline.ctx(lambda: iter(good_run()), followup_max_wait_s=0.2)
    assert await asyncio.wait_for(answer_question(ctx, second), 10) == "completed"


async def test_a_follow_up_does_not_wait_for_a_question_with_no_job(pipeline: Pipeline) -> None:
    """An orphan (a record whose job was never written) would never finish."""
    first = await pipeline.question()  # no job: never answered, never will be
    conversation_id = (await pipeline.store.get_question(first)).conversation_id
    second = await pipeline.question(conversation_id)
    ctx = pipeline.ctx(lambda: iter(good_run()), followup_max_wait_s=600)
    assert await asyncio.wait_for(answer_question(ctx, second), 10) == "completed"

"""The arq job: answer one question by streaming the agent and publishing its chunks.

The job is idempotent (``_job_id`` is the question id): a finished question is left
alone, and a job that runs again continues the seq from what the replay log holds
(the publisher assigns it), saying ``retrying`` first. Every way out publishes exactly
one ``done``; the publisher's Lua guard makes a second one (the API cancelling at the
same moment) a no-op.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Any

from arq import Retry
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from services.common.chunks import Chunk, DoneChunk, DoneStatus, ErrorChunk, StatusChunk
from services.common.genie_limiter import GenieRateLimiter
from services.common.logs import bind_question
from services.common.publisher import Publisher
from services.common.questions import (
    ConversationNotFound,
    QuestionNotFound,
    QuestionRecord,
    QuestionStore,
)
from services.common.settings import Settings
from services.worker.agent_client import AgentClient, AgentRejectedError, AgentUnavailableError
from services.worker.backlog_positions import BacklogPositions
from services.worker.event_mapping import AgentRunReader
from services.worker.genie_turn import wait_for_genie_turn
from services.worker.metrics import WorkerMetrics
from services.worker.shared_answers import SharedAnswers

logger = logging.getLogger(__name__)

#: ctx key of the worker's ``Deps``; ctx key of arq's set of job ids being aborted.
DEPS = "deps"
ABORTING = "aborting_job_ids"


@dataclass(frozen=True)
class Deps:
    """What every job uses, made once in the worker's on_startup."""

    settings: Settings
    store: QuestionStore
    publisher: Publisher
    agent: AgentClient
    #: Genie's shared rate limit; None runs every question at once (unit tests)
    limiter: GenieRateLimiter | None = None
    #: identical questions share one answer; None asks Genie every time
    shared_answers: SharedAnswers | None = None
    #: places of the questions still in arq's queue, published by the line's head
    backlog: BacklogPositions | None = None
    #: counters and timings for the API's /metrics; None records nothing (unit tests)
    metrics: WorkerMetrics | None = None


class QuestionFinished(Exception):
    """The question was ended elsewhere (cancelled by the API) while this job ran."""


#: Redis itself unreachable: nothing of the question can be recorded or ended meanwhile
REDIS_UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)


async def answer_question(ctx: dict[str, Any], question_id: str) -> str:
    """Run one question through the agent; returns how it ended (arq keeps it briefly).

    A job that loses Redis mid-run is run again, never failed: a failed arq job is gone,
    and its question, which could not be ended while Redis was away, would never finish.
    The job is idempotent (the seq continues from the replay log), so a rerun resumes it.
    """
    try:
        return await _answer_question(ctx, question_id)
    except REDIS_UNAVAILABLE as error:
        deps: Deps = ctx[DEPS]
        logger.warning("Redis unavailable while answering %s (%s): run again", question_id, error)
        raise Retry(defer=deps.settings.agent_retry_defer_s * ctx["job_try"]) from error


async def _answer_question(ctx: dict[str, Any], question_id: str) -> str:
    deps: Deps = ctx[DEPS]
    bind_question(question_id)  # arq runs each job in a task of its own: the tag ends with it
    try:
        record = await deps.store.get_question(question_id)
    except QuestionNotFound:
        logger.warning("question %s not found (expired?): nothing to do", question_id)
        return "not_found"
    if record.finished:
        return "already_finished"
    run = _QuestionRun(deps, record)
    try:
        return await run.execute(ctx["job_try"])
    except QuestionFinished:
        return "finished_elsewhere"
    except asyncio.CancelledError:
        if question_id in ctx.get(ABORTING, ()):
            cancelled = StatusChunk(**run.ids, status="cancelled", message="🛑 Cancelled")
            await run.finish("cancelled", cancelled)
        # otherwise the worker is shutting down: arq runs the job again (`retrying`)
        raise
    except Retry:
        raise
    except Exception:  # a bug must still end the stream; arq logs the traceback
        await run.fail("internal_error", "Something went wrong answering this question.", True)
        raise


class _QuestionRun:
    def __init__(self, deps: Deps, record: QuestionRecord) -> None:
        self.deps = deps
        self.record = record
        self.ids = {"question_id": record.id}
        #: waiting (for Genie's rate limit, an identical question) and the agent run share
        #: one budget, so the job ends itself, saying why, before arq's timeout kills it
        self.deadline = asyncio.get_running_loop().time() + deps.settings.job_timeout_s

    async def execute(self, job_try: int) -> str:
        settings = self.deps.settings
        if job_try > settings.max_tries:  # arq allows one more run, so the stream can end
            message = f"Gave up after {settings.max_tries} tries; please ask again."
            return await self.fail("gave_up", message, True)
        if job_try > 1:
            await self.publish(StatusChunk(**self.ids, status="retrying", message="🔁 Retrying…"))
        await self.wait_for_previous_question()
        if (source := await self.identical_answered_question()) is not None:
            return await self.finish("completed", *await self.replay_answer_of(source))
        # A retry resuming a message Genie already has polls it: no new start, and the
        # shared answer before it was asked again on the first try.
        resumes = self.resumes_genie_message
        antecedent = None if resumes else await self.unasked_antecedent()
        try:
            async with asyncio.timeout_at(self.deadline):
                if not resumes:  # polling a started message is free
                    await self.wait_for_genie_turn()
                if antecedent is not None:  # asking it again is one more Genie start
                    await self.wait_for_genie_turn()
        except TimeoutError:
            message = "Too many questions are waiting for Genie's rate limit; please ask later."
            return await self.fail("genie_busy", message, True)
        await self.publish(StatusChunk(**self.ids, status="starting", message="📝 Starting…"))
        await self.record_start(job_try)
        reader = AgentRunReader(self.record.id, self.record.conversation_id)
        try:
            async with asyncio.timeout_at(self.deadline):
                if antecedent is not None:
                    await self.ask_again(antecedent)
                await self.relay_agent(reader)
        except AgentUnavailableError as error:
            if job_try < settings.max_tries:
                defer_s = settings.agent_retry_defer_s * job_try
                logger.warning("%s: %s; retry in %.1f s", self.record.id, error, defer_s)
                raise Retry(defer=defer_s) from error
            return await self.fail("agent_unavailable", f"The agent is unavailable: {error}", True)
        except AgentRejectedError as error:
            return await self.fail("agent_rejected", str(error), False)
        except TimeoutError:
            message = f"No answer within {settings.job_timeout_s} s; please try again."
            return await self.fail("timeout", message, True)
        await self.record_genie_ids(reader)
        if reader.failed:
            if not reader.errors:
                return await self.fail("no_answer", "The agent ended without an answer.", True)
            return await self.finish("failed")
        status = await self.finish("completed")
        if self.deps.shared_answers is not None:
            await self.deps.shared_answers.answered(self.record)
        return status

    async def wait_for_previous_question(self) -> None:
        """Let the conversation's previous question finish first, so Genie sees them in order."""
        previous = self.record.previous_question_id
        if not previous:
            return
        settings = self.deps.settings
        deadline = time.monotonic() + settings.followup_max_wait_s
        while time.monotonic() < deadline:
            try:
                if (await self.deps.store.get_question(previous)).finished:
                    return
            except QuestionNotFound:
                return
            if not await self.deps.store.has_job(previous):
                logger.warning("%s: question before it has no job; going ahead", self.record.id)
                return
            await asyncio.sleep(settings.followup_poll_s)
        logger.warning("%s: question before it still running; going ahead", self.record.id)

    async def identical_answered_question(self) -> QuestionRecord | None:
        """A completed identical question whose answer this one may share (see shared_answers)."""
        if self.deps.shared_answers is None:
            return None

        async def say_waiting() -> None:
            message = "♻️ The same question is being answered now; sharing its answer"
            await self.publish(StatusChunk(**self.ids, status="queued", message=message))

        max_wait_s = self.deadline - asyncio.get_running_loop().time()
        return await self.deps.shared_answers.source_for(self.record, max_wait_s, say_waiting)

    async def replay_answer_of(self, source: QuestionRecord) -> list[Chunk]:
        assert self.deps.shared_answers is not None
        logger.info("%s: sharing the answer of identical %s", self.record.id, source.id)
        return await self.deps.shared_answers.replay(source, self.record)

    async def unasked_antecedent(self) -> QuestionRecord | None:
        """The shared answer this follow-up refines, which Genie never saw (see shared_answers)."""
        if self.deps.shared_answers is None:
            return None
        return await self.deps.shared_answers.unasked_antecedent(self.record)

    async def ask_again(self, antecedent: QuestionRecord) -> None:
        """Ask a shared answer's question in a new Genie conversation, publishing nothing
        (the user has its answer), so that this follow-up continues that conversation."""
        logger.info(
            "%s: asking shared %s again for its Genie context", self.record.id, antecedent.id
        )
        reader = AgentRunReader(antecedent.id, antecedent.conversation_id)
        async for event in self.deps.agent.stream(antecedent.question, None):
            reader.read(event)
        if reader.genie_conversation_id and not reader.failed:
            await self.deps.store.record_genie_ids(
                antecedent.id, reader.genie_conversation_id, reader.genie_message_id
            )
        else:
            logger.warning("%s: asking %s again failed; no context", self.record.id, antecedent.id)

    async def wait_for_genie_turn(self) -> None:
        """Hold the question (still ``queued``) until Genie's shared rate limit lets it start."""
        if self.deps.limiter is None:
            return
        await wait_for_genie_turn(
            self.deps.limiter,
            self.record.id,
            self.record.created_at,
            self.deps.settings.genie_queue_update_s,
            self.publish,
            self.deps.backlog.publish_for if self.deps.backlog is not None else None,
        )

    @property
    def resumes_genie_message(self) -> bool:
        """An earlier try got as far as Genie accepting the question (see record_genie_ids)."""
        return bool(self.record.genie_conversation_id and self.record.genie_first_message_id)

    async def record_genie_ids(self, reader: AgentRunReader) -> None:
        """Remember the Genie message as soon as it exists, so that a retry resumes it."""
        if not reader.genie_conversation_id:
            return
        known = (self.record.genie_conversation_id, self.record.genie_message_id)
        if known == (reader.genie_conversation_id, reader.genie_message_id):
            return
        await self.deps.store.record_genie_ids(
            self.record.id, reader.genie_conversation_id, reader.genie_message_id
        )
        self.record.genie_conversation_id = reader.genie_conversation_id
        self.record.genie_message_id = reader.genie_message_id
        if self.record.genie_first_message_id is None:
            self.record.genie_first_message_id = reader.genie_message_id

    async def genie_conversation_id(self) -> str | None:
        try:
            conversation = await self.deps.store.get_conversation(self.record.conversation_id)
        except ConversationNotFound:
            return None
        return conversation.genie_conversation_id

    async def record_start(self, job_try: int) -> None:
        """Metrics: the question left the queue (its first try) and an agent run begins
        (one Genie start, unless it resumes a message Genie already has)."""
        if self.deps.metrics is None:
            return
        if job_try == 1:
            await self.deps.metrics.first_chunk(self.record.created_at)
        if not self.resumes_genie_message:
            await self.deps.metrics.agent_started()

    async def relay_agent(self, reader: AgentRunReader) -> None:
        if self.resumes_genie_message:
            ids = (self.record.genie_conversation_id, self.record.genie_first_message_id)
            logger.info("%s: resuming Genie message %s", self.record.id, ids[1])
        else:
            ids = (await self.genie_conversation_id(), None)
        async for event in self.deps.agent.stream(self.record.question, *ids):
            if self.deps.metrics is not None:
                await self.deps.metrics.agent_event(event)
            chunk = reader.read(event)
            await self.record_genie_ids(reader)
            if chunk is not None:
                await self.publish(chunk)

    async def publish(self, *chunks: Chunk) -> None:
        if await self.deps.publisher.publish(*chunks) is None:
            raise QuestionFinished(self.record.id)

    async def fail(self, code: str, message: str, retryable: bool) -> str:
        error = ErrorChunk(**self.ids, code=code, message=message, retryable=retryable)
        return await self.finish("failed", error)

    async def finish(self, status: DoneStatus, *before: Chunk) -> str:
        """Publish the last chunks and the one ``done``; a lost race to finish is fine."""
        elapsed_ms = int((time.time() - self.record.created_at) * 1000)
        done = DoneChunk(**self.ids, status=status, elapsed_ms=elapsed_ms)
        if await self.deps.publisher.publish(*before, done) is None:
            logger.info("%s was already finished; %s not published", self.record.id, status)
        return status

"""Asking and cancelling questions: the domain behind POST /questions and /cancel.

Raises named exceptions (``QuestionNotFound``, ``ConversationNotFound``,
``QuestionAlreadyFinished``); the routes' error handlers turn them into HTTP answers.
"""

from __future__ import annotations

import contextlib
import logging
import time

from pydantic import SecretStr
from redis.exceptions import RedisError

from services.api.context import ApiContext
from services.common.chunks import DoneChunk, ErrorChunk, QuestionStatus, StatusChunk
from services.common.keys import ARQ_ABORT_SET, ARQ_QUEUE
from services.common.logs import bind_question
from services.common.on_behalf_of import job_token_kwargs
from services.common.questions import QuestionRecord

logger = logging.getLogger(__name__)

#: the arq job the worker registers; its only argument is the question id
JOB_FUNCTION = "answer_question"


class QuestionAlreadyFinished(RuntimeError):
    """The question already ended (completed, failed or cancelled)."""

    def __init__(self, question_id: str, status: str) -> None:
        super().__init__(f"question {question_id} has already finished ({status})")
        self.question_id = question_id
        self.status = status


def queued_message(position: int) -> str:
    ahead = position - 1
    if ahead <= 0:
        return "⏳ Queued: you are next"
    return f"⏳ Queued: {ahead} question{'s' if ahead > 1 else ''} ahead of yours"


async def submit_question(
    context: ApiContext,
    question: str,
    conversation_id: str | None,
    owner: str | None = None,
    user_token: SecretStr | None = None,
) -> tuple[QuestionRecord, int]:
    """Record the question, publish its ``queued`` chunk, enqueue its job (with the
    user's token when the agent is to run as the user: see on_behalf_of.py).

    The queued chunk goes out before the job is enqueued so that it is always seq 0,
    however fast a worker picks the job up. Returns the record and queue position.
    """
    store = context.store
    if conversation_id is None:
        conversation_id = (await store.create_conversation(owner)).id
    else:
        await store.get_conversation(conversation_id)  # raises ConversationNotFound
    record = await store.create_question(question, conversation_id, owner)
    bind_question(record.id)
    # arq keeps running jobs in its queue too, so this counts every question before ours.
    position = await context.redis.zcount(ARQ_QUEUE, "-inf", time.time() * 1000) + 1
    queued = StatusChunk(
        question_id=record.id,
        status=QuestionStatus.QUEUED,
        message=queued_message(position),
        position=position,
    )
    await context.publisher.publish(queued)
    try:
        await context.redis.enqueue_job(
            JOB_FUNCTION, record.id, _job_id=record.id, **job_token_kwargs(user_token)
        )
    except RedisError:
        await _end_unqueued(context, record)
        raise
    logger.info("queued %s (position %d) in %s", record.id, position, conversation_id)
    return record, position


async def _end_unqueued(context: ApiContext, record: QuestionRecord) -> None:
    """Close the stream of a question whose job could not be enqueued (best effort).

    Otherwise its ``queued`` chunk would promise an answer that never comes.
    """
    error = ErrorChunk(
        question_id=record.id,
        code="enqueue_failed",
        message="The question could not be queued; please ask it again.",
        retryable=True,
    )
    done = DoneChunk(
        question_id=record.id,
        status="failed",
        elapsed_ms=int((time.time() - record.created_at) * 1000),
    )
    with contextlib.suppress(RedisError):
        await context.publisher.publish(error, done)


async def cancel_question(context: ApiContext, question_id: str) -> None:
    """Abort the question's job and end its stream with ``cancelled``.

    The API publishes the ending itself, whether or not a worker is running the job:
    the user sees it at once, and a worker that also tries to end the question is
    refused by the publisher, so the stream still has exactly one ``done``. (Genie's
    conversation API has no way to cancel a chat message; the aborted job just stops
    polling it.)
    """
    record = await context.store.get_question(question_id)
    if record.finished:
        raise QuestionAlreadyFinished(question_id, record.status)
    # What arq's Job.abort does, without waiting for the job's result.
    await context.redis.zadd(ARQ_ABORT_SET, {question_id: int(time.time() * 1000)})
    elapsed_ms = int((time.time() - record.created_at) * 1000)
    published = await context.publisher.publish(
        StatusChunk(
            question_id=question_id, status=QuestionStatus.CANCELLED, message="🛑 Cancelled"
        ),
        DoneChunk(question_id=question_id, status="cancelled", elapsed_ms=elapsed_ms),
    )
    if published is None:
        finished = await context.store.get_question(question_id)
        raise QuestionAlreadyFinished(question_id, finished.status)
    logger.info("cancelled %s", question_id)

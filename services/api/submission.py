"""Asking and cancelling questions: the domain behind POST /questions and /cancel.

Raises named exceptions (``QuestionNotFound``, ``ConversationNotFound``,
``QuestionAlreadyFinished``); the routes' error handlers turn them into HTTP answers.
"""

from __future__ import annotations

import logging
import time

from pydantic import SecretStr

from services.api.context import ApiContext
from services.common.chunks import DoneChunk, QuestionStatus, StatusChunk
from services.common.keys import ARQ_ABORT_SET, ARQ_QUEUE
from services.common.logs import bind_question
from services.common.questions import QuestionRecord
from services.common.waiting_messages import queued_message

logger = logging.getLogger(__name__)


class QuestionAlreadyFinished(RuntimeError):
    """The question already ended (completed, failed or cancelled)."""

    def __init__(self, question_id: str, status: str) -> None:
        super().__init__(f"question {question_id} has already finished ({status})")
        self.question_id = question_id
        self.status = status


async def submit_question(
    context: ApiContext,
    question: str,
    conversation_id: str | None,
    owner: str | None = None,
    user_token: SecretStr | None = None,
) -> tuple[QuestionRecord, int]:
    """Record the question, its ``queued`` chunk, its job (with the user's token when
    the agent is to run as the user: see on_behalf_of.py) and the owner's history, all
    at once (see intake).

    Returns the record and its queue position (the questions before it, running ones
    included: arq keeps them in its queue too, plus one).
    """
    position = await context.redis.zcount(ARQ_QUEUE, "-inf", time.time() * 1000) + 1
    record = await context.intake.take(
        question, conversation_id, owner, queued_message(position), position, user_token
    )
    bind_question(record.id)
    logger.info("queued %s (position %d) in %s", record.id, position, record.conversation_id)
    return record, position


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

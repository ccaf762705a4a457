"""REST: ask a question, read it back, cancel it, rate its answer."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request, status

from services.api.deps import CallerDep, ContextDep
from services.api.feedback import rate_answer
from services.api.forwarded_identity import UserTokenDep
from services.api.schemas import (
    CancelResult,
    FeedbackIn,
    FeedbackResult,
    QuestionAccepted,
    QuestionIn,
    QuestionView,
)
from services.api.security import count_question, owned_conversation, owned_question
from services.api.submission import cancel_question, submit_question
from services.common.replay import read_log

router = APIRouter(prefix="/questions", tags=["questions"])


@router.post("", status_code=status.HTTP_202_ACCEPTED, response_model=QuestionAccepted)
async def ask(
    body: QuestionIn,
    context: ContextDep,
    caller: CallerDep,
    user_token: UserTokenDep,
    request: Request,
) -> QuestionAccepted:
    """Queue a question; its chunks stream on ``events_url`` from seq 0 (``queued``)."""
    if body.conversation_id is not None:
        await owned_conversation(context.store, caller, body.conversation_id)
    await count_question(context.redis, context.keys, context.settings, caller)
    record, position = await submit_question(
        context, body.question, body.conversation_id, caller.owner, user_token
    )
    context.metrics.questions_accepted.inc()
    events_url = str(request.url_for("question_events", question_id=record.id))
    return QuestionAccepted(
        question_id=record.id,
        conversation_id=record.conversation_id,
        position=position,
        events_url=events_url.replace("http", "ws", 1),  # http→ws, https→wss
    )


@router.get("/{question_id}", response_model=QuestionView)
async def get_question(question_id: str, context: ContextDep, caller: CallerDep) -> QuestionView:
    """The question, where it is, and every chunk so far (for clients that cannot push)."""
    record = await owned_question(context.store, caller, question_id)
    chunks = await read_log(context.redis, context.keys, question_id)
    return QuestionView(
        question_id=record.id,
        question=record.question,
        conversation_id=record.conversation_id,
        status=record.status,
        finished=record.finished,
        created_at=record.created_at,
        feedback=record.feedback,
        chunks=[json.loads(raw) for raw in chunks],
    )


@router.post("/{question_id}/cancel", status_code=status.HTTP_202_ACCEPTED)
async def cancel(question_id: str, context: ContextDep, caller: CallerDep) -> CancelResult:
    """Stop the question; its stream ends with ``status cancelled`` and ``done cancelled``."""
    await owned_question(context.store, caller, question_id)
    await cancel_question(context, question_id)
    return CancelResult(question_id=question_id)


@router.post("/{question_id}/feedback")
async def feedback(
    question_id: str, body: FeedbackIn, context: ContextDep, caller: CallerDep
) -> FeedbackResult:
    """Rate the answer; the rating is stored and sent to the Genie message behind it."""
    await owned_question(context.store, caller, question_id)
    sent, detail = await rate_answer(
        context.store, context.genie_feedback, question_id, body.rating, body.comment
    )
    return FeedbackResult(
        question_id=question_id, rating=body.rating, sent_to_genie=sent, detail=detail
    )

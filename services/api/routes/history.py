"""REST: the caller's conversations, newest first, for the chat page's history sidebar.

``GET /conversations`` lists them; ``GET /conversations/{id}/questions`` gives one's
questions with their text (``GET /conversations/{id}``, routes/conversations.py, only
the ids). Each answer then replays on the websocket from ``after_seq``, so reopening a
conversation shows every answer and resumes any still running.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from services.api.deps import CallerDep, ContextDep
from services.api.security import owned_conversation
from services.common.conversation_history import (
    MAX_LISTED,
    ConversationHistory,
    ConversationSummary,
)
from services.common.questions import QuestionNotFound

router = APIRouter(prefix="/conversations", tags=["conversations"])


class AskedQuestion(BaseModel):
    question_id: str
    question: str
    status: str
    finished: bool


@router.get("", response_model=list[ConversationSummary])
async def list_conversations(
    context: ContextDep,
    caller: CallerDep,
    limit: Annotated[int, Query(ge=1, le=MAX_LISTED)] = MAX_LISTED,
) -> list[ConversationSummary]:
    """The caller's conversations, the one with the latest question first, each titled
    by its first question."""
    history = ConversationHistory(context.redis, context.keys, context.settings.replay_ttl_s)
    return await history.newest_first(caller.owner, limit)


@router.get("/{conversation_id}/questions", response_model=list[AskedQuestion])
async def list_questions(
    conversation_id: str, context: ContextDep, caller: CallerDep
) -> list[AskedQuestion]:
    """The conversation's questions, oldest first, with their text: what a page needs to
    lay out the conversation again before each answer replays on the websocket."""
    await owned_conversation(context.store, caller, conversation_id)
    asked = []
    for question_id in await context.store.conversation_question_ids(conversation_id):
        try:
            record = await context.store.get_question(question_id)
        except QuestionNotFound:  # expired ahead of its conversation
            continue
        asked.append(
            AskedQuestion(
                question_id=record.id,
                question=record.question,
                status=record.status,
                finished=record.finished,
            )
        )
    return asked

"""REST: a conversation's questions, so a client can rebuild it after a refresh."""

from __future__ import annotations

from fastapi import APIRouter

from services.api.deps import CallerDep, ContextDep
from services.api.schemas import ConversationView
from services.api.security import owned_conversation

router = APIRouter(prefix="/conversations", tags=["conversations"])


@router.get("/{conversation_id}", response_model=ConversationView)
async def get_conversation(
    conversation_id: str, context: ContextDep, caller: CallerDep
) -> ConversationView:
    """The conversation's question ids, oldest first (each readable at /questions/{id})."""
    record = await owned_conversation(context.store, caller, conversation_id)
    question_ids = await context.store.conversation_question_ids(conversation_id)
    return ConversationView(
        conversation_id=record.id, created_at=record.created_at, question_ids=question_ids
    )

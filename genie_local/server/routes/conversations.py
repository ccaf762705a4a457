"""Starting, listing and deleting conversations, and asking follow-up questions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from genie_local.server.deps import FaultHeader, ServiceDep
from genie_local.server.payloads import (
    conversation_body,
    conversation_summary,
    message_body,
    page,
)
from genie_local.server.schemas import MessageBody

router = APIRouter(prefix="/api/2.0/genie/spaces/{space_id}", tags=["conversations"])


@router.post("/start-conversation")
async def start_conversation(
    space_id: str, body: MessageBody, service: ServiceDep, fault: FaultHeader = None
) -> dict[str, Any]:
    conversation, message = service.start_conversation(space_id, body.content, fault)
    return {
        "conversation_id": conversation.conversation_id,
        "message_id": message.message_id,
        "conversation": conversation_body(conversation),
        "message": message_body(message),
    }


@router.get("/conversations")
async def list_conversations(
    space_id: str,
    service: ServiceDep,
    page_size: int | None = None,
    page_token: str | None = None,
) -> dict[str, Any]:
    service.get_space(space_id)
    items = [conversation_summary(c) for c in service.store.newest_first()]
    conversations, next_token = page(items, page_size, page_token)
    body: dict[str, Any] = {"conversations": conversations}
    if next_token:
        body["next_page_token"] = next_token
    return body


@router.delete("/conversations/{conversation_id}")
async def delete_conversation(space_id: str, conversation_id: str, service: ServiceDep) -> dict:
    service.delete_conversation(space_id, conversation_id)
    return {}


@router.post("/conversations/{conversation_id}/messages")
async def create_message(
    space_id: str,
    conversation_id: str,
    body: MessageBody,
    service: ServiceDep,
    fault: FaultHeader = None,
) -> dict[str, Any]:
    message = service.create_message(space_id, conversation_id, body.content, fault)
    return message_body(message)


@router.get("/conversations/{conversation_id}/messages")
async def list_conversation_messages(
    space_id: str,
    conversation_id: str,
    service: ServiceDep,
    page_size: int | None = None,
    page_token: str | None = None,
) -> dict[str, Any]:
    conversation = service.conversation(space_id, conversation_id)
    items = [message_body(m) for m in conversation.messages.values()]
    messages, next_token = page(items, page_size, page_token)
    body: dict[str, Any] = {"messages": messages}
    if next_token:
        body["next_page_token"] = next_token
    return body

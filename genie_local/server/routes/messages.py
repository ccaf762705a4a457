"""One message: its state, its query result (fetch or re-run), feedback, deletion."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from genie_local.server.deps import ServiceDep
from genie_local.server.payloads import message_body
from genie_local.server.schemas import FeedbackBody

router = APIRouter(
    prefix="/api/2.0/genie/spaces/{space_id}/conversations/{conversation_id}/messages/{message_id}",
    tags=["messages"],
)


@router.get("")
async def get_message(
    space_id: str, conversation_id: str, message_id: str, service: ServiceDep
) -> dict[str, Any]:
    return message_body(service.message(space_id, conversation_id, message_id))


@router.delete("")
async def delete_message(
    space_id: str, conversation_id: str, message_id: str, service: ServiceDep
) -> dict:
    service.delete_message(space_id, conversation_id, message_id)
    return {}


@router.get("/attachments/{attachment_id}/query-result")
@router.get("/query-result/{attachment_id}")  # the deprecated "by attachment" form
async def get_attachment_query_result(
    space_id: str, conversation_id: str, message_id: str, attachment_id: str, service: ServiceDep
) -> dict[str, Any]:
    response = service.query_result(space_id, conversation_id, message_id, attachment_id)
    return {"statement_response": response}


@router.get("/query-result")
async def get_message_query_result(
    space_id: str, conversation_id: str, message_id: str, service: ServiceDep
) -> dict[str, Any]:
    """Deprecated by Databricks in favour of the per-attachment form; still served."""
    response = service.query_result(space_id, conversation_id, message_id, None)
    return {"statement_response": response}


@router.post("/attachments/{attachment_id}/execute-query")
async def execute_attachment_query(
    space_id: str, conversation_id: str, message_id: str, attachment_id: str, service: ServiceDep
) -> dict[str, Any]:
    response = await service.execute_query(space_id, conversation_id, message_id, attachment_id)
    return {"statement_response": response}


@router.post("/execute-query")
async def execute_message_query(
    space_id: str, conversation_id: str, message_id: str, service: ServiceDep
) -> dict[str, Any]:
    """Deprecated by Databricks in favour of the per-attachment form; still served."""
    response = await service.execute_query(space_id, conversation_id, message_id, None)
    return {"statement_response": response}


@router.post("/feedback")
async def send_feedback(
    space_id: str,
    conversation_id: str,
    message_id: str,
    body: FeedbackBody,
    service: ServiceDep,
) -> dict:
    service.send_feedback(space_id, conversation_id, message_id, body.rating, body.comment)
    return {}

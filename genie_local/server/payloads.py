"""The JSON bodies the SDK deserialises: ``GenieMessage``, ``GenieConversation``, …

Field names and nesting follow databricks-sdk's dataclasses (service/dashboards.py), so
``GenieMessage.from_dict`` reads back every field the server fills in.
"""

from __future__ import annotations

from typing import Any

from genie_local.server.errors import InvalidParameterError
from genie_local.server.store import Conversation, Message, QueryAttachment


def _result_metadata(query: QueryAttachment) -> dict[str, Any] | None:
    if query.result is None:
        return None
    return {"row_count": len(query.result.rows), "is_truncated": query.result.truncated}


def _query_attachment(query: QueryAttachment) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": query.attachment_id,
        "title": query.description,
        "description": query.description,
        "query": query.sql,
        "statement_id": query.statement_id,
        "last_updated_timestamp": query.updated_ms,
    }
    metadata = _result_metadata(query)
    if metadata:
        body["query_result_metadata"] = metadata
    return {"attachment_id": query.attachment_id, "query": body}


def attachments(message: Message) -> list[dict[str, Any]]:
    """Query first, then the answer text, then the suggested follow-ups, as Genie orders them."""
    items: list[dict[str, Any]] = []
    if message.query is not None:
        items.append(_query_attachment(message.query))
    if message.text is not None:
        items.append(
            {
                "attachment_id": message.text_attachment_id,
                "text": {
                    "id": message.text_attachment_id,
                    "content": message.text,
                    "purpose": "TEXT_ATTACHMENT_PURPOSE_ANSWER",
                },
            }
        )
    if message.suggested_questions:
        items.append(
            {
                "attachment_id": message.suggestions_attachment_id,
                "suggested_questions": {"questions": list(message.suggested_questions)},
            }
        )
    return items


def message_body(message: Message) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": message.message_id,
        "message_id": message.message_id,
        "conversation_id": message.conversation_id,
        "space_id": message.space_id,
        "content": message.content,
        "status": message.status,
        "created_timestamp": message.created_ms,
        "last_updated_timestamp": message.updated_ms,
        "attachments": attachments(message),
    }
    if message.query is not None and message.query.result is not None:
        # Deprecated in favour of query_result_metadata, but older clients still read it.
        body["query_result"] = {
            "statement_id": message.query.statement_id,
            **(_result_metadata(message.query) or {}),
        }
    if message.error is not None:
        body["error"] = dict(message.error)
    if message.feedback is not None:
        body["feedback"] = dict(message.feedback)
    return body


def conversation_body(conversation: Conversation) -> dict[str, Any]:
    return {
        "id": conversation.conversation_id,
        "conversation_id": conversation.conversation_id,
        "space_id": conversation.space_id,
        "title": conversation.title,
        "created_timestamp": conversation.created_ms,
        "last_updated_timestamp": conversation.updated_ms,
    }


def conversation_summary(conversation: Conversation) -> dict[str, Any]:
    return {
        "conversation_id": conversation.conversation_id,
        "title": conversation.title,
        "created_timestamp": conversation.created_ms,
        "agent_type": "GENIE_CONVERSATION_TYPE_CHAT",
    }


def page(
    items: list[Any], page_size: int | None, page_token: str | None
) -> tuple[list[Any], str | None]:
    """One page of ``items`` and the token for the next (an offset; None at the end)."""
    try:
        start = int(page_token) if page_token else 0
    except ValueError:
        raise InvalidParameterError(f"invalid page_token {page_token!r}") from None
    if page_size is not None and page_size < 1:
        raise InvalidParameterError("page_size must be at least 1")
    size = page_size or 100
    chunk = items[start : start + size]
    next_token = str(start + size) if start + size < len(items) else None
    return chunk, next_token

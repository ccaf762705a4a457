"""Conversations and their messages, held in memory with a bound.

A conversation keeps the engine's plans for its earlier questions, so a follow-up
("just in Seattle") refines the previous one. At most ``max_conversations`` are kept;
the least recently used one is dropped (and its running messages cancelled) when a new
one would exceed the bound, so a long-running server cannot grow without limit.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from genie_local.database import QueryResult
from genie_local.server.errors import ResourceNotFoundError


def now_ms() -> int:
    return int(time.time() * 1000)


def new_id() -> str:
    """Genie's ids are 32 lowercase hex digits."""
    return uuid.uuid4().hex


@dataclass
class QueryAttachment:
    """The SQL Genie wrote for a message, and the result of its latest run."""

    attachment_id: str
    sql: str
    description: str
    statement_id: str
    result: QueryResult | None = None
    error: str | None = None
    expired: bool = False
    updated_ms: int = field(default_factory=now_ms)


@dataclass
class Message:
    message_id: str
    conversation_id: str
    space_id: str
    content: str
    status: str = "SUBMITTED"
    created_ms: int = field(default_factory=now_ms)
    updated_ms: int = field(default_factory=now_ms)
    query: QueryAttachment | None = None
    text: str | None = None
    text_attachment_id: str = field(default_factory=new_id)
    suggested_questions: list[str] = field(default_factory=list)
    suggestions_attachment_id: str = field(default_factory=new_id)
    error: dict[str, str] | None = None  # MessageError: {"error", "type"}
    feedback: dict[str, Any] | None = None
    task: asyncio.Task[None] | None = None

    def set_status(self, status: str) -> None:
        self.status = status
        self.updated_ms = now_ms()

    def cancel(self) -> None:
        if self.task is not None and not self.task.done():
            self.task.cancel()


@dataclass
class Conversation:
    conversation_id: str
    space_id: str
    title: str
    created_ms: int = field(default_factory=now_ms)
    updated_ms: int = field(default_factory=now_ms)
    messages: dict[str, Message] = field(default_factory=dict)  # in the order asked
    plans: list[Any] = field(default_factory=list)  # the engine's Plans, oldest first

    def message(self, message_id: str) -> Message:
        try:
            return self.messages[message_id]
        except KeyError:
            raise ResourceNotFoundError(
                f"Message {message_id} does not exist in conversation {self.conversation_id}."
            ) from None

    def cancel(self) -> None:
        for message in self.messages.values():
            message.cancel()


class ConversationStore:
    """Conversations by id, least recently used first."""

    def __init__(self, max_conversations: int) -> None:
        if max_conversations < 1:
            raise ValueError("max_conversations must be at least 1")
        self._max = max_conversations
        self._conversations: OrderedDict[str, Conversation] = OrderedDict()

    def __len__(self) -> int:
        return len(self._conversations)

    def add(self, conversation: Conversation) -> None:
        self._conversations[conversation.conversation_id] = conversation
        while len(self._conversations) > self._max:
            _, evicted = self._conversations.popitem(last=False)
            evicted.cancel()

    def get(self, conversation_id: str) -> Conversation:
        try:
            conversation = self._conversations[conversation_id]
        except KeyError:
            raise ResourceNotFoundError(f"Conversation {conversation_id} does not exist.") from None
        self._conversations.move_to_end(conversation_id)
        return conversation

    def remove(self, conversation_id: str) -> None:
        self.get(conversation_id).cancel()
        del self._conversations[conversation_id]

    def newest_first(self) -> list[Conversation]:
        return sorted(self._conversations.values(), key=lambda c: c.created_ms, reverse=True)

    def cancel_all(self) -> None:
        for conversation in self._conversations.values():
            conversation.cancel()

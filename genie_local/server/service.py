"""The local Genie space as plain Python: what each API call does, without HTTP.

Routes are thin wrappers around these methods; ``genie ask`` and tests can use the
same service in-process. Methods raise the named errors of ``errors.py``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from genie_local.database import ReadOnlyDatabase
from genie_local.server import statement
from genie_local.server.errors import (
    InvalidParameterError,
    RateLimitedError,
    ResourceNotFoundError,
)
from genie_local.server.faults import RuntimeConfig
from genie_local.server.lifecycle import MessageRunner, QueryFailedError
from genie_local.server.space import Space
from genie_local.server.store import Conversation, ConversationStore, Message, new_id, now_ms
from services.common.settings import Settings

logger = logging.getLogger(__name__)

TITLE_CHARS = 80
FEEDBACK_RATINGS = frozenset({"POSITIVE", "NEGATIVE", "NONE"})
START_TIMES_KEPT = 10_000


@dataclass
class GenieService:
    space: Space
    store: ConversationStore
    runner: MessageRunner
    config: RuntimeConfig
    db: ReadOnlyDatabase
    #: new questions accepted and refused with 429, for tests of the callers' rate limit
    starts: int = 0
    rate_limited: int = 0
    #: when the latest accepted questions started (epoch s): where Genie counts its limit
    start_times: deque[float] = field(default_factory=lambda: deque(maxlen=START_TIMES_KEPT))

    # --- spaces ---

    def get_space(self, space_id: str) -> Space:
        if space_id != self.space.space_id:
            raise ResourceNotFoundError(f"Genie space {space_id} does not exist.")
        return self.space

    # --- conversations and messages ---

    def start_conversation(
        self, space_id: str, content: str, fault_header: str | None = None
    ) -> tuple[Conversation, Message]:
        self.get_space(space_id)
        fault = self._admit(fault_header)
        conversation = Conversation(new_id(), space_id, title=content.strip()[:TITLE_CHARS])
        self.store.add(conversation)
        return conversation, self._start_message(conversation, content, fault)

    def create_message(
        self, space_id: str, conversation_id: str, content: str, fault_header: str | None = None
    ) -> Message:
        conversation = self.conversation(space_id, conversation_id)
        fault = self._admit(fault_header)
        return self._start_message(conversation, content, fault)

    def conversation(self, space_id: str, conversation_id: str) -> Conversation:
        self.get_space(space_id)
        return self.store.get(conversation_id)

    def message(self, space_id: str, conversation_id: str, message_id: str) -> Message:
        return self.conversation(space_id, conversation_id).message(message_id)

    def delete_conversation(self, space_id: str, conversation_id: str) -> None:
        self.get_space(space_id)
        self.store.remove(conversation_id)

    def delete_message(self, space_id: str, conversation_id: str, message_id: str) -> None:
        conversation = self.conversation(space_id, conversation_id)
        conversation.message(message_id).cancel()
        del conversation.messages[message_id]

    def send_feedback(
        self,
        space_id: str,
        conversation_id: str,
        message_id: str,
        rating: str,
        comment: str | None,
    ) -> None:
        message = self.message(space_id, conversation_id, message_id)
        if rating not in FEEDBACK_RATINGS:
            raise InvalidParameterError(
                f"rating must be one of {', '.join(sorted(FEEDBACK_RATINGS))}, not {rating!r}"
            )
        message.feedback = {"rating": rating} | ({"comment": comment} if comment else {})
        message.updated_ms = now_ms()

    # --- query results ---

    def query_result(
        self, space_id: str, conversation_id: str, message_id: str, attachment_id: str | None
    ) -> dict[str, Any]:
        """The statement response of a message's query (its only one if no id is given)."""
        message = self.message(space_id, conversation_id, message_id)
        query = self._query(message, attachment_id)
        if query.expired:
            message.set_status("QUERY_RESULT_EXPIRED")
            return statement.closed(query.statement_id)
        if query.error is not None:
            return statement.failed(query.statement_id, query.error)
        if query.result is None:
            return statement.running(query.statement_id)
        return statement.succeeded(query.statement_id, query.result)

    async def execute_query(
        self, space_id: str, conversation_id: str, message_id: str, attachment_id: str | None
    ) -> dict[str, Any]:
        """Re-run a message's SQL for a fresh result, as after QUERY_RESULT_EXPIRED."""
        message = self.message(space_id, conversation_id, message_id)
        query = self._query(message, attachment_id)
        if message.status not in {"COMPLETED", "QUERY_RESULT_EXPIRED", "FAILED"}:
            raise InvalidParameterError(
                f"Message {message_id} is still {message.status}; wait for it to finish."
            )
        try:
            result = await self.runner.execute(query)
        except QueryFailedError:
            return statement.failed(query.statement_id, query.error or "the query failed")
        if message.status == "QUERY_RESULT_EXPIRED":
            message.set_status("COMPLETED")
        return statement.succeeded(query.statement_id, result)

    # --- lifecycle ---

    def close(self) -> None:
        self.store.cancel_all()
        self.db.close()

    def _admit(self, fault_header: str | None) -> str | None:
        """Apply the rate-limit fault; return the fault the new message should suffer."""
        fault = self.config.take(fault_header)
        if fault == "rate_limit":
            self.rate_limited += 1
            raise RateLimitedError(
                "Genie question rate limit exceeded for this workspace "
                "(local fault injection: rate_limit). Retry later.",
                self.config.retry_after_s,
            )
        self.starts += 1
        self.start_times.append(time.time())
        return fault

    def _start_message(
        self, conversation: Conversation, content: str, fault: str | None
    ) -> Message:
        message = Message(new_id(), conversation.conversation_id, conversation.space_id, content)
        conversation.messages[message.message_id] = message
        conversation.updated_ms = message.created_ms
        message.task = asyncio.get_running_loop().create_task(
            self.runner.run(conversation, message, fault), name=f"genie-{message.message_id}"
        )
        return message

    @staticmethod
    def _query(message: Message, attachment_id: str | None):
        query = message.query
        if query is None or (attachment_id is not None and attachment_id != query.attachment_id):
            what = f"Attachment {attachment_id}" if attachment_id else "A query attachment"
            raise ResourceNotFoundError(f"{what} does not exist on message {message.message_id}.")
        return query


def build_service(
    db_path: Path,
    settings: Settings,
    engine_factory: Callable[[ReadOnlyDatabase], Any] | None = None,
) -> GenieService:
    """Open the database, build the NL→SQL engine and wire the service together.

    ``engine_factory`` defaults to the offline ``nl2sql.Engine``; any object with its
    ``plan``/``summarize`` methods works (the safety tests hand in one that writes).
    """
    if engine_factory is None:
        from genie_local.nl2sql import Engine as engine_factory

    db = ReadOnlyDatabase(db_path)
    config = RuntimeConfig(
        fault=settings.local_genie_fault,
        step_delay_s=settings.local_genie_step_delay_s,
        retry_after_s=settings.local_genie_retry_after_s,
    )
    runner = MessageRunner(
        engine_factory(db),
        db,
        step_delay_s=lambda: config.step_delay_s,
        max_rows=settings.local_genie_result_rows,
    )
    return GenieService(
        space=Space(settings.genie_space_id),
        store=ConversationStore(settings.local_genie_max_conversations),
        runner=runner,
        config=config,
        db=db,
    )

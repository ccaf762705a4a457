"""Turn the agent's stream events into the chunks users see.

The agent speaks ``agent.stream_contract`` (OpenAI Responses events tagged with a
``custom_outputs.kind``; the agent client reads each one into an ``Event``); users read
DESIGN.md's chunks. ``AgentRunReader`` takes one run's events in order, returns the
chunk each one becomes, and remembers what the job needs afterwards: the Genie
conversation and message ids, and whether the run failed.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from agent.stream_contract import ErrorCode, Event, Kind, Status
from services.common.chunks import (
    AnswerChunk,
    Chunk,
    ErrorChunk,
    SqlChunk,
    StatusChunk,
    TableChunk,
    TextChunk,
)

logger = logging.getLogger(__name__)


@dataclass
class AgentRunReader:
    """Reads one agent run for one question; ``conversation_id`` is the API's id."""

    question_id: str
    conversation_id: str | None
    genie_conversation_id: str | None = None
    genie_message_id: str | None = None
    answered: bool = False
    errors: list[ErrorChunk] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.errors) or not self.answered

    def read(self, event: Event) -> Chunk | None:
        """The chunk this event becomes, or None for events users need not see."""
        self._remember_genie_ids(event.payload)
        try:
            return self._chunk(event.kind, event.payload)
        except ValidationError as error:  # an agent breaking its contract must not kill the job
            logger.warning(
                "skipping malformed %s event for %s: %s", event.kind, self.question_id, error
            )
            return None

    def _remember_genie_ids(self, payload: Mapping[str, Any]) -> None:
        self.genie_conversation_id = payload.get("conversation_id") or self.genie_conversation_id
        self.genie_message_id = payload.get("message_id") or self.genie_message_id

    def _chunk(self, kind: Kind, payload: dict[str, Any]) -> Chunk | None:
        qid = self.question_id
        if kind is Kind.TEXT:
            delta = payload.get("delta")
            return TextChunk(question_id=qid, delta=delta) if delta else None
        if kind is Kind.STATUS:
            status = payload.get("status")
            if status not in Status._value2member_map_:
                return None
            return StatusChunk(question_id=qid, status=status, message=payload.get("message", ""))
        if kind is Kind.SQL:
            return SqlChunk(
                question_id=qid, sql=payload["sql"], description=payload.get("description") or ""
            )
        if kind is Kind.TABLE:
            return TableChunk(
                question_id=qid,
                columns=payload.get("columns") or [],
                rows=payload.get("rows") or [],
                row_count=payload.get("row_count", len(payload.get("rows") or [])),
                truncated=bool(payload.get("truncated", False)),
            )
        if kind is Kind.ERROR:
            code = payload.get("code")
            error = ErrorChunk(
                question_id=qid,
                code=code if code in ErrorCode._value2member_map_ else ErrorCode.AGENT_ERROR,
                message=str(payload.get("message") or "the agent failed"),
                retryable=bool(payload.get("retryable", False)),
            )
            self.errors.append(error)
            return error
        if kind is Kind.ANSWER:
            # A failed run's answer only repeats the error chunk already sent.
            if payload.get("status", Status.COMPLETED) != Status.COMPLETED:
                return None
            self.answered = True
            return AnswerChunk(
                question_id=qid,
                text=payload.get("text") or "",
                conversation_id=self.conversation_id,
                suggested_questions=payload.get("suggested_questions") or [],
            )
        return None  # tool_call / tool_result: the steps and ids above already say it

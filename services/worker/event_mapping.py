"""Turn the agent's stream events into the chunks users see.

The agent speaks ``agent.stream_contract`` (OpenAI Responses events tagged with a
``custom_outputs.kind``); users read DESIGN.md's chunks. ``AgentRunReader`` reads one
run's events in order, returns the chunk each one becomes, and remembers what the job
needs afterwards: the Genie conversation and message ids, and whether the run failed.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from agent.stream_contract import Kind, read_event
from services.common.chunks import (
    AnswerChunk,
    Chunk,
    ErrorChunk,
    QuestionStatus,
    SqlChunk,
    StatusChunk,
    TableChunk,
    TextChunk,
)

logger = logging.getLogger(__name__)

_STATUSES = frozenset(QuestionStatus)


@dataclass
class AgentRunReader:
    """Reads one agent run for one question; ``conversation_id`` is the API's id."""

    question_id: str
    conversation_id: str | None
    genie_conversation_id: str | None = None
    genie_message_id: str | None = None
    answered: bool = False
    errors: list[ErrorChunk] = field(default_factory=list)
    #: the status users last saw; the same status again with the same words (the agent
    #: saying ``starting`` after the worker did) is not repeated, but a status repeated
    #: with new facts (a retry's countdown, the next retry) is
    last_status: str | None = None
    last_message: str | None = None

    @property
    def failed(self) -> bool:
        return bool(self.errors) or not self.answered

    def read(self, event: Mapping[str, Any]) -> Chunk | None:
        """The chunk this event becomes, or None for events users need not see."""
        kind, payload = read_event(event)
        self._remember_genie_ids(payload)
        try:
            return self._chunk(kind, payload)
        except ValidationError as error:  # an agent breaking its contract must not kill the job
            logger.warning("skipping malformed %s event for %s: %s", kind, self.question_id, error)
            return None

    def _remember_genie_ids(self, payload: Mapping[str, Any]) -> None:
        self.genie_conversation_id = payload.get("conversation_id") or self.genie_conversation_id
        self.genie_message_id = payload.get("message_id") or self.genie_message_id

    def _already_said(self, status: str, message: str) -> bool:
        """The status users see now, in the same words (or in none: the worker's own)."""
        return status == self.last_status and self.last_message in (None, message)

    def _chunk(self, kind: Kind | None, payload: dict[str, Any]) -> Chunk | None:
        qid = self.question_id
        if kind is None:
            delta = payload.get("delta")
            return TextChunk(question_id=qid, delta=delta) if delta else None
        if kind is Kind.STATUS:
            status, message = payload.get("status"), payload.get("message", "")
            if status not in _STATUSES or self._already_said(status, message):
                return None
            self.last_status, self.last_message = status, message
            return StatusChunk(question_id=qid, status=status, message=message)
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
            error = ErrorChunk(
                question_id=qid,
                code=str(payload.get("code") or "agent_error"),
                message=str(payload.get("message") or "the agent failed"),
                retryable=bool(payload.get("retryable", False)),
            )
            self.errors.append(error)
            return error
        # Kind.ANSWER: a failed run's answer only repeats the error chunk already sent.
        if payload.get("status", "completed") != "completed":
            return None
        self.answered = True
        return AnswerChunk(
            question_id=qid,
            text=payload.get("text") or "",
            conversation_id=self.conversation_id,
            suggested_questions=payload.get("suggested_questions") or [],
        )

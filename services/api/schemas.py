"""Request and response bodies of the REST routes."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from services.common.settings import get_settings

EXAMPLE_QUESTION = "Which parts are low on stock?"


def encodable_text(value: str, field: str) -> str:
    """``value``, refused when it holds a lone surrogate (JSON allows ``"\\ud800"``):
    such a string has no UTF-8 form, so Redis could not store it."""
    try:
        value.encode()
    except UnicodeEncodeError as error:
        raise ValueError(
            f"{field} holds a character with no UTF-8 form (a lone surrogate at "
            f"position {error.start}): send plain text"
        ) from None
    return value


class QuestionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(examples=[EXAMPLE_QUESTION])
    conversation_id: str | None = Field(
        default=None, description="continue this conversation; null starts a new one"
    )

    @field_validator("question")
    @classmethod
    def _readable_length(cls, value: str) -> str:
        text = encodable_text(value, "the question").strip()
        if not text:
            raise ValueError(
                f"the question is empty: type what you want to know, e.g. {EXAMPLE_QUESTION!r}"
            )
        limit = get_settings().max_question_chars
        if len(text) > limit:
            raise ValueError(
                f"the question is {len(text)} characters long; the limit is {limit}: "
                "shorten it or split it into several questions"
            )
        return text

    @field_validator("conversation_id")
    @classmethod
    def _not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("conversation_id is blank: send null to start a new conversation")
        return value if value is None else encodable_text(value, "conversation_id")


class QuestionAccepted(BaseModel):
    question_id: str
    conversation_id: str
    status: Literal["queued"] = "queued"
    position: int = Field(description="1-based place in the queue when it was accepted")
    events_url: str = Field(description="websocket URL streaming the question's chunks")


class QuestionView(BaseModel):
    """A question, where it is, and every chunk published so far."""

    question_id: str
    question: str
    conversation_id: str
    status: str
    finished: bool
    created_at: float
    feedback: str | None = None
    chunks: list[dict[str, Any]]


class ConversationView(BaseModel):
    conversation_id: str
    created_at: float
    question_ids: list[str]


class CancelResult(BaseModel):
    question_id: str
    status: Literal["cancelled"] = "cancelled"


MAX_FEEDBACK_COMMENT_CHARS = 2000


class FeedbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rating: Literal["positive", "negative"]
    comment: str | None = Field(
        default=None, description="what was wrong or right, in the user's words (optional)"
    )

    @field_validator("comment")
    @classmethod
    def _comment(cls, value: str | None) -> str | None:
        text = (value or "").strip()
        if len(text) > MAX_FEEDBACK_COMMENT_CHARS:
            raise ValueError(
                f"the comment is {len(text)} characters long; the limit is "
                f"{MAX_FEEDBACK_COMMENT_CHARS}: shorten it"
            )
        return text or None


class FeedbackResult(BaseModel):
    question_id: str
    rating: Literal["positive", "negative"]
    sent_to_genie: bool
    detail: str

"""Request bodies. Strict types: a number where text belongs is a 400, not a coercion."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr, field_validator

from services.common.settings import GenieFault


class _Body(BaseModel):
    model_config = ConfigDict(extra="ignore")


class MessageBody(_Body):
    """start-conversation and create-message."""

    content: StrictStr
    enable_visualization: StrictBool | None = None

    @field_validator("content")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("content must not be empty")
        return value


class FeedbackBody(_Body):
    rating: StrictStr
    comment: StrictStr | None = None


class LocalConfigBody(BaseModel):
    """``PUT /local/config``: only the fields sent change."""

    model_config = ConfigDict(extra="forbid")

    fault: GenieFault | None = None
    fault_count: int | None = Field(default=None, ge=1)
    step_delay_s: float | None = Field(default=None, ge=0, le=600)
    retry_after_s: int | None = Field(default=None, ge=0, le=3600)

"""The chunk: one update about a question, as it flows from worker to user.

The models follow DESIGN.md's chunk contract exactly; the UI, the terminal client and
the benchmarks all read these JSON objects. ``seq`` is assigned by the publisher (the
position in the question's replay log), so a chunk is built without it and a published
chunk always has it.
"""

from __future__ import annotations

import json
import time
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter


class QuestionStatus(StrEnum):
    """Where a question is, in the order a question normally passes."""

    QUEUED = "queued"
    STARTING = "starting"
    FETCHING_METADATA = "fetching_metadata"
    GENERATING_SQL = "generating_sql"
    PENDING_WAREHOUSE = "pending_warehouse"
    EXECUTING = "executing"
    SUMMARIZING = "summarizing"
    SEARCHING_DOCUMENTS = "searching_documents"  # the documents tool, beside or instead of Genie
    COMPLETED = "completed"
    RETRYING = "retrying"
    FAILED = "failed"
    CANCELLED = "cancelled"


DoneStatus = Literal["completed", "failed", "cancelled"]


class _Chunk(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question_id: str
    seq: int | None = None  # None until the publisher assigns it
    ts: float = Field(default_factory=time.time)


class StatusChunk(_Chunk):
    type: Literal["status"] = "status"
    status: QuestionStatus
    message: str
    position: int | None = None  # with status "queued": 1-based place in the queue
    eta_s: int | None = None  # with status "queued": seconds until Genie may start it


class SqlChunk(_Chunk):
    type: Literal["sql"] = "sql"
    sql: str
    description: str = ""


class Column(BaseModel):
    name: str
    type: str


class TableChunk(_Chunk):
    type: Literal["table"] = "table"
    columns: list[Column]
    rows: list[list[Any]]
    row_count: int
    truncated: bool = False


class Source(BaseModel):
    """One passage a documents answer rests on: where it is, and what it says."""

    doc: str
    title: str
    section: str
    text: str


class SourcesChunk(_Chunk):
    type: Literal["sources"] = "sources"
    sources: list[Source]


class TextChunk(_Chunk):
    type: Literal["text"] = "text"
    delta: str


class AnswerChunk(_Chunk):
    type: Literal["answer"] = "answer"
    text: str
    conversation_id: str | None = None
    suggested_questions: list[str] = Field(default_factory=list)
    cached: bool | None = None  # True: replayed from an identical question's answer


class ErrorChunk(_Chunk):
    type: Literal["error"] = "error"
    code: str
    message: str
    retryable: bool = False


class DoneChunk(_Chunk):
    type: Literal["done"] = "done"
    status: DoneStatus
    elapsed_ms: int


Chunk = Annotated[
    StatusChunk
    | SqlChunk
    | TableChunk
    | SourcesChunk
    | TextChunk
    | AnswerChunk
    | ErrorChunk
    | DoneChunk,
    Field(discriminator="type"),
]
_CHUNK = TypeAdapter(Chunk)


def parse_chunk(data: str | bytes | dict[str, Any]) -> Chunk:
    """A chunk from its JSON text or dict; raises pydantic.ValidationError if malformed."""
    if isinstance(data, dict):
        return _CHUNK.validate_python(data)
    return _CHUNK.validate_json(data)


def dump_chunk(chunk: Chunk) -> str:
    """The chunk as compact JSON, leaving out unset optional fields (``position``…)."""
    return chunk.model_dump_json(exclude_none=True)


def chunk_seq(raw: str | bytes) -> tuple[int, str]:
    """The ``seq`` and ``type`` of a published chunk, without building a model.

    The relay handles every chunk of every question: a plain ``json.loads`` keeps it
    cheap and lets it forward the publisher's text unchanged.
    """
    data = json.loads(raw)
    return int(data["seq"]), str(data["type"])

"""The chunk: one update about a question, as it flows from worker to user.

The models follow DESIGN.md's chunk contract exactly; the UI, the terminal client and
the benchmarks all read these JSON objects. Statuses and error codes are the agent's
stream contract's (agent/stream_contract.py), the one place they are defined. ``seq``
is assigned by the publisher (the position in the question's replay log), so a chunk
is built without it and a published chunk always has it.
"""

from __future__ import annotations

import json
import time
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from agent.stream_contract import ErrorCode
from agent.stream_contract import Status as QuestionStatus


class ChunkType(StrEnum):
    """What a chunk is (its ``type``)."""

    STATUS = "status"
    SQL = "sql"
    TABLE = "table"
    SOURCES = "sources"
    TEXT = "text"
    ANSWER = "answer"
    ERROR = "error"
    DONE = "done"


#: the frame the multi-question socket sends for a question it does not know (not a chunk)
UNKNOWN_QUESTION_FRAME = "unknown_question"

DoneStatus = Literal[QuestionStatus.COMPLETED, QuestionStatus.FAILED, QuestionStatus.CANCELLED]


class _Chunk(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question_id: str
    seq: int | None = None  # None until the publisher assigns it
    ts: float = Field(default_factory=time.time)


class StatusChunk(_Chunk):
    type: Literal[ChunkType.STATUS] = ChunkType.STATUS
    status: QuestionStatus
    message: str
    position: int | None = None  # with status "queued": 1-based place in the queue
    # with status "queued": seconds until it is expected to start (a worker's slot free,
    # Genie's rate limit allowing); repeated about once a second as it counts down
    eta_s: int | None = None


class SqlChunk(_Chunk):
    type: Literal[ChunkType.SQL] = ChunkType.SQL
    sql: str
    description: str = ""


class Column(BaseModel):
    name: str
    type: str


class TableChunk(_Chunk):
    type: Literal[ChunkType.TABLE] = ChunkType.TABLE
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
    type: Literal[ChunkType.SOURCES] = ChunkType.SOURCES
    sources: list[Source]


class TextChunk(_Chunk):
    type: Literal[ChunkType.TEXT] = ChunkType.TEXT
    delta: str


class AnswerChunk(_Chunk):
    type: Literal[ChunkType.ANSWER] = ChunkType.ANSWER
    text: str
    conversation_id: str | None = None
    suggested_questions: list[str] = Field(default_factory=list)
    cached: bool | None = None  # True: replayed from an identical question's answer


class ErrorChunk(_Chunk):
    type: Literal[ChunkType.ERROR] = ChunkType.ERROR
    code: ErrorCode
    message: str
    retryable: bool = False


class DoneChunk(_Chunk):
    type: Literal[ChunkType.DONE] = ChunkType.DONE
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

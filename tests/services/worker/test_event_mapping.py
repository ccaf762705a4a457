"""The agent's stream events (agent.stream_contract) become DESIGN.md's chunks."""

from __future__ import annotations

from agent.stream_contract import GENIE_TOOL, ErrorCode, read_event
from agent.stream_events import (
    answer_event,
    error_event,
    sql_event,
    status_event,
    table_event,
    text_delta_event,
    tool_call_event,
    tool_result_event,
)
from services.common.chunks import (
    AnswerChunk,
    Chunk,
    ErrorChunk,
    SqlChunk,
    StatusChunk,
    TableChunk,
    TextChunk,
)
from services.worker.event_mapping import AgentRunReader

GENIE = {"conversation_id": "genie-conv-1"}


def reader() -> AgentRunReader:
    return AgentRunReader(question_id="q_1", conversation_id="c_api")


def read(run: AgentRunReader, raw: dict) -> Chunk | None:
    """What the worker does with one raw event: the client reads it, the reader maps it."""
    event = read_event(raw)
    return None if event is None else run.read(event)


def test_a_full_run_maps_to_status_sql_table_text_and_answer() -> None:
    run = reader()
    events = [
        status_event("s1", "generating_sql", "🔍 Generating SQL…", **GENIE),
        sql_event("s2", "SELECT 1", "one", **GENIE),
        table_event(
            "s3", columns=[{"name": "x", "type": "INT"}], rows=[["1"]], row_count=1, truncated=False
        ),
        text_delta_event("a", "One"),
        answer_event("a", "One", message_id="m1", suggested_questions=["Why?"], **GENIE),
    ]
    chunks = [read(run, event) for event in events]
    assert [type(c) for c in chunks] == [StatusChunk, SqlChunk, TableChunk, TextChunk, AnswerChunk]
    assert all(c.question_id == "q_1" and c.seq is None for c in chunks)
    status, sql, table, text, answer = chunks
    assert (status.status, status.message) == ("generating_sql", "🔍 Generating SQL…")
    assert (sql.sql, sql.description) == ("SELECT 1", "one")
    assert (table.row_count, table.rows, table.columns[0].name) == (1, [["1"]], "x")
    assert text.delta == "One"
    # the answer names the API's conversation, never Genie's
    assert (answer.text, answer.conversation_id) == ("One", "c_api")
    assert answer.suggested_questions == ["Why?"]
    assert (run.genie_conversation_id, run.genie_message_id) == ("genie-conv-1", "m1")
    assert not run.failed


def test_an_error_is_a_chunk_and_the_failed_answer_is_not_repeated() -> None:
    run = reader()
    error = read(run, error_event("e", "genie_failed", "Genie could not answer", retryable=True))
    failed_answer = read(run, answer_event("a", "Genie could not answer", status="failed"))
    assert isinstance(error, ErrorChunk)
    assert (error.code, error.retryable) == ("genie_failed", True)
    assert failed_answer is None
    assert run.failed


def test_a_run_without_an_answer_counts_as_failed() -> None:
    run = reader()
    read(run, status_event("s1", "executing", "⚡ Executing query…"))
    assert run.failed and not run.errors


def test_events_outside_the_contract_are_skipped() -> None:
    run = reader()
    assert read(run, {"type": "response.created", "response": {}}) is None
    assert read(run, status_event("s", "not_a_status", "?")) is None
    assert read(run, text_delta_event("a", "")) is None


def test_a_malformed_event_is_skipped_not_fatal() -> None:
    run = reader()
    bad_table = table_event("t", columns="not a list", rows=[], row_count=0)
    assert read(run, bad_table) is None


def test_tool_items_are_not_chunks_but_carry_the_genie_ids() -> None:
    run = reader()
    call = tool_call_event("fc", "call_1", GENIE_TOOL, {"question": "Which parts are low?"})
    output = {"conversation_id": "genie-conv-2", "message_id": "m2", "status": "completed"}
    result = tool_result_event("call_1", output, **output)
    assert read(run, call) is None and read(run, result) is None
    assert (run.genie_conversation_id, run.genie_message_id) == ("genie-conv-2", "m2")


def test_an_error_code_outside_the_contract_is_an_agent_error() -> None:
    error = read(reader(), error_event("e", "some_other_agents_code", "it broke", retryable=False))
    assert isinstance(error, ErrorChunk) and error.code == ErrorCode.AGENT_ERROR


def test_a_status_repeated_with_new_facts_reaches_the_user() -> None:
    run = reader()
    first = "⏳ Genie is busy (rate limit); retrying in 3.0 s (retry 1 of 4)…"
    tick = "⏳ Genie is busy (rate limit); retrying in 2.0 s (retry 1 of 4)…"
    chunks = [read(run, status_event("s", "retrying", text)) for text in (first, tick)]
    assert [c.message for c in chunks] == [first, tick]

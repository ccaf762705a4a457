"""The agent's stream events (agent.stream_contract) become DESIGN.md's chunks."""

from __future__ import annotations

from agent.stream_contract import (
    answer_event,
    error_event,
    sql_event,
    status_event,
    table_event,
    text_delta_event,
)
from services.common.chunks import (
    AnswerChunk,
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
    chunks = [run.read(event) for event in events]
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
    error = run.read(error_event("e", "genie_failed", "Genie could not answer", retryable=True))
    failed_answer = run.read(answer_event("a", "Genie could not answer", status="failed"))
    assert isinstance(error, ErrorChunk)
    assert (error.code, error.retryable) == ("genie_failed", True)
    assert failed_answer is None
    assert run.failed


def test_a_run_without_an_answer_counts_as_failed() -> None:
    run = reader()
    run.read(status_event("s1", "executing", "⚡ Executing query…"))
    assert run.failed and not run.errors


def test_events_outside_the_contract_are_skipped() -> None:
    run = reader()
    assert run.read({"type": "response.created", "response": {}}) is None
    assert run.read(status_event("s", "not_a_status", "?")) is None
    assert run.read(text_delta_event("a", "")) is None


def test_a_malformed_event_is_skipped_not_fatal() -> None:
    run = reader()
    bad_table = table_event("t", columns="not a list", rows=[], row_count=0)
    assert run.read(bad_table) is None


def test_a_status_users_already_see_is_not_repeated() -> None:
    run = AgentRunReader(question_id="q_1", conversation_id=None, last_status="starting")
    assert run.read(status_event("s0", "starting", "📝 Starting…")) is None
    assert run.read(status_event("s1", "executing", "⚡ Executing query…")) is not None
    assert run.read(status_event("s2", "executing", "⚡ Executing query…")) is None


def test_a_status_repeated_with_new_facts_passes_an_exact_repeat_does_not() -> None:
    run = reader()
    first = "⏳ Genie is busy (rate limit); retrying in 3.0 s (retry 1 of 4)…"
    tick = "⏳ Genie is busy (rate limit); retrying in 2.0 s (retry 1 of 4)…"
    chunks = [run.read(status_event("s", "retrying", text)) for text in (first, tick, tick)]
    assert [c.message if c else None for c in chunks] == [first, tick, None]


def test_the_agents_starting_after_the_workers_is_not_repeated() -> None:
    run = AgentRunReader(question_id="q_1", conversation_id="c_api", last_status="starting")
    assert run.read(status_event("s", "starting", "📝 Asking Genie…")) is None
    assert run.read(status_event("s", "executing", "⚡ Executing query…")) is not None

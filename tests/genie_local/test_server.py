"""The local Genie API through databricks-sdk, against the real server on loopback."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest
from databricks.sdk import WorkspaceClient
from databricks.sdk.errors import NotFound
from databricks.sdk.service.dashboards import (
    GenieFeedbackRating,
    GenieMessage,
    MessageStatus,
)
from databricks.sdk.service.sql import StatementState

from genie_local.database import connect_read_only
from genie_local.server.client import wait_for_message
from genie_local.server.statement import cell
from harness.processes import Server

LOW_STOCK = "What parts are low stock?"


def ask(genie: WorkspaceClient, space_id: str, question: str, conversation_id: str | None = None):
    if conversation_id is None:
        started = genie.genie.start_conversation(space_id, question).response
        conversation_id, message_id = started.conversation_id, started.message_id
    else:
        message_id = genie.genie.create_message(
            space_id, conversation_id, question
        ).response.message_id
    return wait_for_message(genie, space_id, conversation_id, message_id, timeout_s=60)


def query_attachment(message: GenieMessage):
    return next(a for a in message.attachments or [] if a.query)


def test_healthz(genie_server: Server) -> None:
    with urllib.request.urlopen(f"{genie_server.url}/healthz") as response:
        assert json.load(response) == {"status": "ok"}


def test_list_and_get_space(genie: WorkspaceClient, space_id: str) -> None:
    spaces = genie.genie.list_spaces().spaces
    assert [s.space_id for s in spaces] == [space_id]
    space = genie.genie.get_space(space_id)
    assert space.title == "Inventory" and "2026-06-30" in space.description
    serialized = json.loads(
        genie.genie.get_space(space_id, include_serialized_space=True).serialized_space
    )
    questions = [q["question"][0] for q in serialized["config"]["sample_questions"]]
    assert LOW_STOCK in questions


def test_unknown_space_is_not_found(genie: WorkspaceClient) -> None:
    with pytest.raises(NotFound, match="does not exist"):
        genie.genie.get_space("no-such-space")
    with pytest.raises(NotFound):
        genie.genie.start_conversation("no-such-space", LOW_STOCK)


def test_question_completes_with_sql_text_and_suggestions(
    genie: WorkspaceClient, space_id: str
) -> None:
    message = ask(genie, space_id, LOW_STOCK)
    assert message.status == MessageStatus.COMPLETED, message.error
    assert message.content == LOW_STOCK
    query = query_attachment(message).query
    assert query.query.lower().lstrip().startswith(("select", "with"))
    assert query.description and query.statement_id
    assert query.query_result_metadata.row_count > 0
    texts = [a.text.content for a in message.attachments if a.text]
    assert texts and texts[0].strip()
    suggestions = [a.suggested_questions for a in message.attachments if a.suggested_questions]
    assert all(isinstance(q, str) for s in suggestions for q in s.questions)


def test_query_result_matches_duckdb_as_strings(
    genie: WorkspaceClient, space_id: str, demo_db: Path
) -> None:
    message = ask(genie, space_id, "Which warehouse holds the most inventory value?")
    attachment = query_attachment(message)
    response = genie.genie.get_message_attachment_query_result(
        space_id, message.conversation_id, message.message_id, attachment.attachment_id
    ).statement_response
    assert response.status.state == StatementState.SUCCEEDED
    assert response.statement_id == attachment.query.statement_id
    columns = response.manifest.schema.columns
    assert [c.position for c in columns] == list(range(len(columns)))
    assert all(c.name and c.type_name and c.type_text for c in columns)
    with connect_read_only(demo_db) as connection:
        expected = connection.execute(attachment.query.query).fetchall()
    assert response.result.data_array == [[cell(v) for v in row] for row in expected]
    assert response.manifest.total_row_count == len(expected)
    assert response.manifest.truncated is False


def test_follow_up_and_listing_messages(genie: WorkspaceClient, space_id: str) -> None:
    first = ask(genie, space_id, LOW_STOCK)
    follow_up = ask(genie, space_id, "just in Seattle", first.conversation_id)
    assert follow_up.status == MessageStatus.COMPLETED, follow_up.error
    assert follow_up.conversation_id == first.conversation_id
    listed = genie.genie.list_conversation_messages(space_id, first.conversation_id).messages
    assert [m.message_id for m in listed] == [first.message_id, follow_up.message_id]
    page = genie.genie.list_conversation_messages(space_id, first.conversation_id, page_size=1)
    assert len(page.messages) == 1 and page.next_page_token
    conversations = genie.genie.list_conversations(space_id).conversations
    assert first.conversation_id in {c.conversation_id for c in conversations}


def test_execute_query_reruns_with_new_statement(genie: WorkspaceClient, space_id: str) -> None:
    message = ask(genie, space_id, LOW_STOCK)
    attachment = query_attachment(message)
    ids = (space_id, message.conversation_id, message.message_id, attachment.attachment_id)
    before = genie.genie.get_message_attachment_query_result(*ids).statement_response
    rerun = genie.genie.execute_message_attachment_query(*ids).statement_response
    assert rerun.status.state == StatementState.SUCCEEDED
    assert rerun.statement_id != before.statement_id
    assert rerun.result.data_array == before.result.data_array


def test_feedback_is_recorded(genie: WorkspaceClient, space_id: str) -> None:
    message = ask(genie, space_id, LOW_STOCK)
    genie.genie.send_message_feedback(
        space_id,
        message.conversation_id,
        message.message_id,
        GenieFeedbackRating.POSITIVE,
        comment="spot on",
    )
    again = genie.genie.get_message(space_id, message.conversation_id, message.message_id)
    assert again.feedback.rating == GenieFeedbackRating.POSITIVE
    assert again.feedback.comment == "spot on"


def test_unanswerable_question_completes_with_text_only(
    genie: WorkspaceClient, space_id: str
) -> None:
    message = ask(genie, space_id, "What will the weather be in Paris tomorrow?")
    assert message.status == MessageStatus.COMPLETED
    assert not any(a.query for a in message.attachments)
    assert any(a.text and a.text.content for a in message.attachments)


def test_delete_conversation(genie: WorkspaceClient, space_id: str) -> None:
    message = ask(genie, space_id, LOW_STOCK)
    genie.genie.delete_conversation(space_id, message.conversation_id)
    with pytest.raises(NotFound):
        genie.genie.get_message(space_id, message.conversation_id, message.message_id)

"""Asking the Genie API one question through databricks-sdk, as every client here does.

``genie ask``, the benchmark and tests use this so that they exercise the same SDK calls
the agent makes: start a conversation (or continue one), poll ``get_message`` until a
terminal state, then fetch the query result, re-running it if it expired.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any

from databricks.sdk import WorkspaceClient
from databricks.sdk.config import Config
from databricks.sdk.service.dashboards import GenieMessage, MessageStatus
from databricks.sdk.service.sql import StatementResponse, StatementState

TERMINAL = frozenset(
    {
        MessageStatus.COMPLETED,
        MessageStatus.FAILED,
        MessageStatus.CANCELLED,
        MessageStatus.QUERY_RESULT_EXPIRED,
    }
)
_POLL_FIRST_S = 0.01
_POLL_MAX_S = 1.0
LOCAL_TOKEN = "local-genie"


@dataclass
class Answer:
    """One question's outcome, flattened for printing as JSON."""

    conversation_id: str
    message_id: str
    status: str
    sql: str | None = None
    description: str | None = None
    columns: list[dict[str, str]] = field(default_factory=list)
    rows: list[list[str | None]] = field(default_factory=list)
    row_count: int | None = None
    truncated: bool = False
    text: str | None = None
    suggested_questions: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def local_client(url: str, token: str | None = None) -> WorkspaceClient:
    """A client for a local Genie server; one SDK attempt, so errors surface at once."""
    return WorkspaceClient(config=local_config(url, token, retry_timeout_s=1))


def local_config(url: str, token: str | None = None, retry_timeout_s: int = 1) -> Config:
    """SDK config for a local server (``retry_timeout_seconds`` is only settable here)."""
    return Config(
        host=url,
        token=token or LOCAL_TOKEN,
        auth_type="pat",
        retry_timeout_seconds=retry_timeout_s,
    )


def ask(
    client: WorkspaceClient,
    space_id: str,
    question: str,
    conversation_id: str | None = None,
    timeout_s: float = 600.0,
) -> Answer:
    """Ask ``question`` (in ``conversation_id`` if given) and wait for Genie's answer."""
    genie = client.genie
    if conversation_id is None:
        started = genie.start_conversation(space_id, question).response
        conversation_id, message_id = started.conversation_id, started.message_id
    else:
        message_id = genie.create_message(space_id, conversation_id, question).response.message_id
    message = wait_for_message(client, space_id, conversation_id, message_id, timeout_s)
    return _answer(client, space_id, message)


def wait_for_message(
    client: WorkspaceClient,
    space_id: str,
    conversation_id: str,
    message_id: str,
    timeout_s: float = 600.0,
) -> GenieMessage:
    """Poll until a terminal state, backing off from 10 ms to 1 s (GETs are not rate-limited)."""
    deadline = time.monotonic() + timeout_s
    delay = _POLL_FIRST_S
    while True:
        message = client.genie.get_message(space_id, conversation_id, message_id)
        if message.status in TERMINAL:
            return message
        if time.monotonic() + delay > deadline:
            raise TimeoutError(
                f"Genie did not answer within {timeout_s:g} s (last {message.status})"
            )
        time.sleep(delay)
        delay = min(delay * 1.5, _POLL_MAX_S)


def _answer(client: WorkspaceClient, space_id: str, message: GenieMessage) -> Answer:
    answer = Answer(
        conversation_id=message.conversation_id,
        message_id=message.message_id,
        status=message.status.value if message.status else "UNKNOWN",
    )
    for attachment in message.attachments or []:
        if attachment.text and attachment.text.content:
            answer.text = attachment.text.content
        if attachment.suggested_questions:
            answer.suggested_questions = list(attachment.suggested_questions.questions or [])
        if attachment.query and attachment.attachment_id:
            answer.sql = attachment.query.query
            answer.description = attachment.query.description
            if message.status in {MessageStatus.COMPLETED, MessageStatus.QUERY_RESULT_EXPIRED}:
                _fill_result(answer, _fetch(client, space_id, message, attachment.attachment_id))
    if message.error and message.error.error:
        answer.text = message.error.error
    return answer


def _fetch(
    client: WorkspaceClient, space_id: str, message: GenieMessage, attachment_id: str
) -> StatementResponse | None:
    ids = (space_id, message.conversation_id, message.message_id, attachment_id)
    response = client.genie.get_message_attachment_query_result(*ids).statement_response
    state = response.status.state if response and response.status else None
    if state == StatementState.CLOSED or message.status == MessageStatus.QUERY_RESULT_EXPIRED:
        response = client.genie.execute_message_attachment_query(*ids).statement_response
    return response


def _fill_result(answer: Answer, response: StatementResponse | None) -> None:
    if response is None or response.manifest is None or response.manifest.schema is None:
        return
    answer.columns = [
        {"name": column.name or "", "type": column.type_text or ""}
        for column in response.manifest.schema.columns or []
    ]
    answer.rows = list(response.result.data_array or []) if response.result else []
    answer.row_count = response.manifest.total_row_count
    answer.truncated = bool(response.manifest.truncated)

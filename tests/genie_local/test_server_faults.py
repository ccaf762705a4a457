"""Fault injection and step delays, switched at runtime on the shared server."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import pytest
from databricks.sdk import WorkspaceClient
from databricks.sdk.errors import NotFound, ResourceExhausted
from databricks.sdk.service.dashboards import MessageStatus
from databricks.sdk.service.sql import StatementState

from genie_local.server.client import local_client, local_config, wait_for_message
from genie_local.server.faults import FAULT_HEADER, RuntimeConfig
from harness.processes import Server
from services.common.settings import Settings

QUESTION = "What parts are low stock?"
LIFECYCLE = ["SUBMITTED", "FETCHING_METADATA", "ASKING_AI", "EXECUTING_QUERY", "COMPLETED"]


def start(genie: WorkspaceClient, space_id: str) -> tuple[str, str]:
    started = genie.genie.start_conversation(space_id, QUESTION).response
    return started.conversation_id, started.message_id


def test_fail_fault_from_header(genie_server: Server, genie: WorkspaceClient, space_id: str):
    response = httpx.post(
        f"{genie_server.url}/api/2.0/genie/spaces/{space_id}/start-conversation",
        json={"content": QUESTION},
        headers={"Authorization": "Bearer t", "X-Local-Genie-Fault": "fail"},
    )
    body = response.json()
    message = wait_for_message(genie, space_id, body["conversation_id"], body["message_id"], 60)
    assert message.status == MessageStatus.FAILED
    assert "fault injection" in message.error.error and message.error.type is not None
    assert not message.attachments


def test_cancel_fault_from_header_passes_first_states_then_cancelled(
    genie_server: Server, genie_config: Callable[..., dict], genie: WorkspaceClient, space_id: str
):
    genie_config(step_delay_s=0.2)
    response = httpx.post(
        f"{genie_server.url}/api/2.0/genie/spaces/{space_id}/start-conversation",
        json={"content": QUESTION},
        headers={"Authorization": "Bearer t", FAULT_HEADER: "cancel"},
    )
    ids = (space_id, response.json()["conversation_id"], response.json()["message_id"])
    seen: list[str] = []
    while not seen or seen[-1] != "CANCELLED":
        status = genie.genie.get_message(*ids).status.value
        assert status not in {"COMPLETED", "FAILED"}, seen
        if not seen or seen[-1] != status:
            seen.append(status)
        time.sleep(0.02)
    # Polls may miss a 0.2 s state, never see one out of order or one after ASKING_AI.
    assert seen[-2:] == ["ASKING_AI", "CANCELLED"]
    assert seen == [s for s in [*LIFECYCLE[:3], "CANCELLED"] if s in seen]
    # Cancelled, not deleted: the message stays readable, with no answer attached.
    message = genie.genie.get_message(*ids)
    assert message.status == MessageStatus.CANCELLED and not message.attachments


def test_cancel_fault_from_config_and_environment(
    genie_config, genie: WorkspaceClient, space_id: str, monkeypatch: pytest.MonkeyPatch
):
    genie_config(fault="cancel", fault_count=1)
    cancelled = wait_for_message(genie, space_id, *start(genie, space_id), timeout_s=60)
    completed = wait_for_message(genie, space_id, *start(genie, space_id), timeout_s=60)
    assert [cancelled.status, completed.status] == [
        MessageStatus.CANCELLED,
        MessageStatus.COMPLETED,
    ]
    monkeypatch.setenv("LOCAL_GENIE_FAULT", "cancel")  # the server's start-up value
    assert RuntimeConfig(fault=Settings().local_genie_fault).take(None) == "cancel"


def test_counted_fault_clears_itself(genie_config: Callable[..., dict], genie, space_id: str):
    assert genie_config(fault="fail", fault_count=1)["fault"] == "fail"
    failed = wait_for_message(genie, space_id, *start(genie, space_id), timeout_s=60)
    completed = wait_for_message(genie, space_id, *start(genie, space_id), timeout_s=60)
    assert [failed.status, completed.status] == [MessageStatus.FAILED, MessageStatus.COMPLETED]
    assert genie_config()["fault"] is None


def test_stall_keeps_asking_ai_until_deleted(genie_config, genie: WorkspaceClient, space_id: str):
    genie_config(fault="stall", fault_count=1)
    stalled = start(genie, space_id)
    other = wait_for_message(genie, space_id, *start(genie, space_id), timeout_s=60)
    assert other.status == MessageStatus.COMPLETED
    # A later question has finished; the stalled one is still waiting on the "AI".
    assert genie.genie.get_message(space_id, *stalled).status == MessageStatus.ASKING_AI
    genie.genie.delete_conversation(space_id, stalled[0])
    with pytest.raises(NotFound):
        genie.genie.get_message(space_id, *stalled)


def test_expire_then_rerun(genie_config, genie: WorkspaceClient, space_id: str):
    genie_config(fault="expire", fault_count=1)
    message = wait_for_message(genie, space_id, *start(genie, space_id), timeout_s=60)
    assert message.status == MessageStatus.COMPLETED
    attachment = next(a for a in message.attachments if a.query)
    ids = (space_id, message.conversation_id, message.message_id, attachment.attachment_id)
    expired = genie.genie.get_message_attachment_query_result(*ids).statement_response
    assert expired.status.state == StatementState.CLOSED and expired.result is None
    status = genie.genie.get_message(space_id, message.conversation_id, message.message_id).status
    assert status == MessageStatus.QUERY_RESULT_EXPIRED
    fresh = genie.genie.execute_message_attachment_query(*ids).statement_response
    assert fresh.status.state == StatementState.SUCCEEDED and fresh.result.data_array
    again = genie.genie.get_message_attachment_query_result(*ids).statement_response
    assert again.statement_id == fresh.statement_id
    status = genie.genie.get_message(space_id, message.conversation_id, message.message_id).status
    assert status == MessageStatus.COMPLETED


def test_rate_limit_is_429_resource_exhausted(genie_server: Server, genie_config, space_id: str):
    genie_config(fault="rate_limit")
    response = httpx.post(
        f"{genie_server.url}/api/2.0/genie/spaces/{space_id}/start-conversation",
        json={"content": QUESTION},
        headers={"Authorization": "Bearer t"},
    )
    assert response.status_code == 429
    assert response.json()["error_code"] == "RESOURCE_EXHAUSTED"
    assert response.headers["Retry-After"] == "1"
    # The SDK retries 429s itself until its retry budget (here 1 s) runs out.
    with pytest.raises(TimeoutError) as raised:
        local_client(genie_server.url).genie.start_conversation(space_id, QUESTION)
    assert isinstance(raised.value.__cause__, ResourceExhausted)


def test_retry_after_is_set_at_runtime(genie_server: Server, genie_config, space_id: str):
    assert genie_config(fault="rate_limit", retry_after_s=7)["retry_after_s"] == 7
    try:
        response = httpx.post(
            f"{genie_server.url}/api/2.0/genie/spaces/{space_id}/start-conversation",
            json={"content": QUESTION},
            headers={"Authorization": "Bearer t"},
        )
        assert response.status_code == 429 and response.headers["Retry-After"] == "7"
        refused = httpx.put(f"{genie_server.url}/local/config", json={"retry_after_s": -1})
        assert refused.status_code == 400 and "retry_after_s" in refused.json()["message"]
    finally:
        genie_config(retry_after_s=1)


def test_sdk_retries_through_a_short_rate_limit(genie_server: Server, genie_config, space_id):
    genie_config(fault="rate_limit", fault_count=1)
    patient = WorkspaceClient(config=local_config(genie_server.url, retry_timeout_s=30))
    conversation_id, message_id = start(patient, space_id)
    message = wait_for_message(patient, space_id, conversation_id, message_id, 60)
    assert message.status == MessageStatus.COMPLETED


def test_step_delay_shows_every_state_in_order(genie_config, genie: WorkspaceClient, space_id):
    genie_config(step_delay_s=0.3)
    conversation_id, message_id = start(genie, space_id)
    seen: list[str] = []
    while not seen or seen[-1] not in {"COMPLETED", "FAILED"}:
        status = genie.genie.get_message(space_id, conversation_id, message_id).status.value
        if not seen or seen[-1] != status:
            seen.append(status)
        time.sleep(0.02)
    assert seen == [s for s in LIFECYCLE if s in seen]
    assert {"ASKING_AI", "EXECUTING_QUERY", "COMPLETED"} <= set(seen)


def test_sql_is_visible_while_executing(genie_config, genie: WorkspaceClient, space_id: str):
    genie_config(step_delay_s=0.3)
    conversation_id, message_id = start(genie, space_id)
    message = genie.genie.get_message(space_id, conversation_id, message_id)
    while message.status != MessageStatus.EXECUTING_QUERY:
        assert message.status not in {MessageStatus.COMPLETED, MessageStatus.FAILED}
        message = genie.genie.get_message(space_id, conversation_id, message_id)
    query = next(a for a in message.attachments if a.query)
    assert query.query.query and query.query.description  # the SQL and what it computes
    assert query.query.query_result_metadata is None  # before the result exists
    assert not any(a.text for a in message.attachments)

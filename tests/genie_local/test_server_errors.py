"""Bad requests get Databricks-shaped 4xx errors, which databricks-sdk turns into its own."""

from __future__ import annotations

import httpx
import pytest
from databricks.sdk import WorkspaceClient
from databricks.sdk.errors import (
    InvalidParameterValue,
    NotFound,
    PermissionDenied,
    ResourceDoesNotExist,
)
from databricks.sdk.service.dashboards import MessageStatus

from genie_local.server.client import local_client, wait_for_message
from harness.processes import Server
from tests.genie_local.conftest import STRICT_TOKEN

AUTH = {"Authorization": "Bearer anything"}


@pytest.fixture(scope="module")
def conversation(genie: WorkspaceClient, space_id: str) -> tuple[str, str]:
    started = genie.genie.start_conversation(space_id, "What parts are low stock?").response
    wait_for_message(genie, space_id, started.conversation_id, started.message_id, 60)
    return started.conversation_id, started.message_id


def test_unknown_ids_are_resource_does_not_exist(
    genie: WorkspaceClient, space_id: str, conversation: tuple[str, str]
) -> None:
    conversation_id, message_id = conversation
    with pytest.raises(ResourceDoesNotExist, match="Conversation nope"):
        genie.genie.create_message(space_id, "nope", "hello")
    with pytest.raises(ResourceDoesNotExist, match="Message nope"):
        genie.genie.get_message(space_id, conversation_id, "nope")
    with pytest.raises(ResourceDoesNotExist, match="Attachment nope"):
        genie.genie.get_message_attachment_query_result(
            space_id, conversation_id, message_id, "nope"
        )
    with pytest.raises(ResourceDoesNotExist):
        genie.genie.execute_message_attachment_query(space_id, conversation_id, message_id, "nope")
    with pytest.raises(ResourceDoesNotExist):
        genie.genie.list_conversation_messages(space_id, "nope")


def test_empty_content_is_invalid(genie: WorkspaceClient, space_id: str) -> None:
    with pytest.raises(InvalidParameterValue, match="content must not be empty"):
        genie.genie.start_conversation(space_id, "   ")


def test_bad_feedback_rating_is_invalid(
    genie_server: Server, space_id: str, conversation: tuple[str, str]
) -> None:
    conversation_id, message_id = conversation
    url = (
        f"{genie_server.url}/api/2.0/genie/spaces/{space_id}/conversations/"
        f"{conversation_id}/messages/{message_id}/feedback"
    )
    response = httpx.post(url, json={"rating": "GREAT"}, headers=AUTH)
    assert response.status_code == 400
    assert response.json()["error_code"] == "INVALID_PARAMETER_VALUE"
    assert "rating must be one of" in response.json()["message"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'{"content": 123}', "'content': Input should be a valid string"),
        (b'{"content": ["a"]}', "'content': Input should be a valid string"),
        (b"{}", "'content' is required"),
        (b'{"content": "hi"', "not valid JSON"),
        (b"not json at all", "not valid JSON"),
        (b'{"content": "hi", "enable_visualization": "yes"}', "enable_visualization"),
    ],
)
def test_malformed_bodies_are_400(
    genie_server: Server, space_id: str, body: bytes, expected: str
) -> None:
    response = httpx.post(
        f"{genie_server.url}/api/2.0/genie/spaces/{space_id}/start-conversation",
        content=body,
        headers={**AUTH, "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["error_code"] == "INVALID_PARAMETER_VALUE"
    assert expected in response.json()["message"]


@pytest.mark.parametrize("authorization", [None, "", "Bearer", "Basic dXNlcjpwdw==", "Token abc"])
def test_missing_or_malformed_auth_is_401(genie_server: Server, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization is not None else {}
    response = httpx.get(f"{genie_server.url}/api/2.0/genie/spaces", headers=headers)
    assert response.status_code == 401
    assert response.json()["error_code"] == "UNAUTHENTICATED"


def test_unknown_route_and_method(genie_server: Server) -> None:
    response = httpx.get(f"{genie_server.url}/api/2.0/genie/nowhere", headers=AUTH)
    assert response.status_code == 404
    assert response.json()["error_code"] == "ENDPOINT_NOT_FOUND"
    with pytest.raises(NotFound):
        local_client(genie_server.url).api_client.do("GET", "/api/2.0/genie/nowhere")
    response = httpx.put(f"{genie_server.url}/api/2.0/genie/spaces", headers=AUTH)
    assert response.status_code == 405


def test_bad_page_token_and_fault_header(
    genie: WorkspaceClient, genie_server: Server, space_id: str, conversation: tuple[str, str]
) -> None:
    with pytest.raises(InvalidParameterValue, match="page_token"):
        genie.genie.list_conversation_messages(space_id, conversation[0], page_token="x")
    response = httpx.post(
        f"{genie_server.url}/api/2.0/genie/spaces/{space_id}/start-conversation",
        json={"content": "hi"},
        headers={**AUTH, "X-Local-Genie-Fault": "explode"},
    )
    assert response.status_code == 400
    assert "unknown fault 'explode'" in response.json()["message"]


def test_bad_local_config_is_400(genie_server: Server) -> None:
    for body in ({"fault": "explode"}, {"step_delay_s": -1}, {"faults": "fail"}):
        response = httpx.put(f"{genie_server.url}/local/config", json=body)
        assert response.status_code == 400, body
        assert response.json()["error_code"] == "INVALID_PARAMETER_VALUE"


def test_required_token_and_startup_fault(strict_genie_server: Server, space_id: str) -> None:
    with pytest.raises(PermissionDenied, match="Invalid access token"):
        local_client(strict_genie_server.url, "wrong").genie.list_spaces()
    client = local_client(strict_genie_server.url, STRICT_TOKEN)
    started = client.genie.start_conversation(space_id, "What parts are low stock?").response
    message = wait_for_message(client, space_id, started.conversation_id, started.message_id, 60)
    assert message.status == MessageStatus.FAILED
    assert "fault injection" in message.error.error

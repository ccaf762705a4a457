"""AUTH_MODE=databricks-apps reads the Apps proxy's headers; no other mode trusts them.

In-process and fast: the refusals happen in the routes' dependencies, before Redis is
needed. The whole App with real processes: tests/services/app/test_app_container.py.
"""

from __future__ import annotations

from types import SimpleNamespace

import flask
import pytest
from fastapi.testclient import TestClient

from services.api.forwarded_identity import (
    EMAIL_HEADER,
    TOKEN_HEADER,
    forwarded_caller,
    forwarded_headers,
)
from services.api.main import create_app
from services.api.security import NotAuthenticated
from services.common import sessions
from services.common.settings import Settings
from services.dash_ui import api_client

ALICE = {EMAIL_HEADER: "Alice@Example.com", TOKEN_HEADER: "dapi-alice"}


def test_the_caller_is_the_forwarded_email() -> None:
    assert forwarded_caller(ALICE).owner == "alice@example.com"


@pytest.mark.parametrize("missing", [EMAIL_HEADER, TOKEN_HEADER])
def test_both_headers_are_required(missing: str) -> None:
    headers = {name: value for name, value in ALICE.items() if name != missing}
    with pytest.raises(NotAuthenticated, match=missing):
        forwarded_caller(headers)


def test_only_the_identity_headers_are_passed_on() -> None:
    assert forwarded_headers({**ALICE, "Cookie": "session=x", "Host": "app"}) == ALICE


def _client(**values: object) -> TestClient:
    """The API without its lifespan (no ``with``): the refusals come from the routes' dependencies,
    which read only the settings, before anything touches Redis."""
    settings = Settings(**values)
    app = create_app(settings)
    app.state.context = SimpleNamespace(settings=settings)
    return TestClient(app, base_url="http://127.0.0.1")  # a Host the API answers outside app mode


def test_without_the_headers_the_app_mode_answers_401() -> None:
    client = _client(auth_mode="databricks-apps")
    refused = client.post("/questions", json={"question": "What is low?"})
    assert refused.status_code == 401
    assert client.get("/questions/q_x").status_code == 401
    keyed = client.get("/questions/q_x", headers={"Authorization": "Bearer any"})
    assert keyed.status_code == 401


def test_outside_the_app_mode_forwarded_headers_are_no_identity() -> None:
    client = _client(api_keys=["key-0123456789"])
    response = client.post("/questions", json={"question": "What is low?"}, headers=ALICE)
    assert response.status_code == 401
    assert "key" in response.json()["detail"]


SESSION = sessions.issue("ui-key-0123456789")


def _headers_the_page_sends(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> dict:
    """What the page's server sends the API for a browser with a session and the proxy's headers."""
    monkeypatch.setattr(api_client, "get_settings", lambda: settings)
    cookie = f"{sessions.COOKIE_NAME}={SESSION}"
    request = flask.Flask(__name__).test_request_context("/", headers={**ALICE, "Cookie": cookie})
    with request, api_client._client() as client:
        return dict(client.headers)


def test_the_page_passes_its_users_identity_to_the_api_in_app_mode(monkeypatch) -> None:
    sent = _headers_the_page_sends(Settings(auth_mode="databricks-apps"), monkeypatch)
    assert sent[EMAIL_HEADER.lower()] == ALICE[EMAIL_HEADER]
    assert sent[TOKEN_HEADER.lower()] == ALICE[TOKEN_HEADER]
    assert "cookie" not in sent and "authorization" not in sent  # the forwarded identity wins


def test_the_page_passes_no_forwarded_identity_otherwise(monkeypatch) -> None:
    sent = _headers_the_page_sends(Settings(ui_api_key="ui-key-0123456789"), monkeypatch)
    assert EMAIL_HEADER.lower() not in sent and TOKEN_HEADER.lower() not in sent
    assert sent["authorization"] == f"Bearer {SESSION}"  # the browser's session, not the key

"""What the page shows when the API refuses: its own words, whatever shape they come in."""

from __future__ import annotations

import httpx
import pytest

from harness.processes import free_port
from services.common.settings import get_settings
from services.dash_ui import api_client


def response(status: int, body: object) -> httpx.Response:
    return httpx.Response(status, json=body, request=httpx.Request("POST", "http://api/x"))


def test_a_sentence_detail_is_shown_as_is() -> None:
    detail = "Questions are limited to 2000 characters; shorten it and ask again."
    assert api_client._detail(response(422, {"detail": detail})) == detail


def test_validation_errors_are_joined() -> None:
    body = {"detail": [{"msg": "question is empty"}, {"msg": "conversation_id is bad"}]}
    assert api_client._detail(response(422, body)) == "question is empty; conversation_id is bad"


def test_no_detail_falls_back_to_the_status() -> None:
    assert "503" in api_client._detail(response(503, {"oops": 1}))


def test_an_api_that_is_down_is_said_plainly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "api_url", f"http://127.0.0.1:{free_port()}")
    with pytest.raises(api_client.ApiError, match="not reachable"):
        api_client.ask("What parts are low stock?", None)

"""The Dash server's calls to the API: ask, cancel, rate, list and reopen conversations.

Anything that fails becomes an ``ApiError`` whose message a person can act on, because
the page shows it as is."""

from __future__ import annotations

import logging
from typing import Any, Literal

import flask
import httpx

from services.api.forwarded_identity import forwarded_headers, trusts_forwarded_identity
from services.common.settings import get_settings
from services.dash_ui.sessions import current_session_token

logger = logging.getLogger(__name__)

Rating = Literal["positive", "negative"]


class ApiError(Exception):
    """The API refused or could not be reached; ``str(error)`` is meant for the user."""


def _client() -> httpx.Client:
    """A client acting as the browser's session (its own owner and rate limit)."""
    settings = get_settings()
    session = current_session_token()
    headers = {"Authorization": f"Bearer {session}"} if session else {}
    if trusts_forwarded_identity(settings):  # the API sees the page's user, as the proxy sent it
        headers = forwarded_headers(flask.request.headers)
    return httpx.Client(
        base_url=settings.api_url, timeout=settings.ui_api_timeout_s, headers=headers
    )


def _detail(response: httpx.Response) -> str:
    """FastAPI puts the reason in ``detail``: a sentence, or a list of validation errors."""
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        detail = None
    if isinstance(detail, str) and detail:
        return detail
    if isinstance(detail, list) and detail:
        return "; ".join(str(item.get("msg", item)) for item in detail if isinstance(item, dict))
    return f"The service answered {response.status_code} {response.reason_phrase}."


def _post(path: str, body: dict[str, Any] | None = None) -> Any:
    return _call("POST", path, body or {})


def _get(path: str) -> Any:
    return _call("GET", path)


def _call(method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    try:
        with _client() as client:
            response = client.request(method, path, json=body)
    except httpx.HTTPError as error:
        logger.warning("API call %s failed: %s", path, error)
        raise ApiError(
            "The question service is not reachable right now. Try again in a moment."
        ) from error
    if response.is_error:
        logger.info("API %s answered %s: %s", path, response.status_code, response.text[:300])
        raise ApiError(_detail(response))
    try:
        return response.json()
    except ValueError:
        return {}


def ask(question: str, conversation_id: str | None) -> dict[str, Any]:
    """Queue a question; the answer's chunks then arrive on the websocket."""
    return _post("/questions", {"question": question, "conversation_id": conversation_id})


def cancel(question_id: str) -> None:
    _post(f"/questions/{question_id}/cancel")


def send_feedback(question_id: str, rating: Rating, comment: str | None = None) -> bool:
    """Rate an answer; True when the rating reached Genie (it is saved either way)."""
    body = {"rating": rating} | ({"comment": comment} if comment else {})
    return bool(_post(f"/questions/{question_id}/feedback", body).get("sent_to_genie"))


def conversations() -> list[dict[str, Any]]:
    """The caller's conversations, newest first: conversation_id, title, question_count…"""
    return _get("/conversations")


def conversation_questions(conversation_id: str) -> list[dict[str, Any]]:
    """A conversation's questions, oldest first: question_id, question, status, finished."""
    return _get(f"/conversations/{conversation_id}/questions")

"""Hypothesis throws random bodies at the real API: never a 500, always a readable detail.

Bodies are arbitrary JSON (wrong types, nesting, unicode, huge strings, missing or extra
fields), near-valid questions, and raw bytes; ids in paths are random text. Every
answer must be a success or a 4xx whose JSON ``detail`` is a sentence.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.processes import Server

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=50),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=20,
)
ANY_TEXT = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1900, max_size=2100),
    st.just("x" * 100_000),
    st.sampled_from(["", "   ", "\x00", "\u202e", "💥" * 10, "<script>alert(1)</script>"]),
)
QUESTION_BODIES = st.one_of(
    JSON,
    st.fixed_dictionaries(
        {"question": st.one_of(ANY_TEXT, JSON)},
        optional={"conversation_id": st.one_of(ANY_TEXT, JSON), "extra": JSON},
    ),
)
FEEDBACK_BODIES = st.one_of(
    JSON, st.fixed_dictionaries({"rating": st.one_of(ANY_TEXT, JSON)}, optional={"x": JSON})
)
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def client(quiet_api: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=quiet_api.url, timeout=10) as http:
        yield http


@pytest.fixture(scope="module")
def question_id(client: httpx.Client) -> str:
    response = client.post("/questions", json={"question": "What parts are low stock?"})
    return response.json()["question_id"]


def assert_readable(response: httpx.Response) -> None:
    assert response.status_code < 500, response.text[:500]
    if response.status_code >= 400:
        body: Any = response.json()
        assert isinstance(body, dict) and isinstance(body.get("detail"), str), body
        assert body["detail"].strip()
        assert "Traceback" not in body["detail"]


@FUZZ
@given(body=QUESTION_BODIES)
def test_post_questions_json(client: httpx.Client, body: Any):
    assert_readable(client.post("/questions", json=body))


@FUZZ
@given(
    raw=st.binary(max_size=300),
    content_type=st.sampled_from(["application/json", "text/plain", ""]),
)
def test_post_questions_raw_bytes(client: httpx.Client, raw: bytes, content_type: str):
    headers = {"content-type": content_type} if content_type else {}
    assert_readable(client.post("/questions", content=raw, headers=headers))


@FUZZ
@given(body=FEEDBACK_BODIES)
def test_feedback_and_cancel_bodies(client: httpx.Client, question_id: str, body: Any):
    assert_readable(client.post(f"/questions/{question_id}/feedback", json=body))


@FUZZ
@given(some_id=st.text(min_size=1, max_size=300))
def test_random_ids_in_paths(client: httpx.Client, some_id: str):
    path_id = quote(some_id, safe="")
    for method, path in [
        ("GET", f"/questions/{path_id}"),
        ("POST", f"/questions/{path_id}/cancel"),
        ("POST", f"/questions/{path_id}/feedback"),
        ("GET", f"/conversations/{path_id}"),
    ]:
        assert_readable(client.request(method, path, json={"rating": "positive"}))

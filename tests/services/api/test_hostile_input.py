"""Hostile requests get a clear 4xx or close code, never a 500 or a silent close.

Each case was found by an attack run against a real uvicorn API (issue 15): a lone
surrogate in the body, a Unicode digit in ``batch_ms``, an ``after_seq`` past int64,
a 50 MB body, a foreign Host header (DNS rebinding).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
import websockets
from websockets.exceptions import InvalidStatus

from harness.processes import Server
from tests.services.api.conftest import ws_url
from tests.services.api.test_websockets import read_socket

pytestmark = pytest.mark.timeout(60)

LIMIT = 64 * 1024


async def ask(http: httpx.AsyncClient) -> str:
    response = await http.post("/questions", json={"question": "What is low on stock?"})
    assert response.status_code == 202, response.text
    return response.json()["question_id"]


@pytest.mark.parametrize(
    "body",
    [
        b'{"question": "low stock \\ud800"}',
        b'{"question": "What is low?", "conversation_id": "c_\\udfff"}',
    ],
)
async def test_a_lone_surrogate_is_a_clear_422(http: httpx.AsyncClient, body: bytes):
    response = await http.post(
        "/questions", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422, response.text
    assert "surrogate" in response.json()["detail"]


@pytest.mark.parametrize(
    ("query", "hint"),
    [
        ("batch_ms=%C2%B2", "batch_ms"),  # "²": isdigit() is True, int() refuses it
        ("after_seq=%C2%B2", "after_seq"),
        (f"after_seq={2**63}", "after_seq"),
        (f"after_seq={10**30}", "after_seq"),
    ],
)
async def test_odd_numbers_in_the_query_close_4400(
    http: httpx.AsyncClient, quiet_api: Server, query: str, hint: str
):
    question_id = await ask(http)
    _, code, reason = await read_socket(ws_url(quiet_api, f"/ws/questions/{question_id}?{query}"))
    assert code == 4400 and hint in reason, (code, reason)
    name, _, value = query.partition("=")
    wanted = f"{question_id}:{value}" if name == "after_seq" else f"{question_id}&{query}"
    stream = ws_url(quiet_api, f"/ws/stream?questions={wanted}")
    _, code, reason = await read_socket(stream)
    assert code == 4400 and hint in reason, (code, reason)


async def test_a_body_over_the_limit_is_a_413(http: httpx.AsyncClient):
    big = b'{"question": "' + b"x" * (LIMIT + 1) + b'"}'
    response = await http.post(
        "/questions", content=big, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413 and "larger than" in response.json()["detail"]

    async def chunked() -> AsyncIterator[bytes]:  # no Content-Length: counted as it streams
        yield b'{"question": "'
        for _ in range(8):
            yield b"x" * (LIMIT // 4)
        yield b'"}'

    response = await http.post(
        "/questions", content=chunked(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413

    async def at_once() -> AsyncIterator[bytes]:  # the server sees the end with the excess
        yield big

    response = await http.post(
        "/questions", content=at_once(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


async def test_a_foreign_host_header_is_refused(http: httpx.AsyncClient, quiet_api: Server):
    """DNS rebinding: a page whose name points at 127.0.0.1 sends its own name as Host."""
    rebound = {"host": f"evil.example:{quiet_api.port}"}
    for path in ("/healthz", "/questions/q_x"):
        response = await http.get(path, headers=rebound)
        assert response.status_code == 400, path
    question_id = await ask(http)
    url = ws_url(quiet_api, f"/ws/questions/{question_id}")
    with pytest.raises(InvalidStatus) as refused:
        async with websockets.connect(
            url, additional_headers=rebound, origin=f"http://evil.example:{quiet_api.port}"
        ):
            pass
    assert refused.value.response.status_code == 400
    assert (await http.get("/healthz", headers={"host": f"localhost:{quiet_api.port}"})).is_success

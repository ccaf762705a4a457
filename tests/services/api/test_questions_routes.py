"""REST: POST/GET/cancel/feedback on a real uvicorn API over a real Redis."""

from __future__ import annotations

import json

import httpx
import pytest
from redis.asyncio import Redis

from harness.questions import read_until_done
from services.common.chunks import DoneChunk, StatusChunk
from services.common.keys import ARQ_ABORT_SET, ARQ_QUEUE
from services.common.publisher import Publisher
from services.common.questions import QuestionStore
from services.common.settings import get_settings


async def ask(http: httpx.AsyncClient, question: str = "Which parts are low on stock?", **extra):
    response = await http.post("/questions", json={"question": question, **extra})
    assert response.status_code == 202, response.text
    return response.json()


async def test_post_queues_the_question_and_publishes_queued_at_seq_0(
    http: httpx.AsyncClient, redis: Redis
):
    body = await ask(http)
    assert body["status"] == "queued"
    assert body["question_id"].startswith("q_") and body["conversation_id"].startswith("c_")
    assert body["events_url"].endswith(f"/ws/questions/{body['question_id']}")
    assert body["events_url"].startswith("ws://")
    assert await redis.zscore(ARQ_QUEUE, body["question_id"]) is not None  # the arq job
    view = (await http.get(f"/questions/{body['question_id']}")).json()
    assert view["status"] == "queued" and view["finished"] is False
    [queued] = view["chunks"]
    assert queued["seq"] == 0 and queued["type"] == "status" and queued["status"] == "queued"
    assert queued["position"] == body["position"] >= 1


async def test_position_counts_the_questions_ahead(http: httpx.AsyncClient):
    first, second = await ask(http), await ask(http)
    assert second["position"] == first["position"] + 1


async def test_a_follow_up_continues_the_conversation(
    http: httpx.AsyncClient, store: QuestionStore
):
    first = await ask(http)
    follow_up = await ask(http, "And by warehouse?", conversation_id=first["conversation_id"])
    assert follow_up["conversation_id"] == first["conversation_id"]
    record = await store.get_question(follow_up["question_id"])
    assert record.previous_question_id == first["question_id"]
    assert record.question == "And by warehouse?"


async def test_a_conversation_lists_its_questions_in_order(http: httpx.AsyncClient):
    first = await ask(http)
    second = await ask(http, "And by warehouse?", conversation_id=first["conversation_id"])
    response = await http.get(f"/conversations/{first['conversation_id']}")
    assert response.status_code == 200
    assert response.json()["question_ids"] == [first["question_id"], second["question_id"]]
    missing = await http.get("/conversations/c_missing")
    assert missing.status_code == 404 and "c_missing" in missing.json()["detail"]


LIMIT = get_settings().max_question_chars


@pytest.mark.parametrize(
    ("content", "expected_status", "hint"),
    [
        (json.dumps({"question": ""}), 422, "empty"),
        (json.dumps({"question": "  \n\t "}), 422, "empty"),
        (json.dumps({"question": "x" * (LIMIT + 1)}), 422, f"limit is {LIMIT}"),
        (json.dumps({"question": 42}), 422, "question"),
        (json.dumps({"question": ["a"]}), 422, "question"),
        (json.dumps({"question": "ok", "conversation_id": 7}), 422, "conversation_id"),
        (json.dumps({"question": "ok", "conversation_id": " "}), 422, "null"),
        (json.dumps({"question": "ok", "colour": "red"}), 422, "colour"),
        (json.dumps({"conversation_id": None}), 422, "question"),
        (json.dumps(["Which parts?"]), 422, "JSON object"),
        ('{"question": "unterminated', 422, "not valid JSON"),
        ("", 422, "JSON body"),
        (json.dumps({"question": "ok", "conversation_id": "c_nobody"}), 404, "null"),
    ],
)
async def test_bad_input_gets_a_clear_4xx(
    http: httpx.AsyncClient, content: str, expected_status: int, hint: str
):
    response = await http.post(
        "/questions", content=content, headers={"content-type": "application/json"}
    )
    assert response.status_code == expected_status
    detail = response.json()["detail"]
    assert isinstance(detail, str) and hint in detail
    assert "Traceback" not in response.text


@pytest.mark.parametrize("content_type", [None, "text/plain"])
async def test_json_without_its_content_type_is_told_so(
    http: httpx.AsyncClient, content_type: str | None
):
    headers = {"content-type": content_type} if content_type else {}
    response = await http.post("/questions", content='{"question": "hi"}', headers=headers)
    assert response.status_code == 422
    assert "Content-Type: application/json" in response.json()["detail"]


async def test_a_question_at_the_limit_is_accepted(http: httpx.AsyncClient):
    await ask(http, "x" * LIMIT)


async def test_unknown_question_is_404_everywhere(http: httpx.AsyncClient):
    for method, path in [
        ("GET", "/questions/q_missing"),
        ("POST", "/questions/q_missing/cancel"),
    ]:
        response = await http.request(method, path)
        assert response.status_code == 404
        assert "q_missing" in response.json()["detail"]
    response = await http.post("/questions/q_missing/feedback", json={"rating": "positive"})
    assert response.status_code == 404


async def test_cancel_ends_the_stream_once(http: httpx.AsyncClient, redis: Redis):
    body = await ask(http)
    response = await http.post(f"/questions/{body['question_id']}/cancel")
    assert response.status_code == 202
    assert await redis.zscore(ARQ_ABORT_SET, body["question_id"]) is not None
    chunks = await read_until_done(body["events_url"])
    assert [(c["type"], c["status"]) for c in chunks] == [
        ("status", "queued"),
        ("status", "cancelled"),
        ("done", "cancelled"),
    ]
    again = await http.post(f"/questions/{body['question_id']}/cancel")
    assert again.status_code == 409
    assert "already finished" in again.json()["detail"]


async def test_cancel_after_completion_is_409(http: httpx.AsyncClient, publisher: Publisher):
    body = await ask(http)
    question_id = body["question_id"]
    await publisher.publish(
        StatusChunk(question_id=question_id, status="completed", message="✅ Done"),
        DoneChunk(question_id=question_id, status="completed", elapsed_ms=9),
    )
    response = await http.post(f"/questions/{question_id}/cancel")
    assert response.status_code == 409
    assert "completed" in response.json()["detail"]
    view = (await http.get(f"/questions/{question_id}")).json()
    assert [chunk["type"] for chunk in view["chunks"]].count("done") == 1


async def test_feedback_is_stored_even_without_a_genie_answer(
    http: httpx.AsyncClient, store: QuestionStore
):
    body = await ask(http)
    response = await http.post(
        f"/questions/{body['question_id']}/feedback", json={"rating": "negative"}
    )
    assert response.status_code == 200
    assert response.json()["sent_to_genie"] is False
    assert (await store.get_question(body["question_id"])).feedback == "negative"


@pytest.mark.parametrize("payload", [{"rating": "meh"}, {"rating": 1}, {}])
async def test_bad_feedback_is_422(http: httpx.AsyncClient, payload: dict):
    body = await ask(http)
    response = await http.post(f"/questions/{body['question_id']}/feedback", json=payload)
    assert response.status_code == 422
    assert "rating" in response.json()["detail"]


async def test_cors_allows_the_local_ui(http: httpx.AsyncClient):
    response = await http.options(
        "/questions",
        headers={
            "origin": "http://127.0.0.1:8050",
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "http://127.0.0.1:8050"

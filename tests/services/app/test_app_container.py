"""`inventory-agent app`: the product in one Databricks App container, tested as a process.

The app runs with ``AUTH_MODE=databricks-apps`` on one port, its embedded Redis and one
worker, asking the real agent server (over the local Genie) through a stand-in of the
Model Serving endpoint that records each call's bearer. Requests carry the headers the
Apps proxy would add.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import uuid

import httpx
import psutil
import pytest
import redis
import websockets

from harness.serving_endpoint import ServingEndpoint
from tests.services.app.conftest import App

pytestmark = [pytest.mark.servers, pytest.mark.timeout(240)]

ALICE_TOKEN = f"dapi-alice-{uuid.uuid4().hex}"
ALICE = {"X-Forwarded-Email": "alice@example.com", "X-Forwarded-Access-Token": ALICE_TOKEN}
BOB = {"X-Forwarded-Email": "bob@example.com", "X-Forwarded-Access-Token": "dapi-bob"}
QUESTION = {"question": "What parts are low stock?"}


def test_the_chat_page_is_served_at_the_root(app: App) -> None:
    page = httpx.get(f"{app.url}/")
    assert page.status_code == 200
    assert "<title>Inventory Genie</title>" in page.text and "_dash-config" in page.text
    assert httpx.get(f"{app.url}/docs").status_code == 200  # the API on the same port


def test_no_forwarded_identity_is_refused(app: App) -> None:
    refused = httpx.post(f"{app.url}/questions", json=QUESTION)
    assert refused.status_code == 401
    assert "X-Forwarded-Email" in refused.json()["detail"]
    api_key_only = httpx.post(
        f"{app.url}/questions", json=QUESTION, headers={"Authorization": "Bearer anything"}
    )
    assert api_key_only.status_code == 401


def _worker_pid(app: App) -> int:
    (worker,) = [
        child
        for child in psutil.Process(app.server.process.pid).children(recursive=True)
        if "worker" in child.cmdline()
    ]
    return worker.pid


async def _chunks_until_done(url: str, headers: dict[str, str]) -> list[dict]:
    chunks = []
    async with websockets.connect(url, additional_headers=headers, open_timeout=10) as socket:
        async for frame in socket:
            chunks.append(json.loads(frame))
            if chunks[-1]["type"] == "done":
                return chunks
    return chunks


def test_alice_asks_the_worker_dies_mid_question_and_her_answer_still_arrives_as_her(
    app: App, stand_in: ServingEndpoint
) -> None:
    stand_in.hold_next()
    accepted = httpx.post(f"{app.url}/questions", json=QUESTION, headers=ALICE)
    assert accepted.status_code == 202, accepted.text
    question_id = accepted.json()["question_id"]
    conversation_id = accepted.json()["conversation_id"]
    assert stand_in.held.wait(60), "the worker never called the agent endpoint"
    first_worker = _worker_pid(app)
    os.kill(first_worker, signal.SIGKILL)
    stand_in.release.set()

    chunks = asyncio.run(_chunks_until_done(app.socket_url(question_id), ALICE))
    assert chunks[-1] == {**chunks[-1], "type": "done", "status": "completed"}, chunks[-3:]
    assert any(chunk.get("status") == "retrying" for chunk in chunks)
    assert any(chunk["type"] == "answer" for chunk in chunks)
    assert _worker_pid(app) != first_worker
    assert "worker-1 | ✗ exited with code -9" in app.log()
    assert "restarting in" in app.log()

    # The agent endpoint was called as Alice, by the first worker and by its successor.
    assert stand_in.bearers[-2:] == [f"Bearer {ALICE_TOKEN}"] * 2

    # Bob sees nothing of Alice's: not the question, its stream, nor the conversation.
    assert httpx.get(f"{app.url}/questions/{question_id}", headers=BOB).status_code == 404
    follow_up = {"question": "just in Seattle", "conversation_id": conversation_id}
    assert httpx.post(f"{app.url}/questions", json=follow_up, headers=BOB).status_code == 404
    assert httpx.get(f"{app.url}/questions/{question_id}", headers=ALICE).status_code == 200

    # The token is in no log line and no Redis key once the job is over.
    assert ALICE_TOKEN not in app.log()
    assert ALICE_TOKEN.encode() not in _everything_in_redis(app.redis_port)


def test_bobs_socket_on_alices_question_closes_as_unknown(app: App) -> None:
    question_id = httpx.post(f"{app.url}/questions", json=QUESTION, headers=ALICE).json()[
        "question_id"
    ]
    url = app.socket_url(question_id)

    async def bobs_close_code() -> int | None:
        async with websockets.connect(url, additional_headers=BOB) as socket:
            with pytest.raises(websockets.ConnectionClosed):
                await socket.recv()
            return socket.close_code

    assert asyncio.run(bobs_close_code()) == 4404
    # the question itself goes on, as Alice's, to its end
    assert asyncio.run(_chunks_until_done(url, ALICE))[-1]["status"] == "completed"


def _everything_in_redis(port: int) -> bytes:
    """Every key and value in the app's Redis, concatenated (for a needle search)."""
    client = redis.Redis(port=port)
    found = []
    for key in client.scan_iter(count=1000):
        found.append(key)
        kind = client.type(key)
        if kind == b"string":
            found.append(client.get(key) or b"")
        elif kind == b"list":
            found += client.lrange(key, 0, -1)
        elif kind == b"hash":
            for field, value in client.hgetall(key).items():
                found += [field, value]
        elif kind == b"set":
            found += list(client.smembers(key))
        elif kind == b"zset":
            found += client.zrange(key, 0, -1)
        elif kind == b"stream":
            found += [json.dumps(str(entry)).encode() for entry in client.xrange(key)]
    client.close()
    return b"\n".join(found)

"""API keys, ownership, websocket Origin and auth, per-key rate limit — on a real uvicorn API.

The keyed API here runs on database 1 of the session Redis (no worker answers it): each
test publishes the chunks it needs, as a worker would.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import websockets
from redis.asyncio import Redis
from websockets.exceptions import ConnectionClosed

from harness.processes import Server
from harness.questions import frame_chunks
from services.api.security import (
    NotAuthenticated,
    OriginNotAllowed,
    authenticate,
    bearer_token,
    check_origin,
    fingerprint,
)
from services.common.chunks import DoneChunk, TextChunk
from services.common.hosts import allowed_hosts, werkzeug_trusted_hosts
from services.common.keys import RedisKeys
from services.common.publisher import Publisher
from services.common.settings import Settings
from tests.services.api.conftest import start_api, ws_url

KEY_A, KEY_B, KEY_C = "key-alice-0123456789", "key-bob-0123456789", "key-carol-0123456789"
PER_MINUTE = 5
UI_ORIGIN = "https://inventory.example.com"
XSS_TEXT = '<img src=x onerror="window.__xss=1">What parts are low stock? <script>x()</script>'


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture(scope="module")
def keyed_api(api_redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    env = {
        "API_KEYS": f"{KEY_A},{KEY_B},{KEY_C}",
        "QUESTIONS_PER_MINUTE_PER_KEY": str(PER_MINUTE),
        "CORS_ORIGINS": UI_ORIGIN,
        "WS_AUTH_TIMEOUT_S": "2",
    }
    with start_api(api_redis_url, tmp_path_factory.mktemp("keyed-api") / "api.log", env) as api:
        yield api


@pytest.fixture
async def client(keyed_api: Server) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=keyed_api.url, timeout=10) as http:
        yield http


async def ask(client: httpx.AsyncClient, key: str, question: str = "What is low?") -> dict:
    response = await client.post("/questions", json={"question": question}, headers=auth(key))
    assert response.status_code == 202, response.text
    return response.json()


async def socket_outcome(url: str, **connect: Any) -> tuple[list[dict], int | None, str]:
    """Every chunk the socket sends, then its close code and reason."""
    chunks: list[dict] = []
    first = connect.pop("first_message", None)
    async with websockets.connect(url, open_timeout=10, **connect) as socket:
        if first:
            await socket.send(first)
        try:
            async for frame in socket:
                chunks += frame_chunks(frame)
        except ConnectionClosed:
            pass
        return chunks, socket.close_code, socket.close_reason


# --- pure functions -------------------------------------------------------------------


def test_keys_compare_and_owner_is_a_hash():
    settings = Settings(api_keys=[KEY_A, KEY_B])
    assert authenticate(settings, KEY_B).owner == fingerprint(KEY_B)
    assert KEY_B not in fingerprint(KEY_B)
    for wrong in (None, "", KEY_A[:-1], KEY_A + "x"):
        with pytest.raises(NotAuthenticated):
            authenticate(settings, wrong)
    assert authenticate(Settings(api_keys=[]), None).owner is None  # open API
    assert bearer_token("Bearer abc") == bearer_token("bearer  abc") == "abc"
    assert bearer_token("Basic abc") is None and bearer_token(None) is None


def test_origin_allow_list():
    open_settings = Settings(cors_origins=[])
    check_origin(open_settings, None)  # not a browser
    check_origin(open_settings, "http://localhost:8050")  # local default
    with pytest.raises(OriginNotAllowed):
        check_origin(open_settings, "https://evil.example")
    configured = Settings(cors_origins=[UI_ORIGIN])
    check_origin(configured, UI_ORIGIN)
    for foreign in ("http://127.0.0.1:8050", "https://api.example.com"):  # the Host proves nothing
        with pytest.raises(OriginNotAllowed):
            check_origin(configured, foreign)


def test_behind_the_apps_proxy_the_apps_own_origin_and_any_host_are_accepted():
    """AUTH_MODE=databricks-apps: the proxy is the only way in and names the host."""
    apps = Settings(auth_mode="databricks-apps")
    check_origin(apps, "https://app.example.com", own_origin="https://app.example.com")
    for foreign in ("https://evil.example", "http://app.example.com"):
        with pytest.raises(OriginNotAllowed):
            check_origin(apps, foreign, own_origin="https://app.example.com")
    assert allowed_hosts(apps) == ["*"] and werkzeug_trusted_hosts(["*"]) is None
    assert "evil.example" not in allowed_hosts(Settings())  # outside that mode: loopback only
    assert werkzeug_trusted_hosts(["*.example.com", "api"]) == [".example.com", "api"]


# --- REST ---------------------------------------------------------------------------


async def test_health_stays_open(client: httpx.AsyncClient):
    assert (await client.get("/healthz")).status_code == 200
    assert (await client.get("/readyz")).status_code == 200


@pytest.mark.parametrize("headers", [{}, auth("not-a-key"), {"Authorization": KEY_A}])
async def test_rest_needs_a_valid_bearer_key(client: httpx.AsyncClient, headers: dict):
    for method, path in [
        ("POST", "/questions"),
        ("GET", "/questions/q_x"),
        ("POST", "/questions/q_x/cancel"),
        ("GET", "/conversations/c_x"),
        ("GET", "/metrics"),
    ]:
        response = await client.request(method, path, json={"question": "hi"}, headers=headers)
        assert response.status_code == 401, (path, response.text)
        assert response.headers["www-authenticate"] == "Bearer"
        assert "key" in response.json()["detail"]


async def test_another_keys_question_answers_like_an_unknown_id(
    client: httpx.AsyncClient, redis: Redis, keys: RedisKeys
):
    accepted = await ask(client, KEY_A)
    qid, cid = accepted["question_id"], accepted["conversation_id"]
    assert (await client.get(f"/questions/{qid}", headers=auth(KEY_A))).status_code == 200

    def without_ids(response: httpx.Response) -> tuple[int, str]:
        return response.status_code, response.text.replace(qid, "ID").replace(cid, "ID")

    unknown_q, unknown_c = "q_" + "0" * 32, "c_" + "0" * 32
    pairs = [
        (("GET", f"/questions/{qid}"), ("GET", f"/questions/{unknown_q}"), None),
        (("POST", f"/questions/{qid}/cancel"), ("POST", f"/questions/{unknown_q}/cancel"), None),
        (
            ("POST", f"/questions/{qid}/feedback"),
            ("POST", f"/questions/{unknown_q}/feedback"),
            {"rating": "positive"},
        ),
        (("GET", f"/conversations/{cid}"), ("GET", f"/conversations/{unknown_c}"), None),
        (
            ("POST", "/questions"),
            ("POST", "/questions"),
            "continue",
        ),
    ]
    for (method, path), (u_method, u_path), body in pairs:
        if body == "continue":
            theirs = await client.post(
                path, json={"question": "and?", "conversation_id": cid}, headers=auth(KEY_B)
            )
            unknown = await client.post(
                path, json={"question": "and?", "conversation_id": unknown_c}, headers=auth(KEY_B)
            )
        else:
            theirs = await client.request(method, path, json=body, headers=auth(KEY_B))
            unknown = await client.request(u_method, u_path, json=body, headers=auth(KEY_B))
        assert theirs.status_code == 404, (path, theirs.text)
        assert without_ids(theirs) == (
            404,
            unknown.text.replace(unknown_q, "ID").replace(unknown_c, "ID"),
        )
    # the owner's question was not cancelled by the refused call, and its owner is a hash
    record = {k.decode(): v.decode() for k, v in (await redis.hgetall(keys.question(qid))).items()}
    assert record["owner"] == fingerprint(KEY_A) and record["status"] == "queued"
    assert not any(KEY_A in value for value in record.values())


async def test_per_key_rate_limit_answers_429_with_retry_after(client: httpx.AsyncClient):
    # Fixed one-minute windows: 2 × limit + 1 posts cross at most one window boundary,
    # so at least one of them must be refused whenever the test runs.
    accepted, refused = 0, None
    for _ in range(2 * PER_MINUTE + 1):
        response = await client.post(
            "/questions", json={"question": "What is low?"}, headers=auth(KEY_C)
        )
        if response.status_code == 429:
            refused = response
            break
        assert response.status_code == 202, response.text
        accepted += 1
    assert refused is not None and accepted >= 1
    retry_after = int(refused.headers["retry-after"])
    assert 1 <= retry_after <= 60
    assert f"{PER_MINUTE} questions a minute" in refused.json()["detail"]
    # another key is not affected
    assert (await client.get("/healthz")).status_code == 200
    await ask(client, KEY_B)


# --- websockets --------------------------------------------------------------------


async def finished_question(client: httpx.AsyncClient, publisher: Publisher, key: str) -> str:
    question_id = (await ask(client, key))["question_id"]
    await publisher.publish(
        TextChunk(question_id=question_id, delta="hello"),
        DoneChunk(question_id=question_id, status="completed", elapsed_ms=5),
    )
    return question_id


async def test_websocket_key_in_query_or_first_message(
    client: httpx.AsyncClient, keyed_api: Server, publisher: Publisher
):
    qid = await finished_question(client, publisher, KEY_A)
    url = ws_url(keyed_api, f"/ws/questions/{qid}")
    chunks, code, _ = await socket_outcome(f"{url}?api_key={KEY_A}")
    assert [c["seq"] for c in chunks] == [0, 1, 2] and code == 1000
    chunks, code, _ = await socket_outcome(url, first_message=KEY_A)
    assert len(chunks) == 3 and code == 1000
    chunks, code, _ = await socket_outcome(url, first_message=json.dumps({"api_key": KEY_A}))
    assert len(chunks) == 3 and code == 1000
    for bad in ({"first_message": "wrong"}, {}):  # a wrong key; nothing within the timeout
        chunks, code, reason = await socket_outcome(url, **bad)
        assert (chunks, code) == ([], 4401) and "key" in reason


async def test_websocket_on_another_keys_question_closes_like_unknown(
    client: httpx.AsyncClient, keyed_api: Server, publisher: Publisher
):
    qid = await finished_question(client, publisher, KEY_A)
    chunks, code, reason = await socket_outcome(
        ws_url(keyed_api, f"/ws/questions/{qid}?api_key={KEY_B}")
    )
    assert (chunks, code) == ([], 4404) and "unknown question" in reason
    stream_url = ws_url(keyed_api, f"/ws/stream?questions={qid}:-1&api_key={KEY_B}")
    async with websockets.connect(stream_url, open_timeout=10) as socket:
        frame = frame_chunks(await socket.recv())
    assert frame == [{"type": "unknown_question", "question_id": qid}]


async def test_websocket_origin_allow_list(
    client: httpx.AsyncClient, keyed_api: Server, publisher: Publisher
):
    qid = await finished_question(client, publisher, KEY_A)
    url = ws_url(keyed_api, f"/ws/questions/{qid}?api_key={KEY_A}")
    chunks, code, reason = await socket_outcome(url, origin="https://evil.example")
    assert (chunks, code) == ([], 4403) and "CORS_ORIGINS" in reason
    for origin in (UI_ORIGIN, None):  # None: no header
        chunks, code, _ = await socket_outcome(url, origin=origin)
        assert len(chunks) == 3 and code == 1000, origin
    # the API's own origin is not on CORS_ORIGINS: Origin == Host is no proof (DNS rebinding)
    chunks, code, _ = await socket_outcome(url, origin=f"http://127.0.0.1:{keyed_api.port}")
    assert (chunks, code) == ([], 4403)


async def test_cors_preflight_for_the_configured_origin(client: httpx.AsyncClient):
    preflight = {
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,content-type",
    }
    allowed = await client.options("/questions", headers={"origin": UI_ORIGIN, **preflight})
    assert allowed.headers["access-control-allow-origin"] == UI_ORIGIN
    refused = await client.options(
        "/questions", headers={"origin": "https://evil.example", **preflight}
    )
    assert "access-control-allow-origin" not in refused.headers


# --- markup stays text ------------------------------------------------------------


async def test_markup_round_trips_unchanged(
    client: httpx.AsyncClient, keyed_api: Server, publisher: Publisher
):
    """The API never escapes or strips: clients must render text as text (the UI does)."""
    accepted = await ask(client, KEY_A, XSS_TEXT)
    qid = accepted["question_id"]
    await publisher.publish(
        TextChunk(question_id=qid, delta=XSS_TEXT),
        DoneChunk(question_id=qid, status="completed", elapsed_ms=5),
    )
    view = (await client.get(f"/questions/{qid}", headers=auth(KEY_A))).json()
    assert view["question"] == XSS_TEXT.strip()
    chunks, _, _ = await socket_outcome(ws_url(keyed_api, f"/ws/questions/{qid}?api_key={KEY_A}"))
    assert [c["delta"] for c in chunks if c["type"] == "text"] == [XSS_TEXT]


async def test_a_percent_encoded_key_parameter_is_masked_in_the_log(
    client: httpx.AsyncClient, keyed_api: Server, publisher: Publisher
):
    """Starlette reads ``api%5Fkey`` as ``api_key``: it authenticates, so it is masked too."""
    qid = await finished_question(client, publisher, KEY_B)
    for spelling in ("api%5Fkey", "api%5fkey", "%61pi_key"):
        url = ws_url(keyed_api, f"/ws/questions/{qid}?{spelling}={KEY_B}")
        chunks, code, _ = await socket_outcome(url)
        assert len(chunks) == 3 and code == 1000, spelling
    log = keyed_api.log()
    assert "api%5Fkey=***" in log and "%61pi_key=***" in log
    assert KEY_B not in log


def test_keys_never_reach_the_log(keyed_api: Server):
    log = keyed_api.log()
    assert "api_key=***" in log  # the websocket URLs above were logged, masked
    assert not any(key in log for key in (KEY_A, KEY_B, KEY_C))

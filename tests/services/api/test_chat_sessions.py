"""The chat page holds no key: each browser gets its own signed, HttpOnly session.

A real UI server (holding UI_API_KEY) and a real keyed API: the page's layout carries
no key, the cookie it sets is HttpOnly and SameSite=Strict, the API accepts the session
from a bearer header (the UI server's calls) and from the cookie (the page's socket),
and two sessions are two owners that cannot see each other's questions.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import websockets

from harness.processes import CLI, Server, free_port, running
from harness.questions import frame_chunks
from services.common.chunks import DoneChunk
from services.common.publisher import Publisher
from services.common.sessions import COOKIE_NAME
from tests.services.api.conftest import start_api, ws_url

UI_KEY, OTHER_KEY = "ui-key-0123456789abcdef", "cli-key-0123456789abcdef"

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def session_api(api_redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    env = {"API_KEYS": f"{UI_KEY},{OTHER_KEY}", "WS_AUTH_TIMEOUT_S": "1"}
    with start_api(api_redis_url, tmp_path_factory.mktemp("session-api") / "api.log", env) as api:
        yield api


@pytest.fixture(scope="module")
def ui(session_api: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    port = free_port()
    argv = [*CLI, "ui", "--port", str(port)]
    env = {"UI_API_KEY": UI_KEY, "API_URL": session_api.url}
    log = tmp_path_factory.mktemp("session-ui") / "ui.log"
    with running(argv, port, log, env=env, ready_url=f"http://127.0.0.1:{port}/healthz") as ui:
        yield ui


def new_session(ui: Server) -> str:
    """What a browser loading the page gets: the session cookie's token."""
    response = httpx.get(f"{ui.url}/_dash-layout", timeout=30)
    assert response.status_code == 200
    assert UI_KEY not in response.text and "api_key" not in response.text
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    return response.cookies[COOKIE_NAME]


def forge(token: str) -> str:
    """The token with its signature's last hex digit changed (always a different one)."""
    return token[:-1] + ("1" if token.endswith("0") else "0")


async def test_each_browser_session_is_its_own_owner(
    ui: Server, session_api: Server, publisher: Publisher
) -> None:
    alice, bob = new_session(ui), new_session(ui)
    assert alice != bob
    async with httpx.AsyncClient(base_url=session_api.url, timeout=10) as http:
        asked = await http.post(
            "/questions",
            json={"question": "What is low?"},
            headers={"Authorization": f"Bearer {alice}"},
        )
        assert asked.status_code == 202, asked.text
        qid = asked.json()["question_id"]
        await publisher.publish(DoneChunk(question_id=qid, status="completed", elapsed_ms=1))
        mine = await http.get(f"/questions/{qid}", headers={"Authorization": f"Bearer {alice}"})
        theirs = await http.get(f"/questions/{qid}", headers={"Authorization": f"Bearer {bob}"})
        forged = await http.get(
            f"/questions/{qid}", headers={"Authorization": f"Bearer {forge(alice)}"}
        )
    assert (mine.status_code, theirs.status_code, forged.status_code) == (200, 404, 401)

    # the page's socket: the browser sends the cookie with the handshake, no key in the URL
    url = ws_url(session_api, f"/ws/stream?questions={qid}:-1")
    origin = f"http://127.0.0.1:{ui.port}"
    chunks = []
    cookie = {"Cookie": f"{COOKIE_NAME}={alice}"}
    async with websockets.connect(url, origin=origin, additional_headers=cookie) as socket:
        while not any(c.get("type") == "done" for c in chunks):
            chunks += frame_chunks(await socket.recv())
    async with websockets.connect(url, origin=origin) as socket:  # no session: refused
        with pytest.raises(websockets.exceptions.ConnectionClosed):
            await socket.recv()
        assert socket.close_code == 4401


def test_the_chat_page_refuses_a_foreign_host(ui: Server) -> None:
    rebound = httpx.get(f"{ui.url}/healthz", headers={"host": f"evil.example:{ui.port}"})
    assert rebound.status_code == 400
    assert httpx.get(f"{ui.url}/healthz", headers={"host": f"localhost:{ui.port}"}).is_success

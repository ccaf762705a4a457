"""Liveness, readiness, and what clients get while Redis is down, hung or back."""

from __future__ import annotations

import asyncio
import json
import signal
from collections.abc import Iterator

import httpx
import pytest
import websockets
from redis.asyncio import Redis
from websockets.exceptions import ConnectionClosed

from harness.processes import Server, free_port, start
from services.common.chunks import DoneChunk, TextChunk
from services.common.keys import RedisKeys
from services.common.publisher import Publisher
from services.common.settings import get_settings
from services.runner.redis_server import redis_server_command
from tests.services.api.conftest import start_api, ws_url


async def test_healthz_and_readyz(http: httpx.AsyncClient):
    assert (await http.get("/healthz")).json() == {"status": "ok"}
    assert (await http.get("/readyz")).json() == {"status": "ready"}


class FlakyRedis:
    """A private redis-server that a test can stop, freeze and bring back on its port."""

    def __init__(self, tmp_path) -> None:
        self.port = free_port()
        self.dir = tmp_path
        self.server: Server | None = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def up(self) -> None:
        command = redis_server_command(self.port, self.dir)
        self.server = start(command, self.port, self.dir / "redis.log", redis=True)

    def down(self) -> None:
        assert self.server is not None
        self.server.stop()


@pytest.fixture
def flaky_redis(tmp_path) -> Iterator[FlakyRedis]:
    redis = FlakyRedis(tmp_path)
    redis.up()
    yield redis
    if redis.server is not None:
        redis.server.process.send_signal(signal.SIGCONT)
        redis.server.stop()


@pytest.fixture
def flaky_api(flaky_redis: FlakyRedis, tmp_path) -> Iterator[Server]:
    with start_api(flaky_redis.url, tmp_path / "api.log") as server:
        yield server


async def wait_until_ready(http: httpx.AsyncClient, attempts: int = 100) -> None:
    for _ in range(attempts):
        if (await http.get("/readyz")).status_code == 200:
            return
        await asyncio.sleep(0.1)
    raise AssertionError("the API did not become ready again")


async def test_redis_down_gives_503_not_a_hang(flaky_redis: FlakyRedis, flaky_api: Server):
    async with httpx.AsyncClient(base_url=flaky_api.url, timeout=10) as http:
        flaky_redis.down()
        ready = await http.get("/readyz")
        assert ready.status_code == 503 and "Redis" in ready.json()["detail"]
        posted = await http.post("/questions", json={"question": "Which parts are low?"})
        assert posted.status_code == 503
        assert "try again" in posted.json()["detail"]
        assert (await http.get("/questions/q_any")).status_code == 503
        assert (await http.get("/healthz")).status_code == 200  # the process itself is fine
        async with websockets.connect(ws_url(flaky_api, "/ws/questions/q_any")) as socket:
            with pytest.raises(ConnectionClosed):
                await socket.recv()
            assert socket.close_code == 1011


async def test_a_hung_redis_times_out_into_503(flaky_redis: FlakyRedis, flaky_api: Server):
    assert flaky_redis.server is not None
    async with httpx.AsyncClient(base_url=flaky_api.url, timeout=20) as http:
        flaky_redis.server.process.send_signal(signal.SIGSTOP)
        try:
            assert (await http.get("/readyz")).status_code == 503
            posted = await http.post("/questions", json={"question": "Which parts are low?"})
            assert posted.status_code == 503
        finally:
            flaky_redis.server.process.send_signal(signal.SIGCONT)
        await wait_until_ready(http)


async def test_streams_resume_when_redis_comes_back(flaky_redis: FlakyRedis, flaky_api: Server):
    async with httpx.AsyncClient(base_url=flaky_api.url, timeout=10) as http:
        body = (await http.post("/questions", json={"question": "Which parts are low?"})).json()
        question_id = body["question_id"]
        url = ws_url(flaky_api, f"/ws/stream?questions={question_id}&batch_ms=10")
        async with websockets.connect(url) as socket:
            received = json.loads(await socket.recv())
            assert [chunk["seq"] for chunk in received] == [0]
            flaky_redis.down()
            flaky_redis.up()  # same port and data directory: the log survives
            await wait_until_ready(http)
            redis = Redis.from_url(flaky_redis.url)
            publisher = Publisher(redis, RedisKeys(get_settings().redis_namespace), 600)
            await publisher.publish(
                TextChunk(question_id=question_id, delta="back"),
                DoneChunk(question_id=question_id, status="completed", elapsed_ms=1),
            )
            await redis.aclose()
            while received[-1]["type"] != "done":
                received += json.loads(await asyncio.wait_for(socket.recv(), 10))
        assert [chunk["seq"] for chunk in received] == [0, 1, 2]


async def test_sigterm_closes_open_sockets_and_exits(api_redis_url: str, tmp_path):
    """`make run`'s Ctrl-C must not hang on a browser's open stream socket."""
    with start_api(api_redis_url, tmp_path / "api.log") as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
            body = (await http.post("/questions", json={"question": "Which parts?"})).json()
        url = ws_url(server, f"/ws/stream?questions={body['question_id']}")
        async with websockets.connect(url) as socket:
            await socket.recv()
            server.process.send_signal(signal.SIGTERM)
            with pytest.raises(ConnectionClosed):
                await asyncio.wait_for(socket.recv(), 10)
            assert socket.close_code == 1012  # "service restart": reconnect elsewhere
        server.process.wait(10)  # uvicorn re-raises SIGTERM once it has shut down cleanly
        assert "Application shutdown complete" in server.log()


async def test_a_question_that_cannot_be_enqueued_leaves_nothing_behind(
    flaky_redis: FlakyRedis, tmp_path
):
    """If arq's job cannot be written, no record or chunk is either: nothing is orphaned."""
    admin = Redis.from_url(flaky_redis.url)
    # A Redis user that may do everything but PSETEX, which writing arq's job needs.
    await admin.execute_command(
        "ACL", "SETUSER", "api", "on", ">pw", "~*", "&*", "+@all", "-psetex"
    )
    url = f"redis://api:pw@127.0.0.1:{flaky_redis.port}/0"
    with start_api(url, tmp_path / "api.log") as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
            response = await http.post("/questions", json={"question": "Which parts?"})
    assert response.status_code == 503
    keys = RedisKeys(get_settings().redis_namespace)
    written = await admin.keys(keys.replay_log("*")) + await admin.keys(keys.question("*"))
    await admin.aclose()
    assert written == []

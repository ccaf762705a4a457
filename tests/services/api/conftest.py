"""An API server of the API tests' own, and helpers to publish and read chunks.

The API here uses Redis database 1 of the session's redis-server: the session's arq
worker (``worker_process``) listens on database 0, so no worker answers the questions
these tests post, and each test publishes exactly the chunks it wants.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis

from harness.processes import CLI, Server, free_port, running
from services.common.keys import RedisKeys
from services.common.publisher import Publisher
from services.common.questions import QuestionStore
from services.common.settings import get_settings


def start_api(redis_url: str, log: Path, env: dict[str, str] | None = None):
    port = free_port()
    argv = [*CLI, "api", "--port", str(port)]
    env = {"REDIS_URL": redis_url, **(env or {})}
    return running(argv, port, log, env=env, ready_url=f"http://127.0.0.1:{port}/readyz")


@pytest.fixture(scope="session")
def api_redis_url(redis_server: Server) -> str:
    return f"redis://127.0.0.1:{redis_server.port}/1"


@pytest.fixture(scope="session")
def quiet_api(api_redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`inventory-agent api` that no worker serves: tests publish the chunks themselves."""
    log = tmp_path_factory.mktemp("quiet-api") / "api.log"
    with start_api(api_redis_url, log) as server:
        yield server


@pytest.fixture
async def http(quiet_api: Server) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=quiet_api.url, timeout=10) as client:
        yield client


@pytest.fixture
async def redis(api_redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(api_redis_url)
    yield client
    await client.aclose()


@pytest.fixture
def keys() -> RedisKeys:
    """The API server's namespace (the default one)."""
    return RedisKeys(get_settings().redis_namespace)


@pytest.fixture
def publisher(redis: Redis, keys: RedisKeys) -> Publisher:
    """Publishes as a worker would, straight into the API's Redis."""
    return Publisher(redis, keys, ttl_s=600)


@pytest.fixture
def store(redis: Redis, keys: RedisKeys) -> QuestionStore:
    return QuestionStore(redis, keys, ttl_s=600)


def ws_url(server: Server, path: str) -> str:
    return f"ws://127.0.0.1:{server.port}{path}"

"""The whole pipeline with every part real: API (uvicorn), Redis, the arq worker
process, the MLflow AgentServer running the agent, and the local Genie server.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import websockets
from redis.asyncio import Redis

from harness.processes import CLI, Server, free_port, running
from harness.questions import frame_chunks, post_question, read_until_done, unique
from harness.worker import running_worker
from services.common.keys import RedisKeys
from services.common.questions import QuestionStore
from services.common.settings import get_settings
from tests.conftest import local_genie_env

pytestmark = pytest.mark.timeout(180)

QUESTION = "What parts are low stock?"


def assert_one_clean_stream(chunks: list[dict]) -> None:
    assert [c["seq"] for c in chunks] == list(range(len(chunks)))
    assert chunks[0]["type"] == "status" and chunks[0]["status"] == "queued"
    assert [c["type"] for c in chunks].count("done") == 1 and chunks[-1]["type"] == "done"


async def test_a_question_streams_every_chunk_in_order_to_one_done(
    api_server: Server, worker_process: Server, slow_genie: None
) -> None:
    """With a step delay Genie is seen executing (without one a poll may land after it)."""
    accepted = await post_question(api_server.url, unique(QUESTION))
    chunks = await read_until_done(accepted["events_url"])
    assert_one_clean_stream(chunks)
    assert chunks[-1]["status"] == "completed", chunks
    assert {"status", "sql", "table", "text", "answer"} <= {c["type"] for c in chunks}
    statuses = [c["status"] for c in chunks if c["type"] == "status"]
    assert statuses[:2] == ["queued", "starting"] and "executing" in statuses
    answer = next(c for c in chunks if c["type"] == "answer")
    assert answer["conversation_id"] == accepted["conversation_id"]
    streamed = "".join(c["delta"] for c in chunks if c["type"] == "text")
    assert streamed and streamed.strip() == answer["text"].strip()


async def test_documents_and_genie_progress_reach_the_user_in_one_stream(
    api_server: Server, worker_process: Server
) -> None:
    question = "Which fasteners are low stock, and what is our reorder policy for them?"
    accepted = await post_question(api_server.url, unique(question))
    chunks = await read_until_done(accepted["events_url"])
    assert_one_clean_stream(chunks)
    assert chunks[-1]["status"] == "completed", chunks
    types = [c["type"] for c in chunks]
    assert types.index("sources") < types.index("sql") < types.index("table")
    statuses = [c["status"] for c in chunks if c["type"] == "status"]
    assert statuses[:3] == ["queued", "starting", "searching_documents"]
    [sources] = [c for c in chunks if c["type"] == "sources"]
    assert sources["sources"][0]["title"] == "Reorder policy: Fasteners"
    assert sources["sources"][0]["section"] and sources["sources"][0]["text"]
    answer = next(c for c in chunks if c["type"] == "answer")
    assert "Answered from the inventory data (Genie) and the policy documents." in answer["text"]


async def test_a_follow_up_continues_the_genie_conversation(
    api_server: Server, worker_process: Server, redis_url: str
) -> None:
    first = await post_question(api_server.url, unique(QUESTION))
    # posted at once: the worker holds it until the first question is done
    second = await post_question(
        api_server.url,
        unique("Which warehouse holds the most inventory value?"),
        first["conversation_id"],
    )
    first_chunks, second_chunks = await asyncio.gather(
        read_until_done(first["events_url"]), read_until_done(second["events_url"])
    )
    assert first_chunks[-1]["status"] == second_chunks[-1]["status"] == "completed"
    assert first_chunks[-1]["ts"] <= second_chunks[1]["ts"]  # second started after first ended
    redis = Redis.from_url(redis_url)
    try:
        store = QuestionStore(redis, RedisKeys(get_settings().redis_namespace), 60)
        one = await store.get_question(first["question_id"])
        two = await store.get_question(second["question_id"])
    finally:
        await redis.aclose()
    assert one.genie_conversation_id and one.genie_conversation_id == two.genie_conversation_id
    assert one.genie_message_id != two.genie_message_id


async def test_cancel_mid_question_ends_it_once_as_cancelled(
    api_server: Server, worker_process: Server, slow_genie: None
) -> None:
    accepted = await post_question(api_server.url, unique(QUESTION))
    chunks: list[dict] = []
    async with websockets.connect(f"{accepted['events_url']}?after_seq=-1") as socket:
        async for frame in socket:
            chunks += frame_chunks(frame)
            if any(c.get("status") == "fetching_metadata" for c in chunks):
                break  # Genie is working on it now
        async with httpx.AsyncClient(base_url=api_server.url) as http:
            response = await http.post(f"/questions/{accepted['question_id']}/cancel")
        assert response.status_code == 202, response.text
        async for frame in socket:
            chunks += frame_chunks(frame)
            if chunks[-1]["type"] == "done":
                break
    assert_one_clean_stream(chunks)
    assert chunks[-1]["status"] == "cancelled"
    assert chunks[-2]["type"] == "status" and chunks[-2]["status"] == "cancelled"
    await asyncio.sleep(2.5)  # past Genie's next steps: the worker must add nothing
    async with httpx.AsyncClient(base_url=api_server.url) as http:
        view = (await http.get(f"/questions/{accepted['question_id']}")).json()
    assert view["chunks"] == chunks
    # the worker really stopped (arq abort), rather than finishing the run unseen
    assert f"{accepted['question_id']}:answer_question aborted" in worker_process.log()


@contextmanager
def own_pipeline(
    redis_url: str, logs: Path, env: dict[str, str]
) -> Iterator[tuple[Server, Server]]:
    """An API and a worker of their own on ``redis_url`` (a Redis database no other
    worker takes jobs from), the worker configured by ``env``."""
    env = {"REDIS_URL": redis_url, **env}
    port = free_port()
    api = [*CLI, "api", "--port", str(port)]
    ready = f"http://127.0.0.1:{port}/healthz"
    with (
        running(api, port, logs / "api.log", env=env, ready_url=ready) as api_server,
        running_worker(redis_url, logs / "worker.log", env=env) as worker,
    ):
        yield api_server, worker


@pytest.fixture
def pipeline_without_agent(
    redis_server: Server, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """A pipeline whose agent endpoint is down."""
    env = {
        "AGENT_URL": f"http://127.0.0.1:{free_port()}",  # nothing listens there
        "MAX_TRIES": "2",
        "AGENT_RETRY_DEFER_S": "0.2",
    }
    redis_url = f"redis://127.0.0.1:{redis_server.port}/3"
    with own_pipeline(redis_url, tmp_path_factory.mktemp("no-agent"), env) as (api, _):
        yield api


@pytest.fixture
def pipeline_with_agent_in_process(
    redis_server: Server, genie_server: Server, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Server, Server]]:
    """A pipeline with no agent endpoint configured: the worker runs the agent itself."""
    env = {**local_genie_env(genie_server), "AGENT_URL": "", "AGENT_ENDPOINT_NAME": ""}
    redis_url = f"redis://127.0.0.1:{redis_server.port}/4"
    with own_pipeline(redis_url, tmp_path_factory.mktemp("in-process"), env) as servers:
        yield servers


async def test_with_no_endpoint_the_worker_runs_the_agent_in_process(
    pipeline_with_agent_in_process: tuple[Server, Server],
) -> None:
    api, worker = pipeline_with_agent_in_process
    assert "agent in-process" in worker.log()
    accepted = await post_question(api.url, unique(QUESTION))
    chunks = await read_until_done(accepted["events_url"])
    assert_one_clean_stream(chunks)
    assert chunks[-1]["status"] == "completed", chunks
    assert {"sql", "table", "text", "answer"} <= {c["type"] for c in chunks}


async def test_agent_down_ends_in_a_retryable_error_and_done_failed(
    pipeline_without_agent: Server,
) -> None:
    accepted = await post_question(pipeline_without_agent.url, unique(QUESTION))
    chunks = await read_until_done(accepted["events_url"])
    assert_one_clean_stream(chunks)
    statuses = [c["status"] for c in chunks if c["type"] == "status"]
    assert statuses == ["queued", "starting", "retrying", "starting"]
    error = chunks[-2]
    assert error["type"] == "error"
    assert (error["code"], error["retryable"]) == ("agent_unavailable", True)
    assert chunks[-1]["status"] == "failed"


async def test_a_worker_stopped_mid_question_hands_it_to_the_next_worker(
    redis_server: Server,
    agent_server: Server,
    slow_genie: None,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    redis_url = f"redis://127.0.0.1:{redis_server.port}/5"
    logs = tmp_path_factory.mktemp("worker-restart")
    env = {"AGENT_URL": agent_server.url}
    with own_pipeline(redis_url, logs, env) as (api, worker):
        accepted = await post_question(api.url, unique(QUESTION))
        chunks: list[dict] = []
        async with websockets.connect(f"{accepted['events_url']}?after_seq=-1") as socket:
            async for frame in socket:
                chunks += frame_chunks(frame)
                if any(c.get("status") == "fetching_metadata" for c in chunks):
                    break
            worker.stop()  # SIGTERM: arq cancels the job and puts it back on the queue
            with running_worker(redis_url, logs / "worker-2.log", env=env):
                async for frame in socket:
                    chunks += frame_chunks(frame)
                    if chunks[-1]["type"] == "done":
                        break
    assert_one_clean_stream(chunks)
    assert chunks[-1]["status"] == "completed", chunks
    statuses = [c["status"] for c in chunks if c["type"] == "status"]
    assert statuses.index("retrying") > statuses.index("fetching_metadata")
    assert [c["type"] for c in chunks].count("answer") == 1

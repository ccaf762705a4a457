"""GET /conversations on a real uvicorn API: the caller's conversations, newest first,
titled by the first question; another key's conversations stay out of sight."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from harness.processes import Server
from tests.services.api.conftest import start_api

KEY_A, KEY_B = "key-history-a-0123456789", "key-history-b-0123456789"


@pytest.fixture(scope="module")
def keyed_api(api_redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("history-api") / "api.log"
    with start_api(api_redis_url, log, {"API_KEYS": f"{KEY_A},{KEY_B}"}) as server:
        yield server


@pytest.fixture
async def client(keyed_api: Server) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=keyed_api.url, timeout=10) as client:
        yield client


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


async def ask(client: httpx.AsyncClient, key: str, question: str, conversation_id=None) -> dict:
    body = {"question": question, "conversation_id": conversation_id}
    response = await client.post("/questions", json=body, headers=auth(key))
    assert response.status_code == 202, response.text
    return response.json()


async def test_the_callers_conversations_newest_first_titled_by_the_first_question(
    client: httpx.AsyncClient,
) -> None:
    first = await ask(client, KEY_A, "What parts are low stock?")
    second = await ask(client, KEY_A, "How many warehouses are there?")
    await ask(client, KEY_B, "Which suppliers deliver late most often?")
    response = await client.get("/conversations", headers=auth(KEY_A))
    assert response.status_code == 200, response.text
    listed = response.json()
    assert [(c["conversation_id"], c["title"]) for c in listed[:2]] == [
        (second["conversation_id"], "How many warehouses are there?"),
        (first["conversation_id"], "What parts are low stock?"),
    ]
    assert "Which suppliers deliver late most often?" not in {c["title"] for c in listed}

    # a follow-up brings its conversation back to the top, still titled by its first question
    await ask(client, KEY_A, "just in Seattle", first["conversation_id"])
    top = (await client.get("/conversations?limit=1", headers=auth(KEY_A))).json()
    assert [(c["conversation_id"], c["title"], c["question_count"]) for c in top] == [
        (first["conversation_id"], "What parts are low stock?", 2)
    ]


async def test_the_history_needs_a_key_and_a_sane_limit(client: httpx.AsyncClient) -> None:
    assert (await client.get("/conversations")).status_code == 401
    bad = await client.get("/conversations?limit=0", headers=auth(KEY_A))
    assert bad.status_code == 422 and "limit" in bad.json()["detail"]


async def test_a_conversations_questions_with_their_text_for_its_owner_only(
    client: httpx.AsyncClient,
) -> None:
    first = await ask(client, KEY_A, "What parts are low stock?")
    second = await ask(client, KEY_A, "just in Seattle", first["conversation_id"])
    url = f"/conversations/{first['conversation_id']}/questions"
    response = await client.get(url, headers=auth(KEY_A))
    assert response.status_code == 200, response.text
    assert [(q["question_id"], q["question"], q["finished"]) for q in response.json()] == [
        (first["question_id"], "What parts are low stock?", False),
        (second["question_id"], "just in Seattle", False),
    ]
    others = await client.get(url, headers=auth(KEY_B))
    assert others.status_code == 404 and first["conversation_id"] in others.json()["detail"]

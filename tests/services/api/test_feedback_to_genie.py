"""A rating travels to the Genie message behind the answer (the local Genie server)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest
from databricks.sdk import WorkspaceClient
from databricks.sdk.service.dashboards import GenieFeedbackRating

from harness.processes import Server
from services.common.questions import QuestionStore
from tests.conftest import local_genie_env
from tests.services.api.conftest import start_api

GENIE_AUTH = {"Authorization": "Bearer local-genie"}


@pytest.fixture(scope="module")
def genie_api(
    api_redis_url: str, genie_server: Server, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """The API configured to reach the local Genie server, as `make run` configures it."""
    log = tmp_path_factory.mktemp("genie-api") / "api.log"
    with start_api(api_redis_url, log, env=local_genie_env(genie_server)) as server:
        yield server


async def test_feedback_reaches_the_genie_message(
    genie_api: Server, genie_server: Server, store: QuestionStore
):
    genie = WorkspaceClient(host=genie_server.url, token="local-genie", auth_type="pat")
    space_id = "inventory"
    message = genie.genie.start_conversation_and_wait(space_id, "How many parts are there?")
    async with httpx.AsyncClient(base_url=genie_api.url, timeout=30) as http:
        body = (await http.post("/questions", json={"question": "How many parts?"})).json()
        await store.record_genie_ids(body["question_id"], message.conversation_id, message.id)
        response = await http.post(
            f"/questions/{body['question_id']}/feedback", json={"rating": "positive"}
        )
    assert response.status_code == 200, response.text
    assert response.json()["sent_to_genie"] is True
    rated = genie.genie.get_message(space_id, message.conversation_id, message.id)
    assert rated.feedback is not None and rated.feedback.rating == GenieFeedbackRating.POSITIVE


async def test_a_rating_genie_refuses_is_still_kept(genie_api: Server, store: QuestionStore):
    async with httpx.AsyncClient(base_url=genie_api.url, timeout=30) as http:
        body = (await http.post("/questions", json={"question": "How many parts?"})).json()
        await store.record_genie_ids(body["question_id"], "no-such-conversation", "no-such-msg")
        response = await http.post(
            f"/questions/{body['question_id']}/feedback", json={"rating": "negative"}
        )
    assert response.status_code == 200
    assert response.json()["sent_to_genie"] is False
    assert "Genie did not accept it" in response.json()["detail"]
    assert (await store.get_question(body["question_id"])).feedback == "negative"


async def test_a_thumbs_down_comment_reaches_the_genie_message(
    genie_api: Server, genie_server: Server, store: QuestionStore
):
    genie = WorkspaceClient(host=genie_server.url, token="local-genie", auth_type="pat")
    message = genie.genie.start_conversation_and_wait("inventory", "How many parts are there?")
    comment = "Counted discontinued parts too; I wanted active ones only."
    async with httpx.AsyncClient(base_url=genie_api.url, timeout=30) as http:
        body = (await http.post("/questions", json={"question": "How many parts?"})).json()
        await store.record_genie_ids(body["question_id"], message.conversation_id, message.id)
        url = f"/questions/{body['question_id']}/feedback"
        response = await http.post(url, json={"rating": "negative", "comment": f" {comment} "})
        too_long = await http.post(url, json={"rating": "negative", "comment": "x" * 2001})
    assert response.status_code == 200, response.text
    assert response.json()["sent_to_genie"] is True
    path = f"/api/2.0/genie/spaces/inventory/conversations/{message.conversation_id}"
    raw = httpx.get(f"{genie_server.url}{path}/messages/{message.id}", headers=GENIE_AUTH).json()
    assert "feedback" in raw, raw
    assert raw["feedback"] == {"rating": "NEGATIVE", "comment": comment}
    record = await store.get_question(body["question_id"])
    assert (record.feedback, record.feedback_comment) == ("negative", comment)
    assert too_long.status_code == 422 and "limit is 2000" in too_long.json()["detail"]


@pytest.fixture(scope="module")
def silent_genie() -> Iterator[int]:
    """A port that accepts connections and never answers: a hung Genie."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield listener.getsockname()[1]


async def test_a_genie_that_never_answers_does_not_hold_the_rating(
    api_redis_url: str,
    silent_genie: int,
    store: QuestionStore,
    tmp_path_factory: pytest.TempPathFactory,
):
    env = {"GENIE_PORT": str(silent_genie), "DATABRICKS_HOST": "", "GENIE_FEEDBACK_TIMEOUT_S": "1"}
    log = tmp_path_factory.mktemp("silent-genie-api") / "api.log"
    with start_api(api_redis_url, log, env=env) as api:
        async with httpx.AsyncClient(base_url=api.url, timeout=30) as http:
            body = (await http.post("/questions", json={"question": "How many parts?"})).json()
            await store.record_genie_ids(body["question_id"], "genie-conversation", "genie-msg")
            response = await http.post(
                f"/questions/{body['question_id']}/feedback", json={"rating": "positive"}
            )
    assert response.status_code == 200, response.text
    assert response.json()["sent_to_genie"] is False
    assert "did not answer within 1 s" in response.json()["detail"]
    assert (await store.get_question(body["question_id"])).feedback == "positive"

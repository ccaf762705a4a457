"""A question waiting in the queue: the page's status line follows its countdown.

The chunks are published as a worker's backlog ticker would (tests/reliability/
test_queue_countdown.py runs the ticker itself); no job is enqueued, so no worker takes
the question meanwhile and each step is the test's. The card keeps one status line that
shows the newest place and ETA, each once, never a stack of them.
"""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from redis.asyncio import Redis

from services.common.chunks import Chunk, DoneChunk, StatusChunk
from services.common.keys import redis_keys
from services.common.publisher import Publisher
from services.common.questions import QuestionStore
from services.common.waiting_messages import queued_message
from tests.services.dash_ui.conftest import SCREENSHOTS, save_screenshot

pytestmark = pytest.mark.browser

QUESTION = "Which parts are low on stock?"
#: (place, ETA s) as the ticker would publish them while the line moves
COUNTDOWN = [(3, 9), (3, 8), (2, 4), (2, 3)]


def _in_thread(coroutine):
    """Playwright's sync API owns this thread's event loop: run Redis work in another."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result(timeout=30)


async def _asked(redis_url: str) -> tuple[str, str]:
    redis = Redis.from_url(redis_url)
    try:
        store = QuestionStore(redis, redis_keys(), ttl_s=600)
        conversation = await store.create_conversation()
        record = await store.create_question(QUESTION, conversation.id)
        queued = StatusChunk(
            question_id=record.id, status="queued", message=queued_message(3), position=3
        )
        await Publisher(redis, redis_keys(), ttl_s=600).publish(queued)
        return conversation.id, record.id
    finally:
        await redis.aclose()


async def _publish(redis_url: str, chunk: Chunk) -> None:
    redis = Redis.from_url(redis_url)
    try:
        await Publisher(redis, redis_keys(), ttl_s=600).publish(chunk)
    finally:
        await redis.aclose()


def status_text(page) -> str:
    return page.locator(".iga-turn .iga-status-text").inner_text()


def test_the_status_line_follows_the_queue_countdown(page, redis_url: str) -> None:
    conversation_id, qid = _in_thread(_asked(redis_url))
    stored = {
        "conversation_id": conversation_id,
        "questions": [{"qid": qid, "question": QUESTION, "position": 3}],
    }
    page.evaluate("(value) => sessionStorage.setItem('conversation', value)", json.dumps(stored))
    page.reload()
    page.wait_for_function(
        "(text) => document.querySelector('.iga-turn .iga-status-text')?.textContent === text",
        arg=queued_message(3),
    )

    shown = []
    for position, eta_s in COUNTDOWN:
        message = queued_message(position, eta_s)
        chunk = StatusChunk(
            question_id=qid, status="queued", message=message, position=position, eta_s=eta_s
        )
        _in_thread(_publish(redis_url, chunk))
        page.wait_for_function(
            "(text) => document.querySelector('.iga-turn .iga-status-text')?.textContent === text",
            arg=message,
        )
        shown.append(message)
        assert page.locator(".iga-turn .iga-status-text").count() == 1
    save_screenshot(page, SCREENSHOTS / "queue_countdown.png")

    events = page.evaluate("window.__events")
    texts = [event["text"] for event in events if event["kind"] == "status"]
    assert texts[-len(COUNTDOWN) :] == shown, texts  # each step shown once, in order
    _in_thread(_publish(redis_url, DoneChunk(question_id=qid, status="cancelled", elapsed_ms=1)))

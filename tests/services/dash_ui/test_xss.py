"""Markup in a question or in Genie's content is shown as text, never run as HTML.

Each payload's ``onerror`` would set ``window.__xss`` if the browser ever parsed it as an
element (the image ``x`` fails to load at once), so the checks are the page's own state:
no injected element, and ``window.__xss`` still undefined.
"""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from redis.asyncio import Redis

from services.common.chunks import (
    AnswerChunk,
    DoneChunk,
    SourcesChunk,
    SqlChunk,
    StatusChunk,
    TableChunk,
    TextChunk,
)
from services.common.keys import redis_keys
from services.common.publisher import Publisher
from services.common.questions import QuestionStore

pytestmark = pytest.mark.browser

PAYLOAD = '<img src=x onerror="window.__xss=1">'
QUESTION = f"{PAYLOAD}What parts are low stock?"
INJECTED = "#chat img[src=x], #chat script, img[onerror], svg[onload]"


def assert_nothing_ran(page) -> None:
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator(INJECTED).count() == 0


def test_a_question_with_markup_is_shown_as_text(page) -> None:
    page.fill("#question-input", QUESTION)
    page.press("#question-input", "Enter")
    page.wait_for_selector(".iga-turn .iga-status:not(.is-running)", timeout=90_000)
    assert page.locator(".iga-bubble").inner_text() == QUESTION
    assert_nothing_ran(page)


async def _question_with_markup_from_genie(redis_url: str) -> tuple[str, str]:
    """A question whose every Genie-sourced field carries markup, published as a worker
    would; no job is enqueued, so no worker answers it instead."""
    redis = Redis.from_url(redis_url)
    try:
        store = QuestionStore(redis, redis_keys(), ttl_s=600)
        conversation = await store.create_conversation()
        record = await store.create_question(QUESTION, conversation.id)
        ids = {"question_id": record.id}
        await Publisher(redis, redis_keys(), ttl_s=600).publish(
            StatusChunk(**ids, status="queued", message=f"{PAYLOAD} queued", position=1),
            StatusChunk(**ids, status="executing", message=f"⚡ {PAYLOAD}"),
            SqlChunk(**ids, sql=f"SELECT '{PAYLOAD}' AS x", description=f"{PAYLOAD} parts"),
            TableChunk(
                **ids,
                columns=[{"name": f"{PAYLOAD}part", "type": "STRING"}],
                rows=[[PAYLOAD], ["<script>window.__xss=2</script>"]],
                row_count=2,
            ),
            SourcesChunk(
                **ids,
                sources=[
                    {
                        "doc": "reorder-policy-fasteners",
                        "title": f"{PAYLOAD}Reorder policy",
                        "section": "Approved suppliers",
                        "text": f"Only {PAYLOAD} <script>window.__xss=4</script>",
                    }
                ],
            ),
            TextChunk(**ids, delta=f"Low stock: {PAYLOAD}"),
            AnswerChunk(
                **ids,
                text=f"Low: {PAYLOAD} <script>window.__xss=3</script> [x](javascript:alert(1))",
                conversation_id=conversation.id,
                suggested_questions=[f"{PAYLOAD}Which supplier?"],
            ),
            DoneChunk(**ids, status="completed", elapsed_ms=5),
        )
        return conversation.id, record.id
    finally:
        await redis.aclose()


def test_genie_content_with_markup_is_shown_as_text(page, redis_url: str) -> None:
    # Playwright's sync API owns this thread's event loop: publish from another thread.
    with ThreadPoolExecutor(1) as pool:
        made = pool.submit(asyncio.run, _question_with_markup_from_genie(redis_url))
        conversation_id, qid = made.result(timeout=30)
    stored = {
        "conversation_id": conversation_id,
        "questions": [{"qid": qid, "question": QUESTION, "position": 1}],
    }
    # The page restores its conversation from sessionStorage after a refresh.
    page.evaluate("(value) => sessionStorage.setItem('conversation', value)", json.dumps(stored))
    page.reload()
    page.wait_for_selector(".iga-turn .iga-status:not(.is-running)", timeout=60_000)
    page.wait_for_timeout(500)  # let the grid and the answer render fully
    text = page.locator("#chat").inner_text()
    assert PAYLOAD in text  # shown, as text
    source = page.locator(".iga-source")  # a documents answer's source: title, then passage
    assert source.locator("summary").inner_text() == f"{PAYLOAD}Reorder policy — Approved suppliers"
    source.locator("summary").click()
    assert "Only" in source.locator(".iga-source-text").inner_text()
    assert_nothing_ran(page)

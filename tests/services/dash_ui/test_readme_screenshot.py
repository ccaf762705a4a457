"""The README's picture of the chat page, taken from the real page over the real stack.

Two conversations, the second answered (status, SQL open, table, answer, follow-ups),
and the history sidebar listing both; Genie takes a second a step, as a real space's
answer takes time. The page talks to an API of its own with a key of its own: history
is kept per owner, so the sidebar lists only this test's conversations whatever else the
session asked. Writes ``artifacts/screenshots/readme.png``; to refresh the README, run
this test and copy that file to ``docs/screenshot.png`` (with an emoji font installed,
e.g. Debian's fonts-noto-color-emoji, or the status icons are empty boxes).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from harness.processes import Server
from tests.services.dash_ui.conftest import (
    SCREENSHOTS,
    open_page,
    running_api,
    running_ui,
    save_screenshot,
)
from tests.services.dash_ui.test_chat_page import LOW_STOCK, ask, wait_until_done

pytestmark = pytest.mark.browser

EARLIER = "Which warehouse holds the most inventory value?"


@pytest.fixture(scope="module")
def own_ui(redis_url: str, worker_process: Server, tmp_path_factory) -> Iterator[Server]:
    key = f"readme-{uuid.uuid4().hex[:8]}"  # a fresh owner: an empty history
    with (
        running_api(redis_url, tmp_path_factory, API_KEYS=key) as api,
        running_ui(api, tmp_path_factory, UI_API_KEY=key) as ui,
    ):
        yield ui


def test_the_readme_picture_shows_an_answer_and_two_conversations(
    browser, own_ui, slow_genie
) -> None:
    context, page = open_page(browser, own_ui.url)
    try:
        ask(page, EARLIER)
        wait_until_done(page, 1)
        page.click("#new-conversation")
        page.wait_for_selector(".iga-turn", state="detached")
        ask(page, LOW_STOCK)
        wait_until_done(page, 1)

        card = page.locator(".iga-turn").nth(0)
        card.locator(".ag-row").first.wait_for()
        card.locator(".iga-sql-summary").click()
        assert "select" in card.locator("pre.iga-sql").inner_text().lower()
        assert card.locator(".iga-answer-text").inner_text().strip()
        history = page.locator(".iga-history-item")
        page.wait_for_function("document.querySelectorAll('.iga-history-item').length === 2")
        assert history.nth(0).inner_text().startswith(LOW_STOCK)  # newest first, current
        assert history.nth(1).inner_text().startswith(EARLIER)
        assert page.locator("#history-panel").is_visible()
        save_screenshot(page, SCREENSHOTS / "readme.png")
    finally:
        context.close()

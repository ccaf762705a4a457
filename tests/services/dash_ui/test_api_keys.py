"""The chat page against an API that requires keys: with UI_API_KEY it asks and streams
(each browser gets its own session, signed with the key: its server calls send it as a
Bearer token, its socket as the HttpOnly cookie); with a wrong key the user reads the
API's refusal instead of a blank wait."""

from __future__ import annotations

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
from tests.services.dash_ui.test_chat_page import ask, wait_until_done

pytestmark = pytest.mark.browser

KEY = "ui-test-key"


@pytest.fixture(scope="module")
def keyed_api(redis_url: str, worker_process: Server, tmp_path_factory) -> Iterator[Server]:
    with running_api(redis_url, tmp_path_factory, API_KEYS=f"someone-else,{KEY}") as api:
        yield api


@pytest.fixture(scope="module")
def keyed_ui(keyed_api: Server, tmp_path_factory) -> Iterator[Server]:
    with running_ui(keyed_api, tmp_path_factory, UI_API_KEY=KEY) as ui:
        yield ui


@pytest.fixture(scope="module")
def wrong_key_ui(keyed_api: Server, tmp_path_factory) -> Iterator[Server]:
    with running_ui(keyed_api, tmp_path_factory, UI_API_KEY="not-a-key") as ui:
        yield ui


def test_the_page_asks_and_streams_with_its_key(browser, keyed_ui: Server) -> None:
    context, page = open_page(browser, keyed_ui.url)
    try:
        ask(page, "How many parts are out of stock in Denver?")
        wait_until_done(page, 1)
        page.wait_for_selector(".iga-turn .iga-answer-text")
        assert page.inner_text(".iga-turn .iga-answer-text").strip()
        save_screenshot(page, SCREENSHOTS / "api_key_answer.png")
    finally:
        context.close()


def test_a_wrong_key_is_explained_on_the_page(browser, wrong_key_ui: Server) -> None:
    context, page = open_page(browser, wrong_key_ui.url)
    try:
        ask(page, "How many parts are out of stock in Denver?")
        page.wait_for_selector("text=/API key/i")
        save_screenshot(page, SCREENSHOTS / "api_key_refused.png")
    finally:
        context.close()

"""The chat page of `inventory-agent app` in a real browser, as the Apps proxy delivers it:
every request (page, the page's server calls, its websocket) carries the user's forwarded
identity, and the answer streams over a socket opened at the page's own origin."""

from __future__ import annotations

import httpx
import pytest

from tests.services.app.conftest import App
from tests.services.dash_ui.conftest import SCREENSHOTS, browser, save_screenshot  # noqa: F401
from tests.services.dash_ui.test_chat_page import ask, conversation, wait_until_done

pytestmark = pytest.mark.browser

CAROL = {"X-Forwarded-Email": "carol@example.com", "X-Forwarded-Access-Token": "dapi-carol"}
DAVE = {"X-Forwarded-Email": "dave@example.com", "X-Forwarded-Access-Token": "dapi-dave"}


def test_the_page_asks_as_its_user_and_streams_on_the_same_origin(browser, app: App) -> None:  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, extra_http_headers=CAROL)
    sockets: list[str] = []
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.on("websocket", lambda socket: sockets.append(socket.url))
        page.goto(app.url)
        page.wait_for_selector("#question-input")
        ask(page, "What parts are low stock?")
        wait_until_done(page, 1)
        page.wait_for_selector(".iga-turn .iga-answer-text")
        assert page.inner_text(".iga-turn .iga-answer-text").strip()
        qid = conversation(page)["questions"][0]["qid"]
        save_screenshot(page, SCREENSHOTS / "databricks_app_answer.png")
    finally:
        context.close()
    assert sockets and all(
        url.startswith(f"ws://127.0.0.1:{app.server.port}/ws/stream") for url in sockets
    )
    # The question is Carol's: the proxy's identity reached the API through the page.
    assert httpx.get(f"{app.url}/questions/{qid}", headers=CAROL).status_code == 200
    assert httpx.get(f"{app.url}/questions/{qid}", headers=DAVE).status_code == 404

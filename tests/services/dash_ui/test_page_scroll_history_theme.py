"""The chat page as a Genie user expects it, in headless Chromium over the real stack:
it follows the newest answer (unless the reader scrolled up), reopens a conversation
from the history sidebar in a new tab (a still-running answer goes on streaming), follows
the browser's dark mode, and takes a comment with a thumbs-down all the way to Genie."""

from __future__ import annotations

import re

import httpx
import pytest
import redis

from services.common.keys import RedisKeys
from services.common.settings import get_settings
from tests.services.dash_ui.conftest import SCREENSHOTS, open_page, save_screenshot
from tests.services.dash_ui.test_chat_page import (
    ask,
    assert_applied_exactly_once,
    conversation,
    wait_until_done,
)

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 768}


def newest_card_box(page) -> dict:
    return page.evaluate(
        """() => {
            const cards = document.querySelectorAll('.iga-turn');
            const box = cards[cards.length - 1].getBoundingClientRect();
            return {top: box.top, bottom: box.bottom, scrollY: window.scrollY,
                    innerHeight: window.innerHeight};
        }"""
    )


def wait_until_running_past_queue(page, turn: int) -> None:
    """The n-th answer is under way at Genie (its status line names a Genie step)."""
    page.wait_for_function(
        """(n) => {
            const el = document.querySelectorAll('.iga-turn')[n - 1];
            const text = el && el.querySelector('.iga-status-text').textContent;
            return !!text && /SQL|metadata|Executing|xecut/i.test(text);
        }""",
        arg=turn,
    )


def test_the_page_follows_the_newest_card_unless_the_reader_scrolled_up(page, slow_genie) -> None:
    page.set_viewport_size(LAPTOP)
    for turn, question in enumerate(
        ["What parts are low stock?", "just in Chicago", "Which suppliers deliver late?"],
        start=1,
    ):
        ask(page, question)
        wait_until_done(page, turn)
    page.wait_for_timeout(300)  # let the last grid and chart lay out (and be followed)
    box = newest_card_box(page)
    assert box["scrollY"] > 0, box
    assert box["top"] < box["innerHeight"] and box["bottom"] <= box["innerHeight"], box

    ask(page, "How many warehouses are there?")
    wait_until_running_past_queue(page, 4)
    page.mouse.move(640, 300)
    page.mouse.wheel(0, -1500)  # the reader goes back to an earlier answer
    page.wait_for_function("window.scrollY < document.documentElement.scrollHeight - 2000")
    held = page.evaluate("window.scrollY")
    wait_until_done(page, 4)
    page.wait_for_timeout(300)
    box = newest_card_box(page)
    assert box["scrollY"] == held, (held, box)  # not pulled down while reading
    assert box["bottom"] > box["innerHeight"], box
    page.screenshot(path=str(SCREENSHOTS / "scrolled_up_stays.png"))


def test_history_reopens_a_conversation_in_a_new_tab_with_its_running_answer(
    page, browser, stack, api_server, genie_server, slow_genie
) -> None:
    first_question = "Which warehouse holds the most inventory value?"
    ask(page, first_question)
    wait_until_done(page, 1)
    slower = {"step_delay_s": 2.0}  # time to open a new tab while the follow-up runs
    httpx.put(f"{genie_server.url}/local/config", json=slower).raise_for_status()
    ask(page, "just in Dallas")
    wait_until_running_past_queue(page, 2)
    asked = conversation(page)
    running = asked["questions"][1]["qid"]

    other, tab = open_page(browser, stack.url)
    try:
        entry = tab.locator(".iga-history-item", has_text=first_question).first
        entry.wait_for()
        assert "2 questions" in entry.inner_text()
        assert tab.locator(".iga-turn").count() == 0
        assert not httpx.get(f"{api_server.url}/questions/{running}").json()["finished"]
        entry.click()
        tab.wait_for_selector(".iga-turn:nth-child(2) .iga-status.is-running")
        wait_until_done(tab, 1)
        assert tab.locator(".iga-turn").nth(0).locator(".iga-answer-text").inner_text().strip()
        wait_until_done(tab, 2)
        reopened = conversation(tab)
        assert reopened["conversation_id"] == asked["conversation_id"]
        assert [q["qid"] for q in reopened["questions"]] == [q["qid"] for q in asked["questions"]]
        for entry_ in reopened["questions"]:
            assert_applied_exactly_once(tab, api_server.url, entry_["qid"])
        assert tab.locator(".iga-history-item.is-current").inner_text().startswith(first_question)
        assert tab.locator(".iga-bubble").nth(1).inner_text() == "just in Dallas"
        save_screenshot(tab, SCREENSHOTS / "history_reopened.png")
    finally:
        other.close()


def test_dark_mode_follows_the_browser(browser, stack) -> None:
    def luminance(css_color: str) -> float:
        red, green, blue = (float(x) for x in re.findall(r"[\d.]+", css_color)[:3])
        return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255

    dark = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    page = dark.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(stack.url)
        ask(page, "How many open purchase orders are overdue per supplier?")
        wait_until_done(page, 1)
        page.wait_for_selector(".iga-turn .ag-row")
        assert page.evaluate("document.documentElement.dataset.bsTheme") == "dark"
        colours = page.evaluate(
            """() => Object.fromEntries(Object.entries({
                body: 'body', card: '.iga-reply', grid: '.ag-root-wrapper',
                input: '#question-input'}).map(([name, selector]) => [name, [
                    getComputedStyle(document.querySelector(selector)).backgroundColor,
                    getComputedStyle(document.querySelector(selector)).color]]))"""
        )
        for name, (background, text) in colours.items():
            if "rgba(0, 0, 0, 0)" not in background:
                assert luminance(background) < 0.25, (name, background)
            assert luminance(text) > 0.6, (name, text)
        save_screenshot(page, SCREENSHOTS / "dark_mode.png")
    finally:
        dark.close()


def test_light_mode_is_the_default(page) -> None:
    assert page.evaluate("document.documentElement.dataset.bsTheme") == "light"


def test_thumbs_down_takes_a_comment(page, redis_url) -> None:
    """The page's part: the comment reaches the API with the rating. The API's part (on to
    the Genie message) is test_feedback_to_genie's: the session API is not given a Genie."""
    ask(page, "What is the total inventory value per warehouse?")
    wait_until_done(page, 1)
    card = page.locator(".iga-turn").nth(0)
    assert not card.locator(".iga-feedback-form").is_visible()
    card.locator("button[title='Not helpful']").click()
    form = card.locator(".iga-feedback-form")
    form.wait_for()
    comment = "Dallas looks too high: does it count in-transit stock?"
    form.locator("textarea").fill(comment)
    form.locator("button").click()
    page.wait_for_selector(".iga-feedback-form button:has-text('✓')")
    assert form.locator("button").inner_text().startswith("Comment s")
    assert form.locator("textarea").is_disabled()
    save_screenshot(page, SCREENSHOTS / "thumbs_down_comment.png")

    record = _question(redis_url, conversation(page)["questions"][0]["qid"])
    assert (record["feedback"], record["feedback_comment"]) == ("negative", comment)


def _question(redis_url: str, qid: str) -> dict[str, str]:
    """The question's record as the API keeps it (sync: Playwright's loop runs here)."""
    with redis.Redis.from_url(redis_url, decode_responses=True) as client:
        return client.hgetall(RedisKeys(get_settings().redis_namespace).question(qid))


def test_on_a_phone_the_history_opens_from_the_header(page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    ask(page, "How many warehouses are there?")
    page.wait_for_selector(".iga-turn")
    panel = page.locator("#history-panel")
    assert not panel.is_visible()
    page.click("#history-toggle")
    page.locator(".iga-history-item.is-current").wait_for()
    assert panel.is_visible()
    page.screenshot(path=str(SCREENSHOTS / "phone_history_open.png"))
    page.locator(".iga-history-item.is-current").click()
    panel.wait_for(state="hidden")
    wait_until_done(page, 1)

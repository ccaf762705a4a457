"""The chat page in headless Chromium over the real stack: Redis, local Genie (about 1 s
per step), agent server, API, worker and the Dash server, each its own process."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.services.dash_ui.conftest import SCREENSHOTS, save_screenshot

pytestmark = pytest.mark.browser

LOW_STOCK = "What parts are low stock?"
# The API shares one Genie answer between identical first questions for a while, so the
# tests that act mid-answer each ask a question of their own.
LATE_SUPPLIERS = "Which suppliers deliver late most often?"
CHICAGO_REORDER = "What should we reorder in Chicago?"
MONTHLY_DEMAND = "Show monthly demand for Brake Pad Set over the last 12 months."
OVERDUE = "How many open purchase orders are overdue?"


def ask(page, question: str) -> None:
    page.fill("#question-input", question)
    page.press("#question-input", "Enter")


def conversation(page) -> dict:
    return json.loads(page.evaluate("sessionStorage.getItem('conversation')") or "{}")


def live_store(page, qid: str) -> dict:
    key = json.dumps({"qid": qid, "type": "q-live"}, separators=(",", ":"))
    return json.loads(page.evaluate("(key) => sessionStorage.getItem(key)", key) or "{}")


def wait_until_done(page, turn: int) -> None:
    """The n-th answer (1-based) has ended: its status dot is no longer running."""
    page.wait_for_selector(
        f".iga-turn:nth-child({turn}) .iga-status:not(.is-running)", timeout=90_000
    )


def api_chunks(api_url: str, qid: str) -> list[dict]:
    response = httpx.get(f"{api_url}/questions/{qid}")
    response.raise_for_status()
    return response.json()["chunks"]


def assert_applied_exactly_once(page, api_url: str, qid: str) -> None:
    """Every chunk the API holds was applied once: none missed, none doubled."""
    chunks = api_chunks(api_url, qid)
    live = live_store(page, qid)
    assert live["seq"] == chunks[-1]["seq"] == len(chunks) - 1
    assert live["applied"] == len(chunks)
    answer = next(chunk["text"] for chunk in chunks if chunk["type"] == "answer")
    assert live["text"] == answer


def test_question_streams_status_sql_table_answer_then_follow_up(
    page, api_server, slow_genie
) -> None:
    ask(page, LOW_STOCK)
    page.wait_for_selector(".iga-status-text")
    wait_until_done(page, 1)

    events = page.evaluate("window.__events")
    statuses = [event["text"] for event in events if event["kind"] == "status"]
    first_answer = next(i for i, event in enumerate(events) if event["kind"] == "answer")
    generating = next(i for i, e in enumerate(events) if "SQL" in e.get("text", ""))
    executing = next(i for i, e in enumerate(events) if "xecuting" in e.get("text", ""))
    assert events[0]["kind"] == "status", events
    assert generating < executing < first_answer, statuses
    assert any(char.isdigit() for char in page.inner_text(".iga-elapsed"))

    card = page.locator(".iga-turn").nth(0)
    assert "select" in card.locator("pre.iga-sql").text_content().lower()
    card.locator(".ag-row").first.wait_for()  # the grid draws its rows after the card is done
    assert "row" in card.locator(".iga-rowcount").inner_text()
    assert card.locator(".iga-answer-text").inner_text().strip()
    assert card.locator(".iga-feedback").is_visible()
    first = conversation(page)
    qid = first["questions"][0]["qid"]
    assert_applied_exactly_once(page, api_server.url, qid)
    card.locator(".iga-sql-summary").click()
    save_screenshot(page, SCREENSHOTS / "answered.png")  # the README's: test_readme_screenshot
    page.set_viewport_size({"width": 1280, "height": 900})

    ask(page, "just in Chicago")
    wait_until_done(page, 2)
    second = conversation(page)
    assert second["conversation_id"] == first["conversation_id"]
    follow_up = second["questions"][1]["qid"]
    view = httpx.get(f"{api_server.url}/questions/{follow_up}").json()
    assert view["conversation_id"] == first["conversation_id"]
    assert view["status"] == "completed", view["chunks"][-3:]
    assert "chicago" in page.locator(".iga-turn").nth(1).inner_text().lower()

    page.set_viewport_size({"width": 390, "height": 844})
    save_screenshot(page, SCREENSHOTS / "phone_width.png")


def test_socket_closed_mid_answer_reconnects_and_loses_nothing(
    page, api_server, slow_genie
) -> None:
    ask(page, LATE_SUPPLIERS)
    page.wait_for_function("window.__events.some((e) => (e.text || '').includes('SQL'))")
    sockets_before = page.evaluate("window.__sockets.length")
    page.evaluate("window.__sockets[window.__sockets.length - 1].close()")
    page.wait_for_function(f"window.__sockets.length > {sockets_before}")
    # and a frame lost in the browser (as dash-extensions can): the seq gap reconnects too
    page.evaluate("window.__dropNextFrame = true")
    wait_until_done(page, 1)

    assert page.evaluate("window.__dropped") == 1
    assert page.evaluate("window.__sockets.length") >= sockets_before + 2
    qid = conversation(page)["questions"][0]["qid"]
    assert_applied_exactly_once(page, api_server.url, qid)


def test_a_lost_last_frame_comes_back_when_the_stream_ends(page, api_server) -> None:
    """A question's last frame can be pushed out by another question's frame, and no later
    frame of its own shows the gap: the page asks the server to close the socket once
    everything on it has ended, and resumes whatever it still holds as running."""
    page.evaluate("window.__dropFrameWith = 'done'")
    ask(page, "How many warehouses do we have?")
    wait_until_done(page, 1)

    assert page.evaluate("window.__dropped") == 1
    qid = conversation(page)["questions"][0]["qid"]
    assert_applied_exactly_once(page, api_server.url, qid)
    assert page.locator(".iga-turn .iga-status.is-completed").count() == 1


STALE_STORES = """() => {
  // Two questions on the page; Dash drops the result of the first frame's callback (it
  // does when the callback is asked again before applying it), so the stores it passes
  // to the second frame still hold what they held before the first.
  const iga = window.dash_clientside.iga;
  const C = window.igaContract;
  const noUpdate = window.dash_clientside.no_update;
  window.dash_clientside.callback_context = {
    states_list: [[{id: {qid: "q_stale_a"}}, {id: {qid: "q_stale_b"}}]],
  };
  const frame = (chunk) => ({data: JSON.stringify([chunk])});
  const lives = [{seq: -1}, {seq: -1}];
  const results = [{}, {}];
  const outcomes = [{}, {}];
  const done = {question_id: "q_stale_a", seq: 0, type: C.chunk.DONE,
                status: C.status.COMPLETED, elapsed_ms: 5};
  const status = {question_id: "q_stale_b", seq: 0, type: C.chunk.STATUS,
                  status: C.status.EXECUTING, message: "working"};
  iga.onFrame(frame(done), lives, results, outcomes, {});  // its result: dropped
  const [live, , outcome] = iga.onFrame(frame(status), lives, results, outcomes, {});
  const caughtUp = [live[0], live[1]];
  const [again] = iga.onFrame(frame({...status, seq: 1}), caughtUp, results,
                              [outcome[0], outcomes[1]], {});
  return {
    liveA: live[0] === noUpdate ? null : live[0],
    outcomeA: outcome[0] === noUpdate ? null : outcome[0],
    liveB: live[1] === noUpdate ? null : live[1],
    againA: again[0] === noUpdate ? "no update" : again[0],
  };
}"""


def test_a_frame_whose_writes_dash_dropped_is_written_by_the_next(page) -> None:
    stale = page.evaluate(STALE_STORES)

    assert stale["liveA"]["done"]["status"] == "completed"
    assert stale["outcomeA"]["done"]["status"] == "completed"
    assert stale["liveB"]["message"] == "working"
    assert stale["againA"] == "no update"  # once the store holds it, it is not rewritten


def test_refresh_mid_answer_resumes_the_conversation(page, api_server, slow_genie) -> None:
    ask(page, CHICAGO_REORDER)
    page.wait_for_function("window.__events.some((e) => (e.text || '').includes('SQL'))")
    page.reload()
    page.wait_for_selector(".iga-turn")
    wait_until_done(page, 1)

    assert page.locator(".iga-turn").count() == 1
    assert page.locator(".iga-bubble").inner_text() == CHICAGO_REORDER
    qid = conversation(page)["questions"][0]["qid"]
    assert_applied_exactly_once(page, api_server.url, qid)
    assert page.locator(".iga-turn .ag-row").count() > 0


def test_two_questions_in_flight_both_stream_on_one_socket(page, api_server, slow_genie) -> None:
    ask(page, MONTHLY_DEMAND)
    page.wait_for_selector(".iga-turn")
    ask(page, "Which warehouse holds the most inventory value?")
    wait_until_done(page, 1)
    wait_until_done(page, 2)

    for entry in conversation(page)["questions"]:
        assert_applied_exactly_once(page, api_server.url, entry["qid"])
    assert page.locator(".iga-turn").nth(0).locator(".iga-chart-line").count() == 1


def test_cancel_stops_a_running_question(page, api_server, slow_genie) -> None:
    ask(page, OVERDUE)
    page.wait_for_function("window.__events.some((e) => (e.text || '').includes('SQL'))")
    page.click(".iga-cancel")
    page.wait_for_selector(".iga-status.is-cancelled")
    qid = conversation(page)["questions"][0]["qid"]
    assert httpx.get(f"{api_server.url}/questions/{qid}").json()["status"] == "cancelled"
    assert not page.locator(".iga-cancel").is_visible()


def test_feedback_csv_and_follow_up_button(page, api_server) -> None:
    ask(page, OVERDUE)
    wait_until_done(page, 1)
    card = page.locator(".iga-turn").nth(0)

    card.locator(".iga-feedback button").first.click()
    page.wait_for_selector(".iga-feedback-note:has-text('Thanks')")
    qid = conversation(page)["questions"][0]["qid"]
    assert httpx.get(f"{api_server.url}/questions/{qid}").json()["feedback"] == "positive"

    with page.expect_download() as download:
        card.locator(".iga-csv").click()
    csv = Path(download.value.path()).read_text()
    assert len(csv.strip().splitlines()) >= 2  # header and at least one row

    follow_up = card.locator(".iga-followups button").first
    text = follow_up.inner_text()
    follow_up.click()
    wait_until_done(page, 2)
    assert page.locator(".iga-bubble").nth(1).inner_text() == text
    assert conversation(page)["questions"][1]["question"] == text


def test_a_failed_question_says_so_and_retries(page, genie_server) -> None:
    fault = {"fault": "fail", "fault_count": 1}
    httpx.put(f"{genie_server.url}/local/config", json=fault).raise_for_status()
    ask(page, "Which parts are out of stock?")
    page.wait_for_selector(".iga-error")
    assert page.locator(".iga-error").inner_text().strip()
    wait_until_done(page, 1)
    assert page.locator(".iga-turn .iga-status.is-failed").count() == 1

    page.click(".iga-error button")
    wait_until_done(page, 2)
    assert page.locator(".iga-turn").nth(1).locator(".iga-status.is-completed").count() == 1


def test_bad_input_gets_a_clear_message_and_markup_stays_text(page) -> None:
    page.press("#question-input", "Enter")
    page.wait_for_selector("#notice .alert")
    assert "Type a question first" in page.locator("#notice").inner_text()

    page.fill("#question-input", "x" * 5000)
    page.wait_for_function("document.querySelector('#question-input').value.length === 5000")
    page.press("#question-input", "Enter")
    # The API's own sentence about the limit, shown as it is (not the empty-box hint).
    page.wait_for_function("document.querySelector('#notice').innerText.includes('limit')")
    message = page.locator("#notice").inner_text()
    assert "5000 characters" in message and "Type a question" not in message, message
    assert page.locator(".iga-turn").count() == 0

    markup = "<b>bold</b> <img src=x onerror=alert(1)> parts low stock?"
    ask(page, markup)
    page.wait_for_selector(".iga-bubble")
    assert page.locator(".iga-bubble").inner_text() == markup
    assert page.locator(".iga-bubble b, .iga-bubble img").count() == 0
    wait_until_done(page, 1)
    page.wait_for_selector(".iga-turn .ag-row")


def test_new_conversation_starts_over(page) -> None:
    page.locator(".iga-chip").first.click()
    page.wait_for_selector(".iga-turn")
    wait_until_done(page, 1)
    first = conversation(page)["conversation_id"]
    page.click("#new-conversation")
    page.wait_for_selector(".iga-turn", state="detached")
    assert page.locator("#welcome").is_visible()
    ask(page, "How many open purchase orders are overdue?")
    wait_until_done(page, 1)
    assert conversation(page)["conversation_id"] != first

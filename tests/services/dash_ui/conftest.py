"""The chat page in a real headless Chromium, over the whole stack as real processes.

Session fixtures from tests/conftest.py start Redis, the local Genie, the agent server,
the API and a worker; ``ui_server`` adds ``inventory-agent ui`` pointed at that API.
Every page gets two instruments injected before the app loads: a MutationObserver that
records each status text and the first appearance of answer text, in order, and a
WebSocket wrapper that lets a test close the live socket or drop one frame.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.processes import CLI, Server, free_port, running

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[3] / "artifacts" / "screenshots"

INSTRUMENTS = (Path(__file__).parent / "instruments.js").read_text()


@contextlib.contextmanager
def running_api(
    redis_url: str, tmp_path_factory: pytest.TempPathFactory, **env: str
) -> Iterator[Server]:
    """An `inventory-agent api` of a test's own on the session Redis (``env``: API_KEYS …);
    the session's worker answers its questions."""
    port = free_port()
    log = tmp_path_factory.mktemp("api") / "api.log"
    argv = [*CLI, "api", "--port", str(port)]
    ready = f"http://127.0.0.1:{port}/healthz"
    with running(argv, port, log, env={"REDIS_URL": redis_url, **env}, ready_url=ready) as api:
        yield api


@contextlib.contextmanager
def running_ui(
    api: Server, tmp_path_factory: pytest.TempPathFactory, **env: str
) -> Iterator[Server]:
    """`inventory-agent ui` on a free port, talking to ``api`` (``env``: UI_API_KEY …)."""
    port = free_port()
    log = tmp_path_factory.mktemp("ui") / "ui.log"
    argv = [*CLI, "ui", "--port", str(port)]
    env = {"API_URL": api.url, "PUBLIC_API_URL": api.url, **env}
    with running(argv, port, log, env=env, ready_url=f"http://127.0.0.1:{port}/healthz") as ui:
        yield ui


@pytest.fixture(scope="session")
def ui_server(api_server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`inventory-agent ui` on a free port, talking to the session's API."""
    with running_ui(api_server, tmp_path_factory) as server:
        yield server


@pytest.fixture(scope="session")
def stack(ui_server: Server, worker_process: Server, genie_server: Server) -> Server:
    """Everything a question needs, answered by a worker; yields the UI server."""
    return ui_server


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Per module, not per session: Playwright's sync API runs an event loop in this thread
    while it is open, which would break every asyncio test collected after the UI tests."""
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium: apt-get install chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


def open_page(browser, url: str) -> tuple[object, object]:
    """A fresh browser context (its own cookie, so its own owner) on the chat page at
    ``url``, instrumented, once the composer is there; the caller closes the context."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(INSTRUMENTS)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(url)
    page.wait_for_selector("#question-input")
    return context, page


@pytest.fixture
def page(browser, stack: Server, request: pytest.FixtureRequest) -> Iterator[object]:
    """A fresh browser context on the chat page; a screenshot is saved when the test ends."""
    context, page = open_page(browser, stack.url)
    yield page
    save_screenshot(page, SCREENSHOTS / f"{request.node.name}.png")
    context.close()


def save_screenshot(page, path: Path) -> None:
    """The whole page with the composer where it sits (a full-page capture would leave the
    sticky composer floating over the middle): the viewport grows to the page's height."""
    path.parent.mkdir(parents=True, exist_ok=True)
    page.wait_for_load_state("networkidle")  # the last server-drawn parts (grid, chart)
    width = page.viewport_size["width"]
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": width, "height": height})
    page.screenshot(path=str(path))

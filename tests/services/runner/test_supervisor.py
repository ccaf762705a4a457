"""The supervisor: which line explains a death, restart with back-off, stop-all naming
the culprit — with real (tiny) child processes."""

from __future__ import annotations

import asyncio
import io
import sys

import pytest

from services.runner.supervisor import Backoff, Child, ErrorLines, OnExit, Supervisor

pytestmark = pytest.mark.timeout(60)

TRACEBACK = """\
2026-12-06 12:00:00 INFO arq.worker: Starting worker for 1 functions
Traceback (most recent call last):
  File "/app/services/worker/agent_client.py", line 96, in __init__
    self._client = openai.AsyncOpenAI(timeout=timeout)
TypeError: Invalid timeout: expected a number, None, a tuple or httpx2.Timeout
shutting down
"""


def _explain(output: str) -> str:
    errors = ErrorLines()
    for line in output.splitlines():
        errors.feed(line)
    return errors.explain()


def test_a_traceback_is_explained_by_its_exception_line() -> None:
    assert _explain(TRACEBACK).startswith("TypeError: Invalid timeout: expected a number")


def test_a_chained_traceback_is_explained_by_the_first_exception() -> None:
    chained = TRACEBACK + "\nDuring handling of the above exception, another exception occurred:\n"
    chained += "Traceback (most recent call last):\n  File 'x'\nRuntimeError: later\n"
    assert _explain(chained).startswith("TypeError: Invalid timeout")


def test_a_traceback_behind_a_log_prefix_is_found_too() -> None:
    uvicorn = (
        "ERROR:    Traceback (most recent call last):\n  File 'server.py'\n"
        "OverflowError: bind(): port must be 0-65535.\n\n"
        "During handling of the above exception, another exception occurred:\n\n"
        "Traceback (most recent call last):\n  File 'queues.py'\n"
        "asyncio.exceptions.CancelledError\n"
    )
    assert _explain(uvicorn) == "OverflowError: bind(): port must be 0-65535."


def test_a_validation_error_keeps_the_lines_that_name_the_setting() -> None:
    output = (
        "Traceback (most recent call last):\n  File 'settings.py'\n"
        "pydantic_core._pydantic_core.ValidationError: 1 validation error for Settings\n"
        "agent_read_timeout_s\n  Input should be a valid number [type=float_parsing]\n"
    )
    explained = _explain(output)
    assert explained.startswith("pydantic_core._pydantic_core.ValidationError")
    assert "agent_read_timeout_s" in explained


def test_without_a_traceback_the_first_error_log_line_then_the_last_line() -> None:
    assert _explain("starting\nERROR could not bind\nbye\n") == "ERROR could not bind"
    assert _explain("starting\nno inventory database at x\n") == "no inventory database at x"


def _python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


@pytest.mark.servers
def test_stop_all_names_the_child_that_died_and_why() -> None:
    out = io.StringIO()
    children = [
        Child("steady", _python("import time; time.sleep(60)")),
        Child("broken", _python("raise TypeError('Invalid timeout: got httpx.Timeout')")),
    ]
    code = asyncio.run(Supervisor(children, OnExit.STOP_ALL, out=out).run())
    output = out.getvalue()
    assert code == 1
    expected = "✗ broken failed (exited with code 1): TypeError: Invalid timeout: got httpx.Timeout"
    assert expected in output
    assert output.rstrip().splitlines()[-1].startswith("✗ broken failed")  # the last word
    assert "steady | stopped" in output


@pytest.mark.servers
def test_restart_brings_a_dead_child_back_with_growing_delays() -> None:
    out = io.StringIO()
    children = [Child("flaky", _python("import sys; print('boom', flush=True); sys.exit(3)"))]
    supervisor = Supervisor(
        children, OnExit.RESTART, out=out, backoff=Backoff(first_s=0.1, max_s=0.3, stable_s=60)
    )

    async def stop_after_three_restarts() -> None:
        while out.getvalue().count("restarting in") < 3:
            await asyncio.sleep(0.05)
        supervisor.stop()

    assert asyncio.run(supervisor.run(when_started=stop_after_three_restarts)) == 0
    restarts = [line for line in out.getvalue().splitlines() if "restarting in" in line]
    assert "exited with code 3" in restarts[0] and "(boom)" in restarts[0]
    assert [line.split("restarting in ")[1].split(" s")[0] for line in restarts[:3]] == [
        "0.1",
        "0.2",
        "0.3",
    ]


@pytest.mark.servers
def test_a_child_that_cannot_start_is_named_too() -> None:
    out = io.StringIO()
    children = [Child("ghost", ["/nonexistent/ghost-server"])]
    assert asyncio.run(Supervisor(children, OnExit.STOP_ALL, out=out).run()) == 1
    assert "✗ ghost failed (could not start): [Errno 2]" in out.getvalue()

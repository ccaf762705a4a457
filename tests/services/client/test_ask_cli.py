"""`inventory-agent ask` as a user runs it: a real process against the real pipeline."""

from __future__ import annotations

import re
import signal
import subprocess

import httpx
import pytest

from harness.processes import CLI, REPO_ROOT, Server, free_port
from harness.questions import unique

pytestmark = pytest.mark.timeout(120)


def ask(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, "ask", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=90
    )


def test_ask_prints_the_run_live_and_a_follow_up_continues_it(
    api_server: Server, worker_process: Server
) -> None:
    first = ask(unique("What parts are low stock?"), "--api-url", api_server.url)
    assert first.returncode == 0, first.stderr
    out = first.stdout
    assert re.search(r"^\[\s*\d+\.\ds\] ⏳ Queued", out, re.MULTILINE)
    assert "📝 Starting…" in out
    assert "SELECT" in out and "row(s)" in out
    assert "You could also ask:" in out
    assert re.search(r"✅ completed in \d+\.\d s$", out.strip())
    conversation_id = re.search(r"--conversation-id (c_\w+)", out).group(1)

    follow_up = ask(
        "Just in Chicago", "--conversation-id", conversation_id, "--api-url", api_server.url
    )
    assert follow_up.returncode == 0, follow_up.stderr
    assert f"in conversation {conversation_id}" in follow_up.stdout
    assert "✅ completed" in follow_up.stdout


def test_api_down_is_one_clear_line() -> None:
    result = ask("What parts are low stock?", "--api-url", f"http://127.0.0.1:{free_port()}")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot reach the API")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["   "], "the question is empty"),
        (["x" * 2001], "the limit is 2000"),
        (["Hi", "--conversation-id", "c_nope"], "c_nope"),
    ],
)
def test_refused_questions_say_why_in_one_line(
    api_server: Server, args: list[str], says: str
) -> None:
    result = ask(*args, "--api-url", api_server.url)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: the API refused the question (4")
    assert says in lines[0]


def test_ctrl_c_while_watching_cancels_the_question(
    api_server: Server, worker_process: Server, slow_genie: None
) -> None:
    process = subprocess.Popen(
        [*CLI, "ask", unique("What parts are low stock?"), "--api-url", api_server.url],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines = []
    for line in process.stdout:  # ends when the process exits
        lines.append(line)
        if "Starting" in line:
            process.send_signal(signal.SIGINT)
            break
    out, _ = process.communicate(timeout=30)
    assert process.returncode == 130
    question_id = re.search(r"question (q_\w+)", lines[0]).group(1)
    assert f"🛑 cancelled {question_id}" in out
    view = httpx.get(f"{api_server.url}/questions/{question_id}").json()
    assert view["finished"] and view["chunks"][-1]["status"] == "cancelled"

"""`inventory-agent genie ask`: one question, one JSON object, clear one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from harness.processes import CLI, REPO_ROOT, Server

pytestmark = pytest.mark.servers  # runs `inventory-agent genie ask` as a process

KEYS = {"conversation_id", "status", "sql", "columns", "rows", "text"}


def genie_ask(*args: str, server: Server | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOST": "127.0.0.1"}
    # Point LOCAL_GENIE_URL at the session server, or at a port nothing listens on.
    env["GENIE_PORT"] = str(server.port) if server else "9"
    return subprocess.run(
        [*CLI, "genie", "ask", *args],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=120,
    )


def test_in_process_over_a_database(demo_db: Path) -> None:
    done = genie_ask("--db", str(demo_db), "--json", "How many open purchase orders are overdue?")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer.keys() >= KEYS
    assert answer["status"] == "COMPLETED"
    assert answer["sql"].lower().startswith(("select", "with"))
    assert answer["columns"] and all({"name", "type"} == c.keys() for c in answer["columns"])
    assert answer["rows"] and all(isinstance(v, str) for v in answer["rows"][0])
    assert answer["text"]


def test_conversation_continues_on_the_running_server(genie_server: Server) -> None:
    first = genie_ask("--json", "What parts are low stock?", server=genie_server)
    assert first.returncode == 0, first.stderr
    conversation_id = json.loads(first.stdout)["conversation_id"]
    follow = genie_ask(
        "--conversation-id", conversation_id, "--json", "just in Seattle", server=genie_server
    )
    assert follow.returncode == 0, follow.stderr
    answer = json.loads(follow.stdout)
    assert answer["conversation_id"] == conversation_id
    assert answer["status"] == "COMPLETED"


def test_refusal_is_text_without_sql(demo_db: Path) -> None:
    done = genie_ask("--db", str(demo_db), "--json", "Delete all purchase orders")
    answer = json.loads(done.stdout)
    assert answer["status"] == "COMPLETED" and answer["sql"] is None and answer["text"]


def assert_one_line_error(done: subprocess.CompletedProcess[str], expected: str) -> None:
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], done.stderr
    assert "Traceback" not in done.stderr


def test_missing_database(tmp_path: Path) -> None:
    done = genie_ask("--db", str(tmp_path / "absent.duckdb"), "--json", "anything")
    assert_one_line_error(done, "no inventory database at")


def test_unknown_conversation(genie_server: Server) -> None:
    done = genie_ask("--conversation-id", "0" * 32, "--json", "hi", server=genie_server)
    assert_one_line_error(done, f"Conversation {'0' * 32} does not exist")


def test_conversation_needs_a_running_server() -> None:
    done = genie_ask("--conversation-id", "abc", "--json", "hi")
    assert_one_line_error(done, "no local Genie server answers")


def test_db_and_conversation_do_not_combine(demo_db: Path, genie_server: Server) -> None:
    args = ("--db", str(demo_db), "--conversation-id", "abc", "--json", "hi")
    assert_one_line_error(genie_ask(*args, server=genie_server), "do not combine")

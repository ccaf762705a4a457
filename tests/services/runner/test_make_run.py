"""`inventory-agent run` (what `make run` calls) starts every service, prints the URLs,
answers a question and stops cleanly on Ctrl-C; when a service dies at start it stops
the rest and says which one and why. On free ports, so it can run beside a developer's
own stack."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from harness.processes import CLI, REPO_ROOT, free_port

pytestmark = [pytest.mark.servers, pytest.mark.timeout(180)]

BANNER = "Inventory Genie Agent is running:"
SERVICES = ("redis", "genie", "agent", "worker", "api", "ui")


def _stack_env(demo_db: Path, tmp_path: Path) -> dict[str, str]:
    ports = {
        name: free_port()
        for name in ("API_PORT", "UI_PORT", "REDIS_PORT", "AGENT_PORT", "GENIE_PORT")
    }
    return {
        **os.environ,
        **{name: str(port) for name, port in ports.items()},
        "REDIS_URL": f"redis://127.0.0.1:{ports['REDIS_PORT']}/0",
        "REDIS_DATA_DIR": str(tmp_path / "redis"),
        "LOCAL_GENIE_DB": str(demo_db),
        "API_URL": f"http://127.0.0.1:{ports['API_PORT']}",
        "AGENT_URL": "",
        "DATABRICKS_HOST": "",
        "DATABRICKS_CONFIG_PROFILE": "",
    }


@contextmanager
def _run(env: dict[str, str], log_path: Path) -> Iterator[subprocess.Popen]:
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*CLI, "run"],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a process group of its own, as a terminal gives it
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal sends
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_run_starts_everything_prints_urls_and_stops_on_ctrl_c(
    demo_db: Path, tmp_path: Path
) -> None:
    env = _stack_env(demo_db, tmp_path)
    log_path = tmp_path / "run.log"
    with _run(env, log_path) as process:
        deadline = time.monotonic() + 120
        while BANNER not in log_path.read_text() and time.monotonic() < deadline:
            assert process.poll() is None, log_path.read_text()[-3000:]
            time.sleep(0.2)
        output = log_path.read_text()
        assert BANNER in output, output[-3000:]
        assert f"API          {env['API_URL']}" in output
        for name in SERVICES:
            assert re.search(rf"^\S+ {name}\s+\| started \(pid \d+\)", output, re.MULTILINE), name

        asked = subprocess.run(
            [*CLI, "ask", "What parts are low stock?"],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert asked.returncode == 0, asked.stdout + asked.stderr
        assert "✅ completed" in asked.stdout
    assert process.returncode == 0
    output = log_path.read_text()
    for name in SERVICES:
        assert re.search(rf"^\S+ {name}\s+\| stopped", output, re.MULTILINE), output[-2000:]


@pytest.mark.parametrize(
    ("bad_setting", "error"),
    [
        # a traceback: its exception line is the explanation
        ({"GENIE_PORT": "70000"}, "OverflowError: bind(): port must be 0-65535"),
        # a plain message on exit
        ({"LOCAL_GENIE_DB": "missing.duckdb"}, "no inventory database at"),
    ],
    ids=["traceback", "message"],
)
def test_a_service_failing_at_start_is_named_with_its_error(
    demo_db: Path, tmp_path: Path, bad_setting: dict[str, str], error: str
) -> None:
    env = {**_stack_env(demo_db, tmp_path), **bad_setting}
    log_path = tmp_path / "run.log"
    with _run(env, log_path) as process:
        process.wait(60)
    output = log_path.read_text()
    assert process.returncode == 1, output[-3000:]
    last = output.rstrip().splitlines()[-1]
    assert re.match(r"✗ genie failed \(exited with code \d+\): ", last), output[-3000:]
    assert error in last
    for name in ("redis", "api", "ui"):
        assert re.search(rf"^\S+ {name}\s+\| stopped", output, re.MULTILINE), name

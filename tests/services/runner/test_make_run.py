"""`make run`'s process set (honcho + the Procfile) starts, answers a question, and
stops cleanly on Ctrl-C — on free ports, so it can run beside a developer's own."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

from harness.processes import CLI, REPO_ROOT, free_port

pytestmark = [pytest.mark.timeout(180), pytest.mark.servers]

BANNER = "Inventory Genie Agent is running:"


def test_the_procfile_starts_everything_prints_urls_and_stops_on_ctrl_c(
    demo_db: Path, tmp_path: Path
) -> None:
    ports = {name: free_port() for name in ("API_PORT", "REDIS_PORT", "AGENT_PORT", "GENIE_PORT")}
    env = {
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
    log_path = tmp_path / "honcho.log"
    with log_path.open("wb") as log:
        honcho = subprocess.Popen(
            [str(REPO_ROOT / ".venv/bin/honcho"), "start", "-f", "Procfile"],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 120
        while BANNER not in log_path.read_text() and time.monotonic() < deadline:
            assert honcho.poll() is None, log_path.read_text()[-3000:]
            time.sleep(0.2)
        output = log_path.read_text()
        assert BANNER in output, output[-3000:]
        assert f"API          http://127.0.0.1:{ports['API_PORT']}" in output
        for name in ("redis.1", "genie.1", "agent.1", "worker.1", "api.1", "urls.1"):
            assert re.search(rf"^\S+ {re.escape(name)}\s+\|", output, re.MULTILINE), name

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
    finally:
        os.killpg(honcho.pid, signal.SIGINT)  # what Ctrl-C in the terminal sends
        try:
            honcho.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(honcho.pid, signal.SIGKILL)
            honcho.wait()
    output = log_path.read_text()
    for name in ("redis.1", "genie.1", "agent.1", "worker.1", "api.1", "urls.1"):
        assert f"{name} stopped" in output, output[-2000:]

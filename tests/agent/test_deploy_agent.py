"""deploy_agent: the dry run calls nothing; the logged model is agent/ alone and, in a fresh
venv built from nothing but its requirements.txt, loads and streams an answer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from harness.processes import CLI, REPO_ROOT, Server
from tests.conftest import local_genie_env

DEPLOY = [CLI[0], "-m", "agent.deploy_agent"]
QUESTION = "How many warehouses are there?"
#: streams the logged model in whatever interpreter runs it, printing each contract kind
STREAM_SCRIPT = """
import json, sys, mlflow
model = mlflow.pyfunc.load_model(sys.argv[1])
request = {"input": [{"role": "user", "content": sys.argv[2]}]}
for event in model.predict_stream(request):
    outputs = event.get("custom_outputs") or {}
    kind, status = outputs.get("kind"), outputs.get("status")
    print(json.dumps({"type": event["type"], "kind": kind, "status": status}), flush=True)
"""


def test_dry_run_prints_the_plan_and_calls_nothing() -> None:
    env = {"PATH": "/usr/bin:/bin", "GENIE_SPACE_ID": "space-123", "DATABRICKS_HOST": ""}
    result = subprocess.run(
        [*DEPLOY, "--dry-run", "--warehouse-id", "wh-1"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    plan = json.loads(result.stdout[: result.stdout.rindex("}") + 1])
    assert plan["genie_space_id"] == "space-123" and plan["warehouse_id"] == "wh-1"
    assert plan["endpoint_name"] == "inventory-genie-agent-endpoint"
    assert plan["environment_vars"]["GENIE_SPACE_ID"] == "space-123"
    assert plan["code_paths"] == [str(REPO_ROOT / "agent")]
    assert "dry run" in result.stdout


def test_bad_uc_model_name_is_refused_clearly() -> None:
    result = subprocess.run(
        [*DEPLOY, "--dry-run", "--uc-model-name", "just_a_name"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "catalog.schema.model" in result.stderr
    assert "Traceback" not in result.stderr


def _log_only(genie_server: Server, store: Path) -> str:
    """``--log-only`` to a ``file:`` store named by MLFLOW_TRACKING_URI alone; the model URI."""
    env = {**os.environ, **local_genie_env(genie_server), "MLFLOW_TRACKING_URI": store.as_uri()}
    env.pop("MLFLOW_ALLOW_FILE_STORE", None)
    result = subprocess.run(
        [*DEPLOY, "--log-only"], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1]


def _model_dir(store: Path) -> Path:
    [model_file] = [p for p in store.rglob("MLmodel") if (p.parent / "code").is_dir()]
    return model_file.parent


def _stream(python: str, model_uri: str, env: dict[str, str], cwd: Path) -> list[dict]:
    result = subprocess.run(
        [python, "-c", STREAM_SCRIPT, model_uri, QUESTION],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def _answered(events: list[dict]) -> bool:
    answers = [e for e in events if e["kind"] == "answer"]
    return (
        events[0]["type"] == "response.created"
        and events[-1]["type"] == "response.completed"
        and [a["status"] for a in answers] == ["completed"]
        and {"tool_call", "sql", "table", "tool_result"} <= {e["kind"] for e in events}
    )


def test_logged_model_is_agent_alone_and_streams_an_answer(
    genie_server: Server, tmp_path: Path
) -> None:
    store = tmp_path / "mlruns"
    model_uri = _log_only(genie_server, store)
    code = _model_dir(store) / "code"
    assert [p.name for p in code.iterdir()] == ["agent"]
    env = {**os.environ, **local_genie_env(genie_server), "MLFLOW_TRACKING_URI": store.as_uri()}
    env["MLFLOW_ALLOW_FILE_STORE"] = "true"
    assert _answered(_stream(sys.executable, model_uri, env, tmp_path))


def test_logged_model_loads_in_a_fresh_venv_from_its_requirements(
    genie_server: Server, tmp_path: Path
) -> None:
    """What Model Serving's build does: a new environment from requirements.txt alone.

    Takes minutes (pip installs MLflow and databricks-sdk); prints the times it took.
    """
    store = tmp_path / "mlruns"
    _log_only(genie_server, store)
    model_dir = _model_dir(store)
    venv = tmp_path / "fresh-venv"
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = str(venv / "bin" / "python")
    requirements = str(model_dir / "requirements.txt")
    install = subprocess.run(
        [python, "-m", "pip", "install", "-q", "-r", requirements],
        capture_output=True,
        text=True,
        timeout=1500,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    installed = time.monotonic()
    # Only the venv and the model: no repo on the path, no variable but the local Genie's.
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), **local_genie_env(genie_server)}
    events = _stream(python, str(model_dir), env, tmp_path)
    streamed = time.monotonic()
    assert _answered(events)
    print(
        f"\nfresh venv: pip install {installed - started:.1f} s, "
        f"load + stream one answer {streamed - installed:.1f} s; "
        f"code/ holds {sorted(p.name for p in (model_dir / 'code').iterdir())}"
    )

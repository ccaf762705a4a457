"""deploy_agent: the dry run calls nothing; the logged model loads back and streams."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import mlflow
import pytest

from agent.deploy_agent import build_parser, log_agent, make_plan
from agent.stream_contract import Kind, read_event
from harness.processes import CLI, REPO_ROOT, Server
from services.common.settings import get_settings
from tests.conftest import local_genie_env

DEPLOY = [CLI[0], "-m", "agent.deploy_agent"]


def test_dry_run_prints_the_plan_and_calls_nothing() -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "GENIE_SPACE_ID": "space-123",
        "DATABRICKS_HOST": "",
        "DOCS_VECTOR_INDEX": "main.inventory.docs_index",
    }
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
    assert plan["docs_vector_index"] == "main.inventory.docs_index"
    assert plan["environment_vars"]["DOCS_VECTOR_INDEX"] == "main.inventory.docs_index"
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


def test_logged_model_loads_back_and_streams_an_answer(
    genie_server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in local_genie_env(genie_server).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("MLFLOW_TRACKING_URI", (tmp_path / "mlruns").as_uri())
    monkeypatch.setenv("MLFLOW_ALLOW_FILE_STORE", "true")
    get_settings.cache_clear()
    try:
        plan = make_plan(get_settings(), build_parser().parse_args(["--log-only"]))
        model_info = log_agent(plan)
        model = mlflow.pyfunc.load_model(model_info.model_uri)
        request = {"input": [{"role": "user", "content": "How many warehouses are there?"}]}
        events = [read_event(dict(event)) for event in model.predict_stream(request)]
    finally:
        get_settings.cache_clear()
    kinds = [kind for kind, _ in events]
    assert kinds[0] == Kind.STATUS and kinds[-1] == Kind.ANSWER
    assert events[-1][1]["status"] == "completed"
    assert Kind.SQL in kinds and Kind.TABLE in kinds

"""The Databricks bundle and app.yaml agree with each other and with the console script.

No workspace is reachable here, so this checks what can be checked offline: the app
resource `databricks bundle run` names, that every ``valueFrom`` in app.yaml is a
resource the bundle declares, and that the app's command is a real entry point.
"""

from __future__ import annotations

import subprocess

import pytest
import yaml

from harness.processes import REPO_ROOT
from services.common.settings import Settings

APP_KEY = "inventory-optimization-app"


@pytest.fixture(scope="module")
def bundle() -> dict:
    return yaml.safe_load((REPO_ROOT / "databricks.yml").read_text())


@pytest.fixture(scope="module")
def app_yaml() -> dict:
    return yaml.safe_load((REPO_ROOT / "app.yaml").read_text())


@pytest.fixture(scope="module")
def app(bundle: dict) -> dict:
    return bundle["resources"]["apps"][APP_KEY]


def test_the_app_and_its_targets(bundle, app):
    assert app["source_code_path"] == "."
    assert set(bundle["targets"]) == {"dev", "prod"}
    assert bundle["targets"]["dev"]["default"] is True


def test_the_agent_endpoint_and_genie_space_are_app_resources(app):
    resources = {resource["name"]: resource for resource in app["resources"]}
    endpoint = resources["agent-endpoint"]["serving_endpoint"]
    assert endpoint == {"name": "${var.agent_endpoint_name}", "permission": "CAN_QUERY"}
    space = resources["genie-space"]["genie_space"]
    assert space["space_id"] == "${var.genie_space_id}" and space["permission"] == "CAN_RUN"


def test_every_variable_used_is_declared(bundle):
    text = (REPO_ROOT / "databricks.yml").read_text()
    used = {word.split("}")[0] for word in text.split("${var.")[1:]}
    assert used <= set(bundle["variables"])


def test_app_yaml_env_comes_from_declared_resources_into_real_settings(app, app_yaml):
    declared = {resource["name"] for resource in app["resources"]}
    fields = {name.upper() for name in Settings.model_fields}
    for variable in app_yaml["env"]:
        assert variable["valueFrom"] in declared, variable
        assert variable["name"] in fields, variable


def test_the_app_command_is_the_ui_entry_point(app_yaml):
    command = app_yaml["command"]
    assert command[:2] == ["inventory-agent", "ui"]
    assert command[command.index("--port") + 1] == "$DATABRICKS_APP_PORT"
    result = subprocess.run(
        [str(REPO_ROOT / ".venv" / "bin" / "inventory-agent"), "ui", "--help"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr

"""The Databricks bundle, app.yaml and requirements.txt, checked offline.

No workspace is reachable here, so this checks what can be checked without one:
databricks.yml is valid against the Databricks CLI's own bundle JSON schema (a copy
under tests/bundle_schema/, with the commit it came from), every reference in it points
at something declared, app.yaml's environment comes from the app's declared resources
into real settings, and the app's command runs from the source tree.
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest
import yaml

from harness.processes import CLI, REPO_ROOT
from services.common.settings import Settings

jsonschema = pytest.importorskip("jsonschema")

SCHEMA = REPO_ROOT / "tests" / "bundle_schema" / "jsonschema.json"
APP_KEY = "inventory_app"


@pytest.fixture(scope="module")
def bundle() -> dict:
    return yaml.safe_load((REPO_ROOT / "databricks.yml").read_text())


@pytest.fixture(scope="module")
def app_yaml() -> dict:
    return yaml.safe_load((REPO_ROOT / "app.yaml").read_text())


@pytest.fixture(scope="module")
def app(bundle: dict) -> dict:
    return bundle["resources"]["apps"][APP_KEY]


def _schema() -> dict:
    """The CLI's schema, its Go regexes' Unicode classes spelled for Python's ``re``:
    ``[\\p{L}\\p{N}]`` (a letter or digit) is ``[^\\W_]``; ``\\p{L}`` (a letter) is
    ``[^\\W\\d_]``."""
    text = SCHEMA.read_text()
    text = text.replace(r"[\\p{L}\\p{N}]", r"[^\\W_]").replace(r"\\p{L}", r"[^\\W\\d_]")
    assert r"\\p{" not in text
    return json.loads(text)


def _leaf_errors(error: jsonschema.ValidationError) -> list[str]:
    """A oneOf failure explained by what each branch found wrong, deepest first."""
    if not error.context:
        return [f"{'/'.join(map(str, error.absolute_path))}: {error.message[:200]}"]
    deepest = max(len(sub.absolute_path) for sub in error.context)
    return [
        line
        for sub in error.context
        if len(sub.absolute_path) == deepest
        for line in _leaf_errors(sub)
    ]


def test_the_bundle_is_valid_against_the_cli_schema(bundle: dict) -> None:
    validator = jsonschema.Draft202012Validator(_schema())
    errors = [line for error in validator.iter_errors(bundle) for line in _leaf_errors(error)]
    assert not errors, "\n".join(errors)


def test_the_schema_check_catches_a_mistake(bundle: dict) -> None:
    broken = json.loads(json.dumps(bundle))
    broken["resources"]["apps"][APP_KEY]["resources"][0]["serving_endpoint"]["permission"] = (
        "CAN_EVERYTHING"
    )
    assert not jsonschema.Draft202012Validator(_schema()).is_valid(broken)


def test_dev_and_prod_targets(bundle: dict) -> None:
    assert set(bundle["targets"]) == {"dev", "prod"}
    assert bundle["targets"]["dev"]["default"] is True
    assert bundle["variables"]["scale_to_zero"]["default"] is True
    assert bundle["targets"]["prod"]["variables"]["scale_to_zero"] is False


def test_every_reference_is_declared(bundle: dict) -> None:
    text = (REPO_ROOT / "databricks.yml").read_text()
    variables = set(re.findall(r"\$\{var\.([\w-]+)\}", text))
    assert variables <= set(bundle["variables"])
    for kind, key in re.findall(r"\$\{resources\.(\w+)\.(\w+)\.", text):
        assert key in bundle["resources"][kind], (kind, key)


def test_the_app_holds_only_what_it_uses_with_the_least_permission(app: dict) -> None:
    resources = {resource["name"]: resource for resource in app["resources"]}
    assert set(resources) == {"agent-endpoint", "redis-url"}  # no Genie space, no warehouse
    assert resources["agent-endpoint"]["serving_endpoint"]["permission"] == "CAN_VIEW"
    assert resources["redis-url"]["secret"]["permission"] == "READ"
    assert app["user_api_scopes"] == ["serving.serving-endpoints"]
    assert app["permissions"] == [{"group_name": "${var.user_group}", "level": "CAN_USE"}]


def test_the_endpoint_serves_the_registered_model_to_the_group(bundle: dict) -> None:
    endpoint = bundle["resources"]["model_serving_endpoints"]["agent"]
    (entity,) = endpoint["config"]["served_entities"]
    assert "registered_models.agent_model" in entity["entity_name"]
    assert entity["entity_version"] == "${var.agent_version}"
    assert entity["scale_to_zero_enabled"] == "${var.scale_to_zero}"
    assert {"GENIE_SPACE_ID", "DATABRICKS_WAREHOUSE_ID"} <= set(entity["environment_vars"])
    assert endpoint["permissions"] == [{"group_name": "${var.user_group}", "level": "CAN_QUERY"}]


def test_the_register_job_runs_a_file_that_exists(bundle: dict) -> None:
    (task,) = bundle["resources"]["jobs"]["register_agent"]["tasks"]
    assert (REPO_ROOT / task["spark_python_task"]["python_file"]).is_file()


def test_app_yaml_env_comes_from_declared_resources_into_real_settings(app, app_yaml) -> None:
    declared = {resource["name"] for resource in app["resources"]}
    fields = {name.upper() for name in Settings.model_fields}
    for variable in app_yaml["env"]:
        assert variable["name"] in fields, variable
        assert variable.get("valueFrom", declared.copy().pop()) in declared, variable
    env = {variable["name"]: variable for variable in app_yaml["env"]}
    assert env["AUTH_MODE"]["value"] == "databricks-apps"


def test_the_app_command_runs_the_app_from_source(app_yaml) -> None:
    assert app_yaml["command"] == ["python", "-m", "cli.main", "app"]
    result = subprocess.run([*CLI, "app", "--help"], cwd=REPO_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "DATABRICKS_APP_PORT" in result.stdout


def test_the_app_installs_exactly_the_lock() -> None:
    lines = (REPO_ROOT / "requirements.txt").read_text().splitlines()
    assert [line for line in lines if line and not line.startswith("#")] == ["-r requirements.lock"]

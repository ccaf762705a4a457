"""docker-compose.yml runs the stack the project describes, with commands that exist.

There is no Docker engine here: the file's structure is checked as data, the Compose
binary validates it when installed (.ci/run installs Debian's docker-compose), and every
service command is run with ``--help`` through the project's own console script.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from agent.settings import AgentSettings
from harness.processes import REPO_ROOT
from services.common.settings import Settings
from services.worker.agent_client import make_agent_client

COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
ENV_EXAMPLE = REPO_ROOT / ".env.example"
CONSOLE_SCRIPT = Path(REPO_ROOT / ".venv" / "bin" / "inventory-agent")
HEALTH_PATHS = {"genie": "/healthz", "agent": "/health", "api": "/healthz", "ui": "/healthz"}
APP_SERVICES = ("genie", "agent", "worker", "api", "ui")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def services(compose: dict) -> dict:
    return compose["services"]


def command_words(service: dict) -> list[str]:
    command = service["command"]
    return shlex.split(command) if isinstance(command, str) else list(command)


def project_commands(service: dict) -> list[list[str]]:
    """The ``inventory-agent …`` invocations in a service's command, shell or not."""
    words = command_words(service)
    if words[:2] == ["sh", "-c"]:
        words = shlex.split(words[2].replace(";", " ; ").replace("||", " || "))
    commands, current = [], None
    for word in words:
        if word == "inventory-agent":
            current = []
            commands.append(current)
        elif word in {";", "||", "&&"} or word == "exec":
            current = None
        elif current is not None:
            current.append(word)
    return commands


def subcommand(arguments: list[str]) -> list[str]:
    """The sub-command words (``genie serve``), without the options that follow."""
    words = []
    for word in arguments:
        if word.startswith("-"):
            break
        words.append(word)
    return words


def test_the_stack_has_the_six_services(services):
    assert set(services) == {"redis", *APP_SERVICES}


def test_redis_is_the_official_image_persisting_on_a_volume(compose, services):
    redis = services["redis"]
    assert redis["image"].startswith("redis:")
    assert "--appendonly" in command_words(redis)
    assert redis["healthcheck"]["test"][1:] == ["redis-cli", "ping"]
    volume = redis["volumes"][0].split(":")
    assert volume[1] == "/data" and volume[0] in compose["volumes"]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_every_app_service_runs_the_one_image_through_the_console_script(services, name):
    service = services[name]
    assert service["build"] == "."
    assert service["image"] == services["api"]["image"]
    assert project_commands(service), f"{name} does not run inventory-agent"


@pytest.mark.parametrize(("name", "path"), HEALTH_PATHS.items())
def test_http_services_check_their_health_with_python_not_curl(services, name, path):
    test = services[name]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"]
    assert "urllib.request" in test[3] and f"{path}'" in test[3]
    port = {"genie": "8090", "agent": "8070", "api": "8000", "ui": "8050"}[name]
    assert f":{port}{path}" in test[3]
    assert f"--port {port}" in " ".join(command_words(services[name]))


def test_dependencies_wait_for_health(services):
    expected = {"agent": "genie", "worker": "redis", "api": "redis", "ui": "api"}
    for name, dependency in expected.items():
        assert services[name]["depends_on"] == {dependency: {"condition": "service_healthy"}}
    assert "depends_on" not in services["genie"]


def test_only_ui_and_api_publish_ports(services):
    published = {name: service.get("ports") for name, service in services.items()}
    assert published.pop("api") == ["8000:8000"]
    assert published.pop("ui") == ["8050:8050"]
    assert all(ports is None for ports in published.values()), published


def test_local_genie_and_agent_are_the_local_profile_only(services):
    for name, service in services.items():
        assert service.get("profiles") == (["local"] if name in ("genie", "agent") else None)
    for name in ("worker", "api", "ui"):
        assert set(services[name].get("depends_on", {})).isdisjoint({"genie", "agent"})


def test_workers_can_be_scaled(services):
    worker = services["worker"]
    assert "container_name" not in worker and "ports" not in worker


def test_the_genie_service_generates_its_data_only_when_missing(compose, services):
    genie = services["genie"]
    script = command_words(genie)[2]
    assert script.startswith("test -f /app/data/inventory.duckdb")
    assert any(volume.endswith(":/app/data") for volume in genie["volumes"])
    assert [subcommand(c) for c in project_commands(genie)] == [
        ["data", "generate"],
        ["genie", "serve"],
    ]


def test_every_setting_reaches_the_containers_and_is_documented(services):
    # The services' settings and the agent's own (one .env configures both).
    fields = {name.upper() for name in (*Settings.model_fields, *AgentSettings.model_fields)}
    for name in APP_SERVICES:
        assert fields <= set(services[name]["environment"]), name
    documented = {
        line.split("=", 1)[0]
        for line in ENV_EXAMPLE.read_text().splitlines()
        if "=" in line and not line.startswith("#")
    }
    assert fields - documented == set(), "settings missing from .env.example"
    assert documented - fields == {"COMPOSE_PROFILES"}
    assert "COMPOSE_PROFILES=local" in ENV_EXAMPLE.read_text().splitlines()


def test_the_env_example_is_a_valid_settings_file():
    settings = Settings(_env_file=ENV_EXAMPLE)
    assert settings.genie_is_local and settings.agent_url is None
    agent = AgentSettings(_env_file=ENV_EXAMPLE)
    assert agent.genie_is_local and not agent.llm_configured


def interpolated(env_file: Path) -> dict:
    """The stack as Compose reads it with ``env_file`` (what `docker compose up` runs)."""
    binary = shutil.which("docker-compose")
    if binary is None:
        pytest.skip("docker-compose is not installed (.ci/run installs Debian's package)")
    result = subprocess.run(
        [binary, "--env-file", str(env_file), "-f", str(COMPOSE_FILE), "config"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)["services"]


def test_containers_reach_each_other_by_service_name():
    """`cp .env.example .env && docker compose up`: the worker streams the agent container."""
    environment = interpolated(ENV_EXAMPLE)["worker"]["environment"]
    assert environment["REDIS_URL"] == "redis://redis:6379/0"
    assert environment["AGENT_URL"] == "http://agent:8070"
    assert environment["API_URL"] == "http://api:8000"
    assert environment["LOCAL_GENIE_BASE_URL"] == "http://genie:8090"


def test_the_agent_container_and_the_worker_share_a_token_out_of_the_box():
    """The agent listens on 0.0.0.0, where serve-agent refuses to run without a token."""
    stack = interpolated(ENV_EXAMPLE)
    tokens = {stack[name]["environment"]["AGENT_TOKEN"] for name in ("agent", "worker")}
    assert tokens == {"compose-network-only"}
    assert "ports" not in stack["agent"]


def test_databricks_mode_streams_the_named_endpoint(tmp_path: Path, monkeypatch):
    """With the Databricks block filled in, the worker's settings choose the endpoint."""
    env_file = tmp_path / ".env"
    env_file.write_text(
        ENV_EXAMPLE.read_text()
        + "\nCOMPOSE_PROFILES=\nAGENT_ENDPOINT_NAME=inventory-agent\n"
        + "DATABRICKS_HOST=https://example.cloud.databricks.com\nDATABRICKS_TOKEN=dapi-x\n"
        + "GENIE_SPACE_ID=space\n"
    )
    for name, value in interpolated(env_file)["worker"]["environment"].items():
        monkeypatch.setenv(name, "" if value is None else str(value))
    settings = Settings(_env_file=None)
    assert settings.agent_endpoint_name == "inventory-agent"
    assert make_agent_client(settings).name != "http"  # the endpoint wins over AGENT_URL


def test_compose_validates_the_file_with_and_without_the_local_profile(tmp_path: Path):
    assert {"genie", "agent"} <= set(interpolated(ENV_EXAMPLE))
    no_profile = tmp_path / ".env"
    no_profile.write_text(ENV_EXAMPLE.read_text() + "\nCOMPOSE_PROFILES=\n")
    assert "worker" in interpolated(no_profile)


def all_project_commands() -> list[list[str]]:
    services = yaml.safe_load(COMPOSE_FILE.read_text())["services"]
    found = {
        tuple(subcommand(arguments))
        for name in APP_SERVICES
        for arguments in project_commands(services[name])
    }
    return sorted(list(words) for words in found)


@pytest.mark.parametrize("words", all_project_commands(), ids=" ".join)
def test_every_service_command_is_a_real_entry_point(words):
    """A missing command fails here (never skips): the stack would not start."""
    result = subprocess.run(
        [str(CONSOLE_SCRIPT), *words, "--help"], capture_output=True, text=True, cwd=REPO_ROOT
    )
    assert result.returncode == 0, f"`inventory-agent {' '.join(words)}` failed: {result.stderr}"

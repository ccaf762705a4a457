"""On-behalf-of-user auth: in Model Serving the agent asks Genie with the requesting user's
token, not the endpoint's own; and the model declares Genie's user API scope.

Model Serving is simulated the way databricks-sdk detects it: ``IS_IN_DB_MODEL_SERVING_ENV``,
the endpoint's OAuth token file (``SERVING_CREDENTIALS_DIR``), and the invoking user's
token on the main thread. The local Genie accepts only the user's token.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from databricks.sdk.credentials_provider import ModelServingAuthProvider
from mlflow.types.responses import ResponsesAgentRequest

from agent.deploy_agent import GENIE_USER_SCOPES, auth_arguments, build_parser, make_plan
from agent.genie_agent import InventoryGenieAgent
from agent.settings import AgentSettings
from agent.stream_contract import ErrorCode, Event, Kind, read_event
from harness.processes import Server
from tests.agent.conftest import GENIE_TOKEN

ENDPOINT_TOKEN = "endpoint-service-principal-token"


@pytest.fixture
def model_serving(
    own_genie: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """This process looks like a Model Serving replica answering a request of the user's."""
    token_file = tmp_path / ModelServingAuthProvider._MODEL_DEPENDENCY_OAUTH_TOKEN_FILE_NAME
    token_file.write_text(json.dumps({"OAUTH_TOKEN": [{"oauthTokenValue": ENDPOINT_TOKEN}]}))
    monkeypatch.setenv("IS_IN_DB_MODEL_SERVING_ENV", "true")
    monkeypatch.setenv("SERVING_CREDENTIALS_DIR", str(tmp_path))
    monkeypatch.setenv("DB_MODEL_SERVING_HOST_URL", own_genie.url)
    for name in ("DATABRICKS_HOST", "DATABRICKS_TOKEN", "DATABRICKS_CONFIG_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    threading.main_thread().__dict__["invokers_token"] = GENIE_TOKEN
    yield
    threading.main_thread().__dict__.pop("invokers_token", None)


def _ask(on_behalf_of_user: bool) -> list[Event]:
    settings = AgentSettings(agent_on_behalf_of_user=on_behalf_of_user, genie_timeout_s=20)
    request = ResponsesAgentRequest(input=[{"role": "user", "content": "How many warehouses?"}])
    events = (
        read_event(e.model_dump()) for e in InventoryGenieAgent(settings).predict_stream(request)
    )
    return [event for event in events if event is not None]


def test_genie_is_asked_with_the_users_token(model_serving: None) -> None:
    [answer] = [payload for kind, payload in _ask(on_behalf_of_user=True) if kind == Kind.ANSWER]
    assert answer["status"] == "completed"


def test_without_it_genie_is_asked_as_the_endpoint(model_serving: None) -> None:
    events = _ask(on_behalf_of_user=False)  # the local Genie refuses the endpoint's token
    [error] = [payload for kind, payload in events if kind == Kind.ERROR]
    assert error["code"] == ErrorCode.AUTH


def test_the_logged_model_declares_genies_user_scope_and_its_resources() -> None:
    settings = AgentSettings(
        genie_space_id="space-1", databricks_warehouse_id="wh-1", agent_llm_endpoint="llm-1"
    )
    plan = make_plan(settings, build_parser().parse_args(["--on-behalf-of-user"]))
    policy = auth_arguments(plan)["auth_policy"].to_dict()
    assert policy["user_auth_policy"] == {"api_scopes": list(GENIE_USER_SCOPES)}
    declared = json.dumps(policy["system_auth_policy"])
    assert all(name in declared for name in ("space-1", "wh-1", "llm-1"))
    assert plan.environment_vars["AGENT_ON_BEHALF_OF_USER"] == "true"


def test_by_default_the_model_declares_resources_for_automatic_passthrough() -> None:
    settings = AgentSettings(genie_space_id="space-1", databricks_warehouse_id="wh-1")
    arguments = auth_arguments(make_plan(settings, build_parser().parse_args([])))
    assert set(arguments) == {"resources"}
    kinds = sorted(type(resource).__name__ for resource in arguments["resources"])
    assert kinds == ["DatabricksGenieSpace", "DatabricksSQLWarehouse"]

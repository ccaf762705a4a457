"""Ship inventory_genie_agent to Databricks: log it, register it in Unity Catalog, serve it.

    python -m agent.deploy_agent --dry-run          # print the plan, call nothing
    python -m agent.deploy_agent                    # log, register, deploy
    python -m agent.deploy_agent --log-only         # just log, to MLFLOW_TRACKING_URI

The agent is logged as models-from-code (agent/genie_agent.py) with ``agent/`` as its
only ``code_paths``: the package imports nothing else of the project, and its
requirements are the few libraries it imports, pinned to this environment's versions.
``--log-only`` logs to the store ``MLFLOW_TRACKING_URI`` names (a ``file:`` store works
as is) and prints the model URI last.

Model Serving gives the endpoint credentials for what the model declares. By default
that is the endpoint's own identity (automatic auth passthrough) for the Genie space,
its SQL warehouse (when given) and the language-model endpoint (when configured). With
``--on-behalf-of-user`` (``AGENT_ON_BEHALF_OF_USER``) Genie is asked as the requesting
user instead: the model declares an auth policy whose user part holds Genie's API
scope, and the agent reads each request's user credentials (agent/workspace.py).

Logging runs the agent once on its input example, so Genie must be reachable: the
workspace's, or the local server (``inventory-agent genie serve``) for a local test.
Deployment uses ``databricks.agents.deploy`` when databricks-agents is installed (it
also sets up the review app and inference tables), else the serving-endpoints API.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from agent.settings import AgentSettings, get_agent_settings

logger = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[1]
AGENT_FILE = REPO_ROOT / "agent" / "genie_agent.py"
CODE_PATHS = [REPO_ROOT / "agent"]
DEFAULT_ENDPOINT = "inventory-genie-agent-endpoint"
INPUT_EXAMPLE = {"input": [{"role": "user", "content": "Which parts are below reorder point?"}]}
REQUIREMENTS = (
    "mlflow-skinny",
    "databricks-sdk",
    "openai",  # the language model client (LLM mode)
    "pydantic",
    "pydantic-settings",
    "numpy",
    "pandas",
)
#: the user API scopes Genie's Conversation API needs under on-behalf-of-user auth
GENIE_USER_SCOPES = ("dashboards.genie",)


@dataclass
class Plan:
    """Everything the deployment will do, printable before anything is called."""

    agent_file: str
    code_paths: list[str]
    tracking_uri: str
    genie_space_id: str
    warehouse_id: str | None
    llm_endpoint: str | None
    on_behalf_of_user: bool
    uc_model_name: str
    endpoint_name: str
    deploy_with: str
    pip_requirements: list[str]
    environment_vars: dict[str, str] = field(default_factory=dict)


def _has_databricks_agents() -> bool:
    try:
        from databricks import agents  # noqa: F401
    except ImportError:
        return False
    return True


def make_plan(settings: AgentSettings, args: argparse.Namespace) -> Plan:
    warehouse_id = args.warehouse_id or settings.databricks_warehouse_id
    on_behalf_of_user = args.on_behalf_of_user or settings.agent_on_behalf_of_user
    environment = {"GENIE_SPACE_ID": settings.genie_space_id, "MLFLOW_TRACING": "true"}
    if warehouse_id:
        environment["DATABRICKS_WAREHOUSE_ID"] = warehouse_id
    if settings.agent_llm_endpoint:
        environment["AGENT_LLM_ENDPOINT"] = settings.agent_llm_endpoint
    if on_behalf_of_user:
        environment["AGENT_ON_BEHALF_OF_USER"] = "true"
    return Plan(
        agent_file=str(AGENT_FILE),
        code_paths=[str(path) for path in CODE_PATHS],
        tracking_uri=settings.mlflow_tracking_uri or "databricks",
        genie_space_id=settings.genie_space_id,
        warehouse_id=warehouse_id,
        llm_endpoint=settings.agent_llm_endpoint,
        on_behalf_of_user=on_behalf_of_user,
        uc_model_name=args.uc_model_name or settings.agent_uc_model_name,
        endpoint_name=args.endpoint_name or settings.agent_endpoint_name or DEFAULT_ENDPOINT,
        deploy_with="databricks.agents.deploy"
        if _has_databricks_agents()
        else "WorkspaceClient().serving_endpoints.create_and_wait",
        pip_requirements=[f"{name}=={metadata.version(name)}" for name in REQUIREMENTS],
        environment_vars=environment,
    )


def resources(plan: Plan) -> list[Any]:
    """What the endpoint's own identity needs: every tool's (the space, its warehouse) and
    the LLM endpoint's — declared by the tools' registry and the model's client."""
    from agent.llm.client import llm_resources
    from agent.tools.registry import tool_resources

    settings = AgentSettings(
        genie_space_id=plan.genie_space_id,
        databricks_warehouse_id=plan.warehouse_id,
        agent_llm_endpoint=plan.llm_endpoint,
    )
    return [*tool_resources(settings), *llm_resources(settings)]


def auth_arguments(plan: Plan) -> dict[str, Any]:
    """``log_model``'s auth: the resources alone, or an auth policy when acting as the user.

    Under on-behalf-of-user auth the user part grants Genie's API scope to each request's
    user; the system part still covers what the endpoint calls as itself (the model).
    """
    if not plan.on_behalf_of_user:
        return {"resources": resources(plan)}
    from mlflow.models.auth_policy import AuthPolicy, SystemAuthPolicy, UserAuthPolicy

    return {
        "auth_policy": AuthPolicy(
            user_auth_policy=UserAuthPolicy(api_scopes=list(GENIE_USER_SCOPES)),
            system_auth_policy=SystemAuthPolicy(resources=resources(plan)),
        )
    }


def log_agent(plan: Plan) -> Any:
    """Log the agent as models-from-code with its Databricks auth; returns ModelInfo."""
    import mlflow
    from mlflow.environment_variables import MLFLOW_ALLOW_FILE_STORE

    if plan.tracking_uri.startswith("file:"):  # asked for explicitly: no need to opt in twice
        MLFLOW_ALLOW_FILE_STORE.set("true")
    mlflow.set_tracking_uri(plan.tracking_uri)
    with mlflow.start_run(run_name="inventory_genie_agent"):
        return mlflow.pyfunc.log_model(
            name="agent",
            python_model=plan.agent_file,
            code_paths=plan.code_paths,
            input_example=INPUT_EXAMPLE,
            pip_requirements=plan.pip_requirements,
            **auth_arguments(plan),
        )


def register(plan: Plan, model_uri: str) -> str:
    """Register the logged model in Unity Catalog; returns the new version."""
    import mlflow

    mlflow.set_registry_uri("databricks-uc")
    version = mlflow.register_model(model_uri, plan.uc_model_name)
    return str(version.version)


def deploy(plan: Plan, version: str) -> tuple[str, str]:
    """Serve ``version`` on the plan's endpoint; returns (endpoint name, URL)."""
    from databricks.sdk import WorkspaceClient

    client = WorkspaceClient()
    if _has_databricks_agents():
        from databricks import agents

        deployment = agents.deploy(
            plan.uc_model_name,
            int(version),
            endpoint_name=plan.endpoint_name,
            environment_vars=plan.environment_vars,
            scale_to_zero=True,
        )
        name = deployment.endpoint_name
    else:
        from databricks.sdk.errors import NotFound
        from databricks.sdk.service.serving import EndpointCoreConfigInput, ServedEntityInput

        entity = ServedEntityInput(
            entity_name=plan.uc_model_name,
            entity_version=version,
            workload_size="Small",
            scale_to_zero_enabled=True,
            environment_vars=plan.environment_vars,
        )
        name = plan.endpoint_name
        try:
            client.serving_endpoints.get(name)
        except NotFound:
            config = EndpointCoreConfigInput(name=name, served_entities=[entity])
            client.serving_endpoints.create_and_wait(name=name, config=config)
        else:
            client.serving_endpoints.update_config_and_wait(name=name, served_entities=[entity])
    return name, f"{client.config.host}/serving-endpoints/{name}/invocations"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m agent.deploy_agent", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--dry-run", action="store_true", help="print the plan, call nothing")
    parser.add_argument("--log-only", action="store_true", help="log the model, then stop")
    parser.add_argument("--uc-model-name", help="catalog.schema.model (AGENT_UC_MODEL_NAME)")
    parser.add_argument("--endpoint-name", help=f"serving endpoint (default {DEFAULT_ENDPOINT})")
    parser.add_argument("--warehouse-id", help="SQL warehouse to declare as a resource")
    parser.add_argument(
        "--on-behalf-of-user",
        action="store_true",
        help="ask Genie as the requesting user (AGENT_ON_BEHALF_OF_USER)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    plan = make_plan(get_agent_settings(), args)
    if not args.log_only and plan.uc_model_name.count(".") != 2:
        print(
            f"the UC model name must be catalog.schema.model, not {plan.uc_model_name!r}",
            file=sys.stderr,
        )
        return 2
    print(json.dumps(asdict(plan), indent=2))
    if args.dry_run:
        print("dry run: nothing was logged, registered or deployed")
        return 0
    model_info = log_agent(plan)
    print(model_info.model_uri)
    if args.log_only:
        return 0
    version = register(plan, model_info.model_uri)
    print(f"registered {plan.uc_model_name} version {version}")
    name, url = deploy(plan, version)
    print(f"endpoint {name}: {url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

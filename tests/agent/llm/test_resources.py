"""What Model Serving must grant the agent: every tool's resources and the model's endpoint."""

from __future__ import annotations

from mlflow.models.resources import (
    DatabricksGenieSpace,
    DatabricksServingEndpoint,
    DatabricksSQLWarehouse,
)

from agent.llm.client import llm_resources
from agent.settings import AgentSettings
from agent.tools.registry import TOOLS, tool_resources, tool_specs


def test_tools_declare_their_resources_and_the_endpoint_its_own() -> None:
    settings = AgentSettings(
        genie_space_id="space-1",
        databricks_warehouse_id="wh-1",
        agent_llm_endpoint="databricks-claude",
    )
    resources = [r.to_dict() for r in tool_resources(settings) + llm_resources(settings)]
    assert resources == [
        DatabricksGenieSpace(genie_space_id="space-1").to_dict(),
        DatabricksSQLWarehouse(warehouse_id="wh-1").to_dict(),
        DatabricksServingEndpoint(endpoint_name="databricks-claude").to_dict(),
    ]
    assert llm_resources(AgentSettings(agent_llm_endpoint=None)) == []


def test_every_tool_is_declared_to_the_model_with_an_object_schema() -> None:
    specs = tool_specs()
    assert [s["function"]["name"] for s in specs] == list(TOOLS) == ["query_genie_space"]
    for spec in specs:
        assert spec["type"] == "function" and spec["function"]["description"]
        assert spec["function"]["parameters"]["type"] == "object"

"""Every tool the language model may call, by name.

To add a tool, write a module beside query_genie_space.py that defines ``TOOL`` (see
agent/tools/tool.py) and list it in ``TOOLS`` below; nothing else changes.
"""

from __future__ import annotations

from typing import Any

from mlflow.models.resources import DatabricksResource

from agent.settings import AgentSettings
from agent.tools import query_genie_space
from agent.tools.tool import Tool

TOOLS: dict[str, Tool] = {tool.name: tool for tool in (query_genie_space.TOOL,)}


def tool_specs() -> list[dict[str, Any]]:
    """The ``tools`` list sent to the model with every request."""
    return [tool.spec() for tool in TOOLS.values()]


def tool_resources(settings: AgentSettings) -> list[DatabricksResource]:
    """What Model Serving must grant the endpoint for every tool to work."""
    return [resource for tool in TOOLS.values() for resource in tool.resources(settings)]

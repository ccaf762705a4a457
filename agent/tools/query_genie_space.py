"""The ``query_genie_space(question)`` tool: ask the inventory Genie space, stream its steps.

It runs the Genie client the way the direct route does (agent/genie_call.py): Genie's
progress, SQL and table stream to the client as they happen, and the model reads the
same ``function_call_output`` JSON a client sees — the Genie ids, the SQL, the columns,
the row count, a bounded sample of rows (``TOOL_OUTPUT_ROWS``) and Genie's text, or
the error — enough to answer in words without thousands of rows in its context. The
client's table event keeps the full result (up to ``GENIE_MAX_ROWS``).

A turn's calls share one Genie conversation: the first call continues the one the
request names (custom_inputs, or the history's last result) or starts one, and each
call records the id for the next, so "and in Seattle?" reaches Genie as a follow-up.

A retried turn (the worker's stream broke after Genie took the question) names the
Genie message its first try started; the turn's first call polls that message instead
of asking Genie again (agent/tools/tool.py, ``ToolContext.resumed_message_id``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mlflow.models.resources import (
    DatabricksGenieSpace,
    DatabricksResource,
    DatabricksSQLWarehouse,
)

from agent.genie_call import GenieOutcome, genie_call_events
from agent.genie_tool import Update, query_genie_space
from agent.settings import AgentSettings
from agent.stream_contract import GENIE_TOOL, ErrorCode
from agent.tools.tool import Tool, ToolContext, ToolEvent, ToolResult, failed_result

DESCRIPTION = (
    "Ask the inventory Genie space a data question in plain English. Genie writes SQL "
    "over the inventory tables (parts, warehouses, stock levels, demand, suppliers, "
    "purchase orders), runs it and returns the SQL, the columns, the row count, a sample "
    "of the rows and its own summary. Ask one question per call, in the user's words; "
    "calls in one conversation are follow-ups (e.g. 'just in Seattle')."
)
PARAMETERS: dict[str, Any] = {
    "type": "object",
    "properties": {
        "question": {
            "type": "string",
            "description": "The question for Genie, in plain English.",
        }
    },
    "required": ["question"],
    "additionalProperties": False,
}


def run(arguments: dict[str, Any], context: ToolContext) -> Iterator[ToolEvent | ToolResult]:
    """Ask Genie ``arguments["question"]``; yield its steps, then the result for the model."""
    question = str(arguments.get("question") or "").strip()
    if not question:
        message = f"{GENIE_TOOL} needs a non-empty 'question'."
        yield failed_result(ErrorCode.BAD_REQUEST, message)
        return
    remaining = context.remaining_s()
    if remaining <= 0:
        yield failed_result(ErrorCode.TIMEOUT, "No time is left in this turn to ask Genie.", True)
        return
    settings = context.settings
    budget = settings.model_copy(
        update={"genie_timeout_s": min(settings.genie_timeout_s, remaining)}
    )
    outcome = GenieOutcome(conversation_id=context.genie_conversation_id)
    resumed = context.take_resumed_message()

    def updates() -> Iterator[Update]:  # the client is made inside genie_call_events' care
        client = context.workspace()
        yield from query_genie_space(
            client, budget, question, outcome.conversation_id, message_id=resumed
        )

    yield from genie_call_events(updates(), outcome)
    context.genie_conversation_id = outcome.conversation_id
    yield ToolResult(outcome.tool_output(settings.tool_output_rows))


def resources(settings: AgentSettings) -> list[DatabricksResource]:
    """The space, and its SQL warehouse when known: Model Serving grants access to both."""
    space = DatabricksGenieSpace(genie_space_id=settings.genie_space_id)
    needed: list[DatabricksResource] = [space]
    if settings.databricks_warehouse_id:
        needed.append(DatabricksSQLWarehouse(warehouse_id=settings.databricks_warehouse_id))
    return needed


TOOL = Tool(GENIE_TOOL, DESCRIPTION, PARAMETERS, run, resources)

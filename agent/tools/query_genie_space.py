"""The ``query_genie_space(question)`` tool: ask the inventory Genie space, stream its steps.

It wraps the Genie client (agent/genie_tool.py) for the language model: Genie's progress,
SQL and table stream to the client as they happen (the same status, sql and table
events as the direct route), and the model gets a compact JSON result — the SQL, the
columns, the row count, a bounded sample of rows (``TOOL_OUTPUT_ROWS``) and Genie's
text — enough to answer in words without pasting thousands of rows into its context.
The client's table event keeps the full result (up to ``GENIE_MAX_ROWS``).

A turn's calls share one Genie conversation: the first call continues the one the
request's history names (or starts one), and each call records the id for the next,
so "and in Seattle?" asked of the model reaches Genie as a follow-up.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import uuid4

from mlflow.models.resources import (
    DatabricksGenieSpace,
    DatabricksResource,
    DatabricksSQLWarehouse,
)

from agent import genie_tool
from agent import stream_contract as contract
from agent.genie_errors import classify
from agent.genie_result import Table
from agent.tools.tool import Tool, ToolContext, ToolEvent, ToolResult, failed_result
from services.common.settings import Settings

NAME = "query_genie_space"
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


def _new_id(prefix: str) -> str:
    return f"{prefix}_{uuid4().hex[:16]}"


def run(arguments: dict[str, Any], context: ToolContext) -> Iterator[ToolEvent | ToolResult]:
    """Ask Genie ``arguments["question"]``; yield its steps, then the result for the model."""
    question = str(arguments.get("question") or "").strip()
    if not question:
        yield failed_result("bad_arguments", "query_genie_space needs a non-empty 'question'.")
        return
    remaining = context.remaining_s()
    if remaining <= 0:
        yield failed_result("timeout", "No time is left in this turn to ask Genie.", True)
        return
    settings = context.settings
    budget = settings.model_copy(
        update={"genie_timeout_s": min(settings.genie_timeout_s, remaining)}
    )
    found = _Found(context.genie_conversation_id)
    try:
        client = context.workspace()
        updates = genie_tool.query_genie_space(client, budget, question, found.conversation_id)
        for update in updates:
            yield from found.take(update)
            context.genie_conversation_id = found.conversation_id
    except Exception as raw:  # every failure is named for the model, never raised through
        error = classify(raw, "asking Genie")
        yield failed_result(error.code, error.message, error.retryable, **found.ids())
        return
    yield ToolResult(found.output(settings.tool_output_rows))


class _Found:
    """What one Genie call has returned so far, as stream events and as the model's output."""

    def __init__(self, conversation_id: str | None) -> None:
        self.conversation_id = conversation_id
        self.message_id: str | None = None
        self.query: genie_tool.Query | None = None
        self.table: Table | None = None
        self.reply: genie_tool.Reply | None = None

    def ids(self) -> dict[str, Any]:
        return {"conversation_id": self.conversation_id, "message_id": self.message_id}

    def take(self, update: genie_tool.Update) -> Iterator[ToolEvent]:
        ids = {"conversation_id": self.conversation_id}
        if isinstance(update, genie_tool.Started):
            self.conversation_id, self.message_id = update.conversation_id, update.message_id
        elif isinstance(update, genie_tool.Progress):
            yield contract.status_event(
                _new_id("status"),
                update.status,
                update.message,
                genie_status=update.genie_status,
                **ids,
            )
        elif isinstance(update, genie_tool.Query):
            self.query = update
            yield contract.sql_event(_new_id("sql"), update.sql, update.description, **ids)
        elif isinstance(update, Table):
            self.table = update
            yield contract.table_event(_new_id("table"), **update.payload(), **ids)
        elif isinstance(update, genie_tool.Reply):
            self.reply = update

    def output(self, sample_rows: int) -> dict[str, Any]:
        """The JSON the model reads: compact, with at most ``sample_rows`` rows."""
        table = self.table or Table()
        return {
            **self.ids(),
            "status": "completed",
            "sql": self.query.sql if self.query else None,
            "description": self.query.description if self.query else None,
            "columns": table.columns,
            "row_count": table.row_count,
            "truncated": table.truncated,
            "rows": table.rows[:sample_rows],
            "rows_shown": min(len(table.rows), sample_rows),
            "text": self.reply.text if self.reply else None,
            "suggested_questions": self.reply.suggested_questions if self.reply else [],
        }


def resources(settings: Settings) -> list[DatabricksResource]:
    """The space, and its SQL warehouse when known: Model Serving grants access to both."""
    space = DatabricksGenieSpace(genie_space_id=settings.genie_space_id)
    needed: list[DatabricksResource] = [space]
    if settings.databricks_warehouse_id:
        needed.append(DatabricksSQLWarehouse(warehouse_id=settings.databricks_warehouse_id))
    return needed


TOOL = Tool(NAME, DESCRIPTION, PARAMETERS, run, resources)

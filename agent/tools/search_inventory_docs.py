"""The ``search_inventory_docs(query)`` tool: find what the inventory documents say.

The language model calls it for what the tables cannot answer: what a term means, a
category's reorder policy, a supplier's terms (minimum order, penalties, payment), a
warehouse's procedures. The search (agent/docs_search.py: the local FTS5 index, or the
Vector Search index ``DOCS_VECTOR_INDEX`` on Databricks) streams its status and the
passages found as a ``sources`` event, which the page and the terminal show under the
answer; the model reads the same passages, each with its document title and section,
to answer and cite.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mlflow.models.resources import DatabricksResource, DatabricksVectorSearchIndex

from agent.docs_search import DocsSearchError, documents_events, tool_output
from agent.settings import AgentSettings
from agent.stream_contract import DOCS_TOOL
from agent.tools.tool import Tool, ToolContext, ToolEvent, ToolResult, failed_result

NAME = DOCS_TOOL
DESCRIPTION = (
    "Search the inventory team's documents: business definitions (what low stock, days "
    "of supply or an overdue order mean and how they are calculated), the reorder policy "
    "of each part category, each supplier's terms (lead time, minimum order, late-delivery "
    "penalties, payment, shipping, escalation) and each warehouse's procedures (receiving "
    "hours, cycle counts, transfers, hazardous materials). Returns the best passages with "
    "their document title and section; cite them. Use query_genie_space for numbers in "
    "the data; a question may need both."
)
PARAMETERS: dict[str, Any] = {
    "type": "object",
    "properties": {
        "query": {
            "type": "string",
            "description": "What to look up, in plain English, naming the category, "
            "supplier or warehouse when the question does.",
        }
    },
    "required": ["query"],
    "additionalProperties": False,
}


def run(arguments: dict[str, Any], context: ToolContext) -> Iterator[ToolEvent | ToolResult]:
    """Search for ``arguments["query"]``; yield the status and sources, then the passages."""
    query = str(arguments.get("query") or "").strip()
    if not query:
        yield failed_result("bad_arguments", "search_inventory_docs needs a non-empty 'query'.")
        return
    ids = {"conversation_id": context.genie_conversation_id}
    try:
        passages = yield from documents_events(query, context.settings, context.workspace, **ids)
    except DocsSearchError as error:
        yield failed_result(error.code, error.message, error.retryable)
        return
    yield ToolResult(tool_output(query, passages))


def resources(settings: AgentSettings) -> list[DatabricksResource]:
    """The Vector Search index when one is named: Model Serving grants access to it."""
    if not settings.docs_vector_index:
        return []
    return [DatabricksVectorSearchIndex(index_name=settings.docs_vector_index)]


TOOL = Tool(NAME, DESCRIPTION, PARAMETERS, run, resources)

"""What a tool is: the one interface the language model's tool loop knows.

A tool is a module that defines a ``Tool``: its name and description (what the model
reads to decide when to call it), a JSON schema for its arguments, a streaming ``run``
and the MLflow resources it needs on Databricks (so Model Serving grants the endpoint
credentials for them). Adding a tool is adding a module and listing it in
agent/tools/registry.py; the loop (agent/llm/tool_loop.py) never changes.

``run(arguments, context)`` is a generator. While it works it yields stream events —
the dicts agent/stream_events.py builds (a status as it goes, the SQL, a table) —
which the loop passes to the client unchanged; last it yields one ``ToolResult``,
whose ``output`` (a JSON-able dict) the model reads as the ``tool`` message and the
client sees in the ``function_call_output`` item. A tool reports its own failures in
``output`` (``status`` "failed" and an ``error``) rather than raising, so the model can
say what went wrong or try again; an exception that escapes is a bug, and the loop
still turns it into a failed result.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from databricks.sdk import WorkspaceClient
from mlflow.models.resources import DatabricksResource

from agent.settings import AgentSettings
from agent.stream_contract import Status

#: a stream event of agent/stream_contract.py, passed through to the client
ToolEvent = dict[str, Any]


@dataclass(frozen=True)
class ToolResult:
    """What the tool found: ``output`` goes to the model and into ``function_call_output``."""

    output: dict[str, Any]


def failed_result(code: str, message: str, retryable: bool = False, **fields: Any) -> ToolResult:
    """A result that tells the model what went wrong (it may retry, rephrase or explain)."""
    error = {"code": str(code), "message": message, "retryable": retryable}
    return ToolResult({"status": Status.FAILED.value, "error": error, **fields})


@dataclass
class ToolContext:
    """What one turn gives its tools: settings, the workspace, the Genie conversation.

    ``genie_conversation_id`` is the Genie conversation the turn continues (recovered
    from the request's history); a Genie tool call updates it so the next call of the
    same turn is a follow-up in the same conversation. ``deadline`` (``time.monotonic``)
    is the turn's: a tool must be done by then.

    ``resumed_message_id`` is a Genie message an earlier try of this same turn already
    started (a retried request's ``custom_inputs.message_id``). The turn's first Genie
    call takes it and polls that message instead of asking again: Genie allows only 5
    new questions a minute, and the retry is the same user turn even when the model
    words its first call a little differently. Later calls ask anew.
    """

    settings: AgentSettings
    workspace: Callable[[], WorkspaceClient]
    deadline: float
    genie_conversation_id: str | None = None
    resumed_message_id: str | None = None

    def remaining_s(self) -> float:
        return self.deadline - time.monotonic()

    def take_resumed_message(self) -> str | None:
        """The message to resume, once: the first Genie call gets it, the rest None."""
        message_id, self.resumed_message_id = self.resumed_message_id, None
        return message_id


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    #: JSON schema of the arguments object (OpenAI function ``parameters``)
    parameters: dict[str, Any]
    run: Callable[[dict[str, Any], ToolContext], Iterator[ToolEvent | ToolResult]]
    resources: Callable[[AgentSettings], list[DatabricksResource]]

    def spec(self) -> dict[str, Any]:
        """The tool as chat completions' ``tools`` list declares it."""
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": self.parameters,
            },
        }

"""inventory_genie_agent: an MLflow ResponsesAgent that answers inventory questions via Genie.

Read top to bottom: the system message, how a request becomes a question and a
conversation id, how the agent streams each Genie step as an event of the stream
contract (agent/stream_contract.py, which the worker reads), how failures end the
stream, and ``predict`` derived from ``predict_stream``. The file ends with
``mlflow.models.set_model(AGENT)`` so that it can be logged as models-from-code.

Nothing here touches the network at import: the databricks-sdk client is built on the
first request (agent/workspace.py). Settings (services/common/settings.py) are read when
the agent is made, so that tracing is set up before MLflow traces the first request.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

import mlflow
from databricks.sdk import WorkspaceClient
from mlflow.pyfunc import ResponsesAgent
from mlflow.types.responses import (
    ResponsesAgentRequest,
    ResponsesAgentResponse,
    ResponsesAgentStreamEvent,
)

from agent import stream_contract as contract
from agent.answer_text import compose_answer, text_chunks
from agent.genie_errors import GenieError, classify
from agent.genie_result import Table
from agent.genie_status import STARTING
from agent.genie_tool import Progress, Query, Reply, Started, Update, query_genie_space
from agent.tracing import configure_tracing
from agent.workspace import workspace_client
from services.common.settings import Settings, get_settings

logger = logging.getLogger(__name__)

AGENT_NAME = "inventory_genie_agent"
SYSTEM_MESSAGE = (
    "You are the inventory assistant. You answer questions about parts, stock on hand, "
    "warehouses, suppliers, purchase orders and demand by asking the inventory Genie "
    "space, and you show the SQL and the data behind every answer."
)
EMPTY_QUESTION = (
    "I'm the inventory assistant. Ask me about stock levels, parts, warehouses, "
    "suppliers, purchase orders or demand, e.g. “Which parts are low on stock?”"
)


def _new_id(prefix: str) -> str:
    return f"{prefix}_{uuid4().hex[:16]}"


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    parts = content or []
    return "".join(p.get("text", "") for p in parts if isinstance(p, dict))


def question_of(request: ResponsesAgentRequest) -> str:
    """The last user message: the question (earlier turns live in the Genie conversation)."""
    for item in reversed(request.input):
        message = item.model_dump()
        if message.get("role") == "user":
            return _text_of(message.get("content")).strip()
    return ""


def conversation_id_of(request: ResponsesAgentRequest) -> str | None:
    """The Genie conversation to continue: custom_inputs first, then the request context."""
    from_inputs = (request.custom_inputs or {}).get("conversation_id")
    from_context = request.context.conversation_id if request.context else None
    return from_inputs or from_context or None


def message_id_of(request: ResponsesAgentRequest) -> str | None:
    """A Genie message already started for this question (a retried request): poll it."""
    return (request.custom_inputs or {}).get("message_id") or None


@dataclass
class _Run:
    """What one request has learned so far, repeated in the events that need it."""

    conversation_id: str | None
    message_id: str | None = None
    query: Query | None = None
    table: Table | None = None
    answer_id: str = field(default_factory=lambda: _new_id("answer"))

    def ids(self) -> dict[str, Any]:
        """The Genie ids so far: a client that loses the stream can resume the message."""
        if self.message_id is None:
            return {"conversation_id": self.conversation_id}
        return {"conversation_id": self.conversation_id, "message_id": self.message_id}

    def answer_payload(self) -> dict[str, Any]:
        table = self.table or Table()
        return {
            **self.ids(),
            "sql": self.query.sql if self.query else None,
            "columns": table.columns,
            "rows": table.rows,
            "row_count": table.row_count,
        }


def _event(event: dict[str, Any]) -> ResponsesAgentStreamEvent:
    return ResponsesAgentStreamEvent(**event)


class InventoryGenieAgent(ResponsesAgent):
    """Streams a Genie space's progress, SQL, table and answer as Responses events."""

    def __init__(self, settings: Settings | None = None) -> None:
        # Tracing is decided before the first request: MLflow opens the request's span
        # before predict_stream runs. Reading settings is local; the client comes later.
        self._settings = settings or get_settings()
        configure_tracing(self._settings)
        self._client: WorkspaceClient | None = None
        self._lock = threading.Lock()

    # --- the Genie client, on first use ---------------------------------------------

    def _workspace(self) -> WorkspaceClient:
        with self._lock:
            if self._client is None:
                try:
                    self._client = workspace_client(self._settings)
                except ValueError as error:  # databricks-sdk: no usable auth configured
                    raise GenieError(
                        "auth", f"Genie credentials are not configured: {error}", False
                    ) from error
            return self._client

    # --- the stream -----------------------------------------------------------------

    def predict_stream(
        self, request: ResponsesAgentRequest
    ) -> Generator[ResponsesAgentStreamEvent, None, None]:
        run = _Run(conversation_id_of(request))
        question = question_of(request)
        span = mlflow.get_current_active_span()
        if span is not None:
            span.set_attribute("system_message", SYSTEM_MESSAGE)
        yield _event(
            contract.status_event(_new_id("status"), *STARTING, genie_status=None, **run.ids())
        )
        if not question:
            error = GenieError("bad_request", "The request holds no question.", False)
            yield from self._fail(run, error, EMPTY_QUESTION)
            return
        try:
            client = self._workspace()
            updates = query_genie_space(
                client,
                self._settings,
                question,
                run.conversation_id,
                message_id=message_id_of(request),
            )
            for update in updates:
                yield from self._render(run, update)
        except GenieError as error:
            yield from self._fail(run, error)
        except Exception as error:  # anything else still ends the stream with an answer
            yield from self._fail(run, classify(error, "answering"))

    def _render(self, run: _Run, update: Update) -> Generator[ResponsesAgentStreamEvent]:
        if isinstance(update, Started):
            run.conversation_id, run.message_id = update.conversation_id, update.message_id
        elif isinstance(update, Progress):
            yield _event(
                contract.status_event(
                    _new_id("status"),
                    update.status,
                    update.message,
                    genie_status=update.genie_status,
                    **run.ids(),
                )
            )
        elif isinstance(update, Query):
            run.query = update
            yield _event(
                contract.sql_event(_new_id("sql"), update.sql, update.description, **run.ids())
            )
        elif isinstance(update, Table):
            run.table = update
            yield _event(contract.table_event(_new_id("table"), **update.payload(), **run.ids()))
        elif isinstance(update, Reply):
            yield from self._answer(run, update)

    def _answer(self, run: _Run, reply: Reply) -> Generator[ResponsesAgentStreamEvent]:
        description = run.query.description if run.query else ""
        text = compose_answer(reply.text, description, run.table)
        for chunk in text_chunks(text):
            yield _event(contract.text_delta_event(run.answer_id, chunk))
        yield _event(
            contract.answer_event(
                run.answer_id,
                text,
                status="completed",
                suggested_questions=reply.suggested_questions,
                **run.answer_payload(),
            )
        )

    def _fail(
        self, run: _Run, error: GenieError, text: str | None = None
    ) -> Generator[ResponsesAgentStreamEvent]:
        logger.warning("question failed (%s): %s", error.code, error.message)
        yield _event(
            contract.error_event(
                _new_id("error"), error.code, error.message, error.retryable, **run.ids()
            )
        )
        text = text or f"Sorry, I could not answer that. {error.message}"
        yield _event(
            contract.answer_event(
                run.answer_id, text, status="failed", suggested_questions=[], **run.answer_payload()
            )
        )

    # --- the whole answer at once ---------------------------------------------------

    def predict(self, request: ResponsesAgentRequest) -> ResponsesAgentResponse:
        """The same run as ``predict_stream``: its finished items, and the answer's payload."""
        items, custom_outputs = [], None
        for event in self.predict_stream(request):
            if event.type == contract.ITEM_DONE:
                items.append(event.item)
                kind, payload = contract.read_event(event.model_dump())
                if kind == contract.Kind.ANSWER:
                    custom_outputs = {contract.KIND_KEY: kind.value, **payload}
        return ResponsesAgentResponse(output=items, custom_outputs=custom_outputs)


AGENT = InventoryGenieAgent()
mlflow.models.set_model(AGENT)

"""inventory_genie_agent: an MLflow ResponsesAgent that answers inventory questions via Genie.

Read top to bottom: a turn is wrapped in the Responses envelope (agent/responses_stream.py:
``response.created`` … ``response.completed``); the turn reads the question and the
Genie conversation from the request's history (agent/history.py) and routes the
question to the ``query_genie_space`` tool, shown as standard ``function_call`` /
``function_call_output`` items with Genie's progress, SQL and table in between
(agent/genie_call.py); the answer streams as text deltas and ends as one message; a
failure ends the turn with an error and a failed answer; ``predict`` is derived from
``predict_stream``. Every event is built by agent/stream_events.py and documented in
agent/stream_contract.py. The file ends with ``mlflow.models.set_model(AGENT)`` so that
it can be logged as models-from-code.

Nothing here touches the network at import: the databricks-sdk client is built on the
first request (agent/workspace.py). Settings (agent/settings.py) are read when the agent
is made, so that tracing is set up before MLflow traces the first request.
"""

from __future__ import annotations

import threading
from collections.abc import Generator, Iterator
from typing import Any

import mlflow
from databricks.sdk import WorkspaceClient
from mlflow.pyfunc import ResponsesAgent
from mlflow.types.responses import (
    ResponsesAgentRequest,
    ResponsesAgentResponse,
    ResponsesAgentStreamEvent,
)

from agent.answer_text import compose_answer, text_chunks
from agent.docs_search import DocsSearchError, documents_answer, documents_events, tool_output
from agent.genie_call import GenieOutcome, genie_call_events
from agent.genie_errors import GenieError
from agent.genie_tool import Update, query_genie_space
from agent.history import (
    earlier_questions,
    genie_conversation_of,
    question_of,
    resumed_message_of,
    with_context,
)
from agent.llm.tool_loop import ToolLoop
from agent.responses_stream import COMPLETED, ResponseEnvelope
from agent.settings import AgentSettings, get_agent_settings
from agent.stream_contract import DOCS_TOOL, GENIE_TOOL, ErrorCode, Status
from agent.stream_events import (
    answer_event,
    error_event,
    new_id,
    text_delta_event,
    tool_call_event,
    tool_result_event,
)
from agent.tool_router import Route, Routing, route_question
from agent.tracing import configure_tracing
from agent.workspace import acts_as_user, workspace_client

AGENT_NAME = "inventory_genie_agent"
EMPTY_QUESTION = (
    "I'm the inventory assistant. Ask me about stock levels, parts, warehouses, "
    "suppliers, purchase orders or demand, e.g. “Which parts are low on stock?”, "
    "or about our policies and procedures, e.g. “What is our reorder policy for fasteners?”"
)

Events = Iterator[dict[str, Any]]


class InventoryGenieAgent(ResponsesAgent):
    """Streams a Genie space's progress, SQL, table and answer as Responses events."""

    def __init__(self, settings: AgentSettings | None = None) -> None:
        # Tracing is decided before the first request: MLflow opens the request's span
        # before predict_stream runs. Reading settings is local; the client comes later.
        self._settings = settings or get_agent_settings()
        configure_tracing(self._settings)
        self._client: WorkspaceClient | None = None
        self._lock = threading.Lock()
        # With a language model configured, it runs the turn (agent/llm/tool_loop.py).
        llm = self._settings.llm_configured
        self._tool_loop = ToolLoop(self._settings, self._workspace) if llm else None

    # --- the stream -----------------------------------------------------------------

    def predict_stream(self, request: ResponsesAgentRequest) -> Iterator[ResponsesAgentStreamEvent]:
        envelope = ResponseEnvelope(model=AGENT_NAME)
        for event in envelope.wrap(self._turn(request)):
            yield ResponsesAgentStreamEvent(**event)

    def _turn(self, request: ResponsesAgentRequest) -> Events:
        """One turn's contract events: the language model's when one is configured."""
        if self._tool_loop is not None:
            conversation_id, resumed = genie_conversation_of(request), resumed_message_of(request)
            yield from self._tool_loop.run(request.input, conversation_id, resumed)
            return
        question = question_of(request)
        if not question:
            error = GenieError(ErrorCode.BAD_REQUEST, "The request holds no question.", False)
            yield from self._fail(error, GenieOutcome(), EMPTY_QUESTION)
            return
        conversation_id = genie_conversation_of(request)
        routing = route_question(question, follow_up=conversation_id is not None)
        if routing.route is Route.DATA:
            yield from self._ask_genie(request, question)
        else:
            yield from self._routed(request, routing, conversation_id)

    def _ask_genie(self, request: ResponsesAgentRequest, question: str) -> Events:
        """Direct routing: the question is the one ``query_genie_space`` call of the turn."""
        outcome = yield from self._call_genie(request, question)
        if outcome.error is not None:
            yield from self._fail(outcome.error, outcome)
        else:
            yield from self._answer(outcome)

    def _routed(
        self, request: ResponsesAgentRequest, routing: Routing, conversation_id: str | None
    ) -> Events:
        """The router's other routes (agent/tool_router.py): documents, both, or neither.

        Both tools' calls stream in one turn, the documents first; one answer joins what
        each found and ends with the source it used.
        """
        documents_text = None
        if routing.documents_query:
            try:
                documents_text = yield from self._search_documents(
                    routing.documents_query, conversation_id
                )
            except DocsSearchError as error:
                if not routing.data_question:
                    failed = GenieError(error.code, error.message, error.retryable)
                    yield from self._fail(failed, GenieOutcome(conversation_id=conversation_id))
                    return
                # Genie can still answer the data part; the answer says what is missing.
                documents_text = f"The policy documents could not be searched: {error.message}"
        outcome = GenieOutcome(conversation_id=conversation_id)
        if routing.data_question:
            outcome = yield from self._call_genie(request, routing.data_question)
            if outcome.error is not None:
                yield from self._fail(outcome.error, outcome)
                return
        data_text = self._answer_text(outcome) if routing.data_question else None
        if routing.route is Route.NEITHER:
            data_text = EMPTY_QUESTION
        parts = (data_text, documents_text, f"_{routing.note}_")
        yield from self._answer(outcome, "\n\n".join(p for p in parts if p), routing.route)

    def _search_documents(
        self, query: str, conversation_id: str | None
    ) -> Generator[Any, Any, str]:
        """The ``search_inventory_docs`` call: status, sources, result; returns the answer part."""
        call_id = new_id("call")
        yield tool_call_event(new_id("fc"), call_id, DOCS_TOOL, {"query": query})
        ids = {"conversation_id": conversation_id}
        try:
            passages = yield from documents_events(query, self._settings, self._workspace, **ids)
        except DocsSearchError as error:
            failure = {"code": error.code, "message": error.message, "retryable": error.retryable}
            output = {"status": Status.FAILED, "error": failure}
            yield tool_result_event(call_id, output, **ids, status=Status.FAILED)
            raise
        output = tool_output(query, passages)
        yield tool_result_event(call_id, output, **ids, status=Status.COMPLETED)
        return documents_answer(passages)

    def _call_genie(
        self, request: ResponsesAgentRequest, question: str
    ) -> Generator[Any, Any, GenieOutcome]:
        """The ``query_genie_space`` call: Genie's steps and result; returns what it found."""
        call_id = new_id("call")
        yield tool_call_event(new_id("fc"), call_id, GENIE_TOOL, {"question": question})
        earlier = earlier_questions(request, self._settings.history_context_turns)
        updates = self._genie(
            question,
            genie_conversation_of(request),
            with_context(question, earlier),
            resumed_message_of(request),
        )
        outcome = GenieOutcome()
        yield from genie_call_events(updates, outcome)
        output = outcome.tool_output(self._settings.tool_output_rows)
        yield tool_result_event(call_id, output, **outcome.ids(), status=outcome.status)
        return outcome

    def _genie(
        self,
        question: str,
        conversation_id: str | None,
        opening: str,
        message_id: str | None,
    ) -> Iterator[Update]:
        """The Genie tool, its client made on first use (inside the caller's error handling).

        ``message_id`` is set when the caller's stream broke after Genie took the question:
        that message is polled instead of asking again.
        """
        yield from query_genie_space(
            self._workspace(),
            self._settings,
            question,
            conversation_id,
            opening,
            message_id=message_id,
        )

    @staticmethod
    def _answer_text(outcome: GenieOutcome) -> str:
        reply = outcome.reply
        description = outcome.query.description if outcome.query else ""
        return compose_answer(reply.text if reply else None, description, outcome.table)

    def _answer(
        self, outcome: GenieOutcome, text: str | None = None, route: Route = Route.DATA
    ) -> Events:
        """The answer: Genie's words (or ``text``, the routed answer), streamed then whole."""
        reply = outcome.reply
        text = text or self._answer_text(outcome)
        answer_id = new_id("answer")
        for chunk in text_chunks(text):
            yield text_delta_event(answer_id, chunk)
        suggested = reply.suggested_questions if reply else []
        yield answer_event(
            answer_id, text, suggested_questions=suggested, route=route.value, **outcome.ids()
        )

    def _fail(self, error: GenieError, outcome: GenieOutcome, text: str | None = None) -> Events:
        ids = outcome.ids()
        yield error_event(
            new_id("error"),
            error.code,
            error.message,
            error.retryable,
            conversation_id=ids["conversation_id"],
        )
        text = text or f"Sorry, I could not answer that. {error.message}"
        yield answer_event(
            new_id("answer"), text, status=Status.FAILED, suggested_questions=[], **ids
        )

    # --- the Genie client, on first use ---------------------------------------------

    def _workspace(self) -> WorkspaceClient:
        if acts_as_user(self._settings):  # the asking user's credentials, this request only
            return self._new_workspace()
        with self._lock:
            if self._client is None:
                self._client = self._new_workspace()
            return self._client

    def _new_workspace(self) -> WorkspaceClient:
        try:
            return workspace_client(self._settings)
        except ValueError as error:  # databricks-sdk: no usable auth configured
            raise GenieError(
                ErrorCode.AUTH, f"Genie credentials are not configured: {error}", False
            ) from error

    # --- the whole answer at once ---------------------------------------------------

    def predict(self, request: ResponsesAgentRequest) -> ResponsesAgentResponse:
        """The same run as ``predict_stream``: its completed response (id, status, model)."""
        completed: dict[str, Any] = {}
        for event in self.predict_stream(request):
            if event.type == COMPLETED:
                completed = event.model_dump(exclude_none=True)
        return ResponsesAgentResponse(
            **completed["response"], custom_outputs=completed.get("custom_outputs")
        )


AGENT = InventoryGenieAgent()
mlflow.models.set_model(AGENT)

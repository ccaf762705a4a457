"""The agent endpoint the worker streams, chosen once when the worker starts.

Three ways to reach the same ResponsesAgent, all yielding its stream events as plain
dicts (the shape ``agent.stream_contract.read_event`` reads):

- ``AGENT_URL``: a local MLflow AgentServer, through ``openai.AsyncOpenAI``;
- ``AGENT_ENDPOINT_NAME``: a Databricks Model Serving endpoint, through the OpenAI
  client that databricks-sdk configures (sync only, so its stream runs in a thread);
- neither: the agent in this process (its ``predict_stream`` is a sync generator).

Every client is warmed at startup: the openai client's first streamed call pays
~0.4 s of one-time setup (imports, building its event models), which must not land
on a user's first question.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, Protocol

import httpx2

from agent.stream_contract import answer_event, status_event, text_delta_event
from services.common.settings import Settings

logger = logging.getLogger(__name__)


class AgentUnavailableError(RuntimeError):
    """The agent endpoint could not be reached or failed mid-stream; worth retrying."""


class AgentRejectedError(RuntimeError):
    """The agent endpoint refused the request (4xx); retrying would not help."""


class AgentClient(Protocol):
    name: str

    def stream(
        self, question: str, genie_conversation_id: str | None, genie_message_id: str | None = None
    ) -> AsyncIterator[dict]:
        """The agent's stream events for one question, as dicts.

        ``genie_message_id``: a Genie message this question already started (a retried
        job); the agent polls it instead of asking Genie again.
        """
        ...

    async def warm(self) -> None:
        """Pay one-time import and connection costs before the first job."""
        ...

    async def close(self) -> None: ...


def _request_body(question: str, custom_inputs: dict[str, str]) -> dict[str, Any]:
    """``responses.create`` keyword arguments: the question and the Genie conversation."""
    return {
        "input": [{"role": "user", "content": question}],
        "extra_body": {"custom_inputs": custom_inputs},
    }


def _custom_inputs(
    genie_conversation_id: str | None, genie_message_id: str | None
) -> dict[str, str]:
    """The Genie conversation to continue and, on a retry, the message to resume."""
    if not genie_conversation_id:
        return {}
    if not genie_message_id:
        return {"conversation_id": genie_conversation_id}
    return {"conversation_id": genie_conversation_id, "message_id": genie_message_id}


def _event_dict(event: Any) -> dict[str, Any]:
    """An openai stream event as the agent sent it, keeping extra keys (custom_outputs)."""
    if isinstance(event, dict):
        return event
    return event.to_dict(mode="json", exclude_unset=True)


def _translate_openai_error(error: Exception) -> Exception:
    """Map openai's exceptions onto the two cases the job treats differently.

    openai wraps the transport's failures, mid-stream too (a connection refused, reset
    or cut short, a read timeout: tests/reliability/test_agent_transport_faults.py), as
    ``APIConnectionError`` / ``APITimeoutError``: all unavailable, so retried."""
    import openai

    if isinstance(error, openai.APIStatusError) and _is_final_refusal(error.status_code):
        return AgentRejectedError(f"agent endpoint refused the question: {error.message}")
    return AgentUnavailableError(f"agent endpoint failed: {type(error).__name__}: {error}")


def _is_final_refusal(status_code: int) -> bool:
    """A 4xx other than timeout, conflict or rate limit: asking again gets the same."""
    return 400 <= status_code < 500 and status_code not in (408, 409, 429)


class HttpAgentClient:
    """An OpenAI-compatible agent endpoint over HTTP (the local MLflow AgentServer)."""

    name = "http"

    def __init__(self, base_url: str, model: str, settings: Settings) -> None:
        import openai

        # openai's own Timeout: the type its client accepts, whichever HTTP library it is built on.
        timeout = openai.Timeout(
            settings.agent_read_timeout_s, connect=settings.agent_connect_timeout_s
        )
        # arq owns retries (with `retrying` shown to the user), so the client makes none.
        # The API key is sent as a bearer token: the agent server's AGENT_TOKEN.
        token = settings.agent_token.get_secret_value() if settings.agent_token else "local"
        self._client = openai.AsyncOpenAI(
            base_url=base_url, api_key=token, timeout=timeout, max_retries=0
        )
        self._model = model
        self.base_url = base_url

    async def stream(
        self, question: str, genie_conversation_id: str | None, genie_message_id: str | None = None
    ) -> AsyncIterator[dict]:
        import openai

        body = _request_body(question, _custom_inputs(genie_conversation_id, genie_message_id))
        try:
            response = await self._client.responses.create(model=self._model, stream=True, **body)
            async with response:
                async for event in response:
                    yield _event_dict(event)
        except openai.OpenAIError as error:
            raise _translate_openai_error(error) from error

    async def warm(self) -> None:
        """Stream one canned response through a private client, then open a connection.

        The first-call cost is the client building its event models, not the network:
        a canned stream over an in-memory transport pays it without asking the agent
        anything, and a GET /health opens the pooled connection to the real endpoint.
        """
        import openai

        canned = httpx2.MockTransport(_canned_stream_response)
        async with httpx2.AsyncClient(transport=canned) as http_client:
            warm_client = openai.AsyncOpenAI(
                base_url="http://warm.invalid", api_key="local", http_client=http_client
            )
            response = await warm_client.responses.create(model="warm", input="", stream=True)
            async for _ in response:
                pass
        try:
            await self._client.with_options(timeout=2.0).get("/health", cast_to=httpx2.Response)
        except openai.OpenAIError as error:  # the endpoint may start after the worker
            logger.warning("agent endpoint %s not reachable yet: %s", self.base_url, error)

    async def close(self) -> None:
        await self._client.close()


def _canned_stream_response(request: httpx2.Request) -> httpx2.Response:
    """A stream in the agent's shape: a reasoning item, a text delta, a message item."""
    events = [
        status_event("warm", "starting", "warm-up"),
        text_delta_event("warm", ""),
        answer_event("warm", ""),
    ]
    body = "".join(f"data: {json.dumps(event)}\n\n" for event in events) + "data: [DONE]\n\n"
    return httpx2.Response(200, headers={"content-type": "text/event-stream"}, text=body)


class ThreadedAgentClient:
    """A sync event source (Databricks' OpenAI client, or the in-process agent) in a thread."""

    def __init__(
        self, name: str, open_stream: Callable[[str, dict[str, str]], Iterator[Any]]
    ) -> None:
        self.name = name
        self._open_stream = open_stream

    async def stream(
        self, question: str, genie_conversation_id: str | None, genie_message_id: str | None = None
    ) -> AsyncIterator[dict]:
        custom_inputs = _custom_inputs(genie_conversation_id, genie_message_id)
        async for event in _iterate_in_thread(lambda: self._open_stream(question, custom_inputs)):
            yield _event_dict(event)

    async def warm(self) -> None:
        return None

    async def close(self) -> None:
        return None


_END = object()


async def _iterate_in_thread(open_iterator: Callable[[], Iterator[Any]]) -> AsyncIterator[Any]:
    """Drain a blocking iterator in a daemon thread, handing items to the event loop.

    When the consumer stops early (job cancelled), the thread notices before its next
    item and closes the iterator itself, since a generator can only be closed from the
    thread that is running it.
    """
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[Any] = asyncio.Queue()
    stop = threading.Event()

    def hand_over(item: Any) -> None:
        # An aborted job or a worker shutting down may close the loop while this thread
        # still runs; nobody is waiting then, so the item has no one to go to.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(queue.put_nowait, item)

    def produce() -> None:
        iterator: Iterator[Any] | None = None
        try:
            iterator = open_iterator()
            for item in iterator:
                if stop.is_set():
                    break
                hand_over(item)
        except BaseException as error:  # handed to the consumer, raised there
            hand_over(error)
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()
            hand_over(_END)

    threading.Thread(target=produce, name="agent-stream", daemon=True).start()
    try:
        while (item := await queue.get()) is not _END:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()


def _databricks_client(settings: Settings) -> ThreadedAgentClient:
    import openai

    from agent.workspace import workspace_client

    endpoint = settings.agent_endpoint_name
    client = workspace_client(settings).serving_endpoints.get_open_ai_client(
        timeout=settings.agent_read_timeout_s, max_retries=0
    )

    def open_stream(question: str, custom_inputs: dict[str, str]) -> Iterator[Any]:
        try:
            yield from client.responses.create(
                model=endpoint, stream=True, **_request_body(question, custom_inputs)
            )
        except openai.OpenAIError as error:
            raise _translate_openai_error(error) from error

    return ThreadedAgentClient("databricks", open_stream)


def _in_process_client(settings: Settings) -> ThreadedAgentClient:
    from mlflow.types.responses import ResponsesAgentRequest

    from agent.genie_agent import InventoryGenieAgent

    agent = InventoryGenieAgent(settings)

    def open_stream(question: str, custom_inputs: dict[str, str]) -> Iterator[Any]:
        request = ResponsesAgentRequest(
            input=[{"role": "user", "content": question}], custom_inputs=custom_inputs
        )
        for event in agent.predict_stream(request):
            yield event.model_dump(exclude_none=True)

    return ThreadedAgentClient("in-process", open_stream)


def make_agent_client(settings: Settings) -> AgentClient:
    """The one agent client this worker uses: URL, else serving endpoint, else in-process."""
    if settings.agent_url:
        return HttpAgentClient(settings.agent_url, settings.agent_model, settings)
    if settings.agent_endpoint_name:
        return _databricks_client(settings)
    return _in_process_client(settings)

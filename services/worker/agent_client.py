"""The agent endpoint the worker streams, chosen once when the worker starts.

Three ways to reach the same ResponsesAgent, each yielding the stream's events already
read by the contract (``agent.stream_contract.Event``; each event is read once, here):

- ``AGENT_URL``: a local MLflow AgentServer, through ``openai.AsyncOpenAI``;
- ``AGENT_ENDPOINT_NAME``: a Databricks Model Serving endpoint, through the same
  ``openai.AsyncOpenAI`` at ``{host}/serving-endpoints``, each request signed with
  databricks-sdk's unified auth (``Config.authenticate()``: a token, a profile, OAuth
  refreshed as needed). databricks-sdk's ``get_open_ai_client()`` is deprecated and
  databricks-openai pins ``openai<3``;
- neither: the agent in this process (its ``predict_stream`` is a sync generator run
  through the agent's thread bridge).

A job running on behalf of a user (``services.common.on_behalf_of``) calls the endpoint
with that user's token as the bearer instead of the worker's own credentials. A local
AgentServer with ``AGENT_TOKEN`` gets that token instead (it asks Genie with its own
credentials, so a user's token means nothing to it).

A retried job whose first try got as far as Genie accepting the question sends the
Genie message id too (``custom_inputs.message_id``): the agent polls that message
instead of asking Genie again.

The HTTP clients are warmed at startup: the openai client's first streamed call pays
~0.4 s of one-time setup (imports, building its event models), which must not land on
a user's first question.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Callable, Generator, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol

import httpx2

from agent.stream_contract import Event, read_event
from services.common.on_behalf_of import current_user_token
from services.common.settings import Settings

if TYPE_CHECKING:
    from databricks.sdk.config import Config

logger = logging.getLogger(__name__)


class AgentUnavailableError(RuntimeError):
    """The agent endpoint could not be reached or failed mid-stream; worth retrying."""


class AgentRejectedError(RuntimeError):
    """The agent endpoint refused the request (4xx); retrying would not help."""


class AgentClient(Protocol):
    name: str

    def stream(
        self, question: str, genie_conversation_id: str | None, genie_message_id: str | None = None
    ) -> AsyncIterator[Event]:
        """The agent's contract events for one question.

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


def _user_bearer() -> dict[str, str]:
    """The job's user token as the request's bearer; none: the client's own."""
    token = current_user_token()
    return {"Authorization": f"Bearer {token}"} if token else {}


def _read(event: Any) -> Event | None:
    """An event as the agent sent it (keeping its custom_outputs), read by the contract."""
    raw = event if isinstance(event, Mapping) else event.to_dict(mode="json", exclude_unset=True)
    return read_event(raw)


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


class DatabricksAuth(httpx2.Auth):
    """Signs each request with databricks-sdk's unified auth (refreshed tokens included)."""

    def __init__(self, config: Config) -> None:
        self._config = config

    def auth_flow(self, request: httpx2.Request) -> Generator[httpx2.Request, Any, None]:
        request.headers.update(_user_bearer() or self._config.authenticate())
        yield request

    async def async_auth_flow(self, request: httpx2.Request) -> Any:
        # The asking user's token when the job carries one; else the worker's own, whose
        # refresh is a blocking HTTP call: keep it off the event loop.
        headers = _user_bearer() or await asyncio.to_thread(self._config.authenticate)
        request.headers.update(headers)
        yield request


class OpenAIAgentClient:
    """An agent endpoint speaking the OpenAI Responses API (AgentServer, Model Serving)."""

    def __init__(
        self,
        name: str,
        base_url: str,
        model: str,
        settings: Settings,
        auth: httpx2.Auth | None = None,
        health_path: str | None = "/health",
        token: str | None = None,
    ) -> None:
        """``auth`` signs each request (Model Serving); else ``token`` is the bearer (the
        local AgentServer's AGENT_TOKEN)."""
        import openai

        # openai's own Timeout: the type its client accepts, whichever HTTP library it is built on.
        timeout = openai.Timeout(
            settings.agent_read_timeout_s, connect=settings.agent_connect_timeout_s
        )
        http_client = httpx2.AsyncClient(auth=auth, timeout=timeout) if auth else None
        # arq owns retries (with `retrying` shown to the user), so the client makes none.
        self._client = openai.AsyncOpenAI(
            base_url=base_url,
            api_key=token or ("local" if auth is None else "signed-per-request"),
            timeout=timeout,
            max_retries=0,
            http_client=http_client,
        )
        self.name = name
        self._model = model
        self._health_path = health_path
        self._own_token = token is not None  # the server's token, never replaced by a user's
        self.base_url = base_url

    async def stream(
        self, question: str, genie_conversation_id: str | None, genie_message_id: str | None = None
    ) -> AsyncIterator[Event]:
        import openai

        custom_inputs = _custom_inputs(genie_conversation_id, genie_message_id)
        try:
            response = await self._client.responses.create(
                model=self._model,
                stream=True,
                extra_headers={} if self._own_token else _user_bearer(),
                **_request_body(question, custom_inputs),
            )
            async with response:
                async for raw in response:
                    if (event := _read(raw)) is not None:
                        yield event
        except openai.OpenAIError as error:
            raise _translate_openai_error(error) from error

    async def warm(self) -> None:
        """Stream one canned response through a private client, then open a connection.

        The first-call cost is the client building its event models, not the network:
        a canned stream over an in-memory transport pays it without asking the agent
        anything, and a GET of the health path opens the pooled connection.
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
        if self._health_path is None:
            return
        try:
            health = self._client.with_options(timeout=2.0)
            await health.get(self._health_path, cast_to=httpx2.Response)
        except openai.OpenAIError as error:  # the endpoint may start after the worker
            logger.warning("agent endpoint %s not reachable yet: %s", self.base_url, error)

    async def close(self) -> None:
        await self._client.close()


#: a minimal Responses stream: a reasoning item, a text delta, a message (warm-up only)
_CANNED_EVENTS = (
    {"type": "response.output_item.done", "output_index": 0, "sequence_number": 0,
     "item": {"type": "reasoning", "id": "w0", "summary": []}},
    {"type": "response.output_text.delta", "item_id": "w1", "output_index": 1,
     "content_index": 0, "delta": "", "sequence_number": 1, "logprobs": []},
    {"type": "response.output_item.done", "output_index": 1, "sequence_number": 2,
     "item": {"type": "message", "id": "w1", "role": "assistant", "content": []}},
)  # fmt: skip


def _canned_stream_response(request: httpx2.Request) -> httpx2.Response:
    body = "".join(f"data: {json.dumps(event)}\n\n" for event in _CANNED_EVENTS)
    body += "data: [DONE]\n\n"
    return httpx2.Response(200, headers={"content-type": "text/event-stream"}, text=body)


class ThreadedAgentClient:
    """A sync source of raw agent events (the in-process agent) drained in a thread."""

    def __init__(
        self, name: str, open_stream: Callable[[str, dict[str, str]], Iterator[Any]]
    ) -> None:
        self.name = name
        self._open_stream = open_stream

    async def stream(
        self, question: str, genie_conversation_id: str | None, genie_message_id: str | None = None
    ) -> AsyncIterator[Event]:
        from agent.thread_bridge import iterate_in_thread

        custom_inputs = _custom_inputs(genie_conversation_id, genie_message_id)
        async for raw in iterate_in_thread(lambda: self._open_stream(question, custom_inputs)):
            if (event := _read(raw)) is not None:
                yield event

    async def warm(self) -> None:
        return None

    async def close(self) -> None:
        return None


def _databricks_client(settings: Settings) -> OpenAIAgentClient:
    from services.common.workspace import databricks_config

    config = databricks_config(settings)
    return OpenAIAgentClient(
        "databricks",
        f"{config.host.rstrip('/')}/serving-endpoints",
        settings.agent_endpoint_name or "",
        settings,
        auth=DatabricksAuth(config),
        health_path=None,  # a serving endpoint has no health path; warm the client only
    )


def _in_process_client() -> ThreadedAgentClient:
    """The agent itself, in this process (it reads its own settings, agent/settings.py)."""
    from mlflow.types.responses import ResponsesAgentRequest

    from agent.genie_agent import InventoryGenieAgent

    agent = InventoryGenieAgent()

    def open_stream(question: str, custom_inputs: dict[str, str]) -> Iterator[Any]:
        request = ResponsesAgentRequest(
            input=[{"role": "user", "content": question}], custom_inputs=custom_inputs
        )
        for event in agent.predict_stream(request):
            yield event.model_dump(exclude_none=True)

    return ThreadedAgentClient("in-process", open_stream)


def make_agent_client(settings: Settings) -> AgentClient:
    """The one agent client this worker uses: serving endpoint, else URL, else in-process.

    A named Databricks endpoint wins over a URL: naming one is a deliberate choice, while
    AGENT_URL has a default in docker-compose.yml and the local run.
    """
    if settings.agent_endpoint_name:
        return _databricks_client(settings)
    if settings.agent_url:
        token = settings.agent_token.get_secret_value() if settings.agent_token else None
        return OpenAIAgentClient(
            "http", settings.agent_url, settings.agent_model, settings, token=token
        )
    return _in_process_client()

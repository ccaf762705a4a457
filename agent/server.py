"""The local agent endpoint: MLflow's AgentServer serving inventory_genie_agent.

``POST /responses`` and ``POST /invocations`` speak the OpenAI Responses API (``stream:
true`` gives server-sent events), ``GET /health`` answers when the server is up. The
agent is synchronous (databricks-sdk is), and AgentServer would iterate a synchronous
generator on its event loop, stalling every other request while one polls Genie; so
each stream runs in a worker thread and hands its events to the loop through a queue.
With ``AGENT_TOKEN`` set, every route but ``/health`` needs it (agent/server_auth.py).
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, TypeVar

from mlflow.genai.agent_server import AgentServer, invoke, stream
from mlflow.types.responses import (
    ResponsesAgentRequest,
    ResponsesAgentResponse,
    ResponsesAgentStreamEvent,
)

from agent.genie_agent import AGENT
from agent.server_auth import RequireToken
from services.common.settings import get_settings

logger = logging.getLogger(__name__)

T = TypeVar("T")
_END = object()


async def iterate_in_thread(make: Callable[[], Iterator[T]]) -> AsyncIterator[T]:
    """Run the iterator ``make()`` in a thread; stop it when the consumer goes away."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[tuple[Any, BaseException | None]] = asyncio.Queue()
    stop = threading.Event()

    def pump() -> None:
        events = make()
        outcome: BaseException | None = None
        try:
            for event in events:
                loop.call_soon_threadsafe(queue.put_nowait, (event, None))
                if stop.is_set():
                    break
        except Exception as error:  # handed to the consumer, which re-raises it
            outcome = error
        finally:
            events.close()  # type: ignore[attr-defined]
            loop.call_soon_threadsafe(queue.put_nowait, (_END, outcome))

    worker = loop.run_in_executor(None, contextvars.copy_context().run, pump)
    try:
        while True:
            item, error = await queue.get()
            if item is _END:
                if error is not None:
                    raise error
                break
            yield item
    finally:
        stop.set()
        if worker.done():
            worker.result()


@invoke()
async def invoke_agent(request: ResponsesAgentRequest) -> ResponsesAgentResponse:
    return await asyncio.to_thread(AGENT.predict, request)


@stream()
async def stream_agent(request: ResponsesAgentRequest) -> AsyncIterator[ResponsesAgentStreamEvent]:
    async for event in iterate_in_thread(lambda: AGENT.predict_stream(request)):
        yield event


agent_server = AgentServer(agent_type="ResponsesAgent")
app = agent_server.app
_token = get_settings().agent_token
if _token is not None:
    app.add_middleware(RequireToken, token=_token.get_secret_value())

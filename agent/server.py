"""The local agent endpoint: MLflow's AgentServer serving inventory_genie_agent.

``POST /responses`` and ``POST /invocations`` speak the OpenAI Responses API (``stream:
true`` gives server-sent events), ``GET /health`` answers when the server is up. Bodies
in the other shapes clients send (a string ``input``, chat ``messages``) are rewritten
first (agent/request_shapes.py). The agent is synchronous (databricks-sdk is), so each
request runs in a worker thread (agent/thread_bridge.py) and never stalls the loop.
With ``AGENT_TOKEN`` set, every route but ``/health`` needs it (agent/server_auth.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from mlflow.genai.agent_server import AgentServer, invoke, stream
from mlflow.types.responses import (
    ResponsesAgentRequest,
    ResponsesAgentResponse,
    ResponsesAgentStreamEvent,
)

from agent.genie_agent import AGENT
from agent.request_shapes import RequestShapes
from agent.server_auth import RequireToken
from agent.settings import get_agent_settings
from agent.thread_bridge import iterate_in_thread


@invoke()
async def invoke_agent(request: ResponsesAgentRequest) -> ResponsesAgentResponse:
    return await asyncio.to_thread(AGENT.predict, request)


@stream()
async def stream_agent(request: ResponsesAgentRequest) -> AsyncIterator[ResponsesAgentStreamEvent]:
    async for event in iterate_in_thread(lambda: AGENT.predict_stream(request)):
        yield event


agent_server = AgentServer(agent_type="ResponsesAgent")
app = agent_server.app
app.add_middleware(RequestShapes)
_token = get_agent_settings().agent_token
if _token is not None:  # added last, so it runs first: no body is read without the token
    app.add_middleware(RequireToken, token=_token.get_secret_value())

"""A loopback stand-in for a Databricks Model Serving endpoint serving the agent.

Model Serving answers an agent endpoint at ``/serving-endpoints/{name}/invocations``
(what ``WorkspaceClient().serving_endpoints.query`` and MLflow's deployments client
call) and at the OpenAI-compatible ``/serving-endpoints/responses`` with the endpoint
as ``model`` (what the worker's openai client calls). This serves the real agent server
(agent/server.py) on both paths, behind a bearer token as a workspace would, so those
clients are tested end to end with no workspace.

Run: ``python -m harness.serving_endpoint --port P --token T`` (the agent reads its
usual settings: point it at a local Genie).
"""

from __future__ import annotations

import argparse
import re

import uvicorn
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

INVOCATIONS = re.compile(r"^/serving-endpoints/(?P<name>[^/]+)/invocations$")
RESPONSES = "/serving-endpoints/responses"


class ServingEndpoint:
    """Routes the serving paths to the agent server's own, after checking the bearer."""

    def __init__(self, agent: ASGIApp, token: str) -> None:
        self.agent = agent
        self.authorization = f"Bearer {token}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.agent(scope, receive, send)
            return
        path = scope["path"]
        target = "/invocations" if INVOCATIONS.match(path) else None
        target = "/responses" if path == RESPONSES else target
        if target is None:
            await JSONResponse({"error_code": "NOT_FOUND"}, 404)(scope, receive, send)
            return
        if dict(scope["headers"]).get(b"authorization") != self.authorization:
            body = {"error_code": "UNAUTHENTICATED", "message": "Invalid access token."}
            await JSONResponse(body, 401)(scope, receive, send)
            return
        await self.agent({**scope, "path": target, "raw_path": target.encode()}, receive, send)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--token", required=True)
    args = parser.parse_args()
    from agent.server import app

    uvicorn.run(ServingEndpoint(app, args.token), host="127.0.0.1", port=args.port)


if __name__ == "__main__":
    main()

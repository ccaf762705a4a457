"""`inventory-agent serve-agent`: the agent behind MLflow's AgentServer, on uvicorn."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve-agent", help="serve inventory_genie_agent (OpenAI Responses API, /responses)"
    )
    parser.add_argument("--host", default=None, help="interface (default HOST)")
    parser.add_argument("--port", type=int, default=None, help="port (default AGENT_PORT)")
    parser.set_defaults(handler=_serve_agent)


def _serve_agent(args: argparse.Namespace) -> int:
    import uvicorn

    from agent.server_auth import AgentTokenMissing, check_exposure
    from agent.settings import get_agent_settings

    settings = get_agent_settings()
    host = args.host or settings.host
    token = settings.agent_token.get_secret_value() if settings.agent_token else None
    try:
        check_exposure(host, token)
    except AgentTokenMissing as error:
        print(f"error: {error}")
        return 2

    from agent.server import app

    uvicorn.run(app, host=host, port=args.port or settings.agent_port)
    return 0

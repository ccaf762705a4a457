"""`inventory-agent api`: serve the REST + websocket API with uvicorn."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("api", help="serve the question API (REST + websockets)")
    parser.add_argument("--host", default=None, help="interface (default HOST)")
    parser.add_argument("--port", type=int, default=None, help="port (default API_PORT)")
    parser.set_defaults(handler=_serve_api)


def _serve_api(args: argparse.Namespace) -> int:
    from services.api.main import create_app
    from services.common.logs import setup_logging
    from services.common.settings import get_settings

    settings = get_settings()
    setup_logging(args.log_level, settings.log_format)
    serve(create_app(settings), args.host or settings.host, args.port or settings.api_port, args)
    return 0


def serve(app: Any, host: str, port: int, args: argparse.Namespace) -> None:
    """Run an app holding the API's websockets (the API alone, or the App's one port)."""
    import uvicorn

    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level=args.log_level.lower(),
        log_config=None,  # uvicorn's loggers propagate to the structured root handler
        ws_ping_interval=20,
    )

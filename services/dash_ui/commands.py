"""`inventory-agent ui`: serve the Dash chat page."""

from __future__ import annotations

import argparse
import logging

logger = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("ui", help="serve the Dash chat page (GET /healthz)")
    parser.add_argument("--host", default=None, help="interface (default HOST)")
    parser.add_argument("--port", type=int, default=None, help="port (default UI_PORT)")
    parser.set_defaults(handler=_run_ui)


def _run_ui(args: argparse.Namespace) -> int:
    from services.common.settings import get_settings
    from services.dash_ui.app import create_app

    settings = get_settings()
    host, port = args.host or settings.host, args.port or settings.ui_port
    logger.info("chat page on http://%s:%s (API %s)", host, port, settings.api_url)
    create_app().run(host=host, port=port, debug=False)
    return 0

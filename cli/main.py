"""The `inventory-agent` command: one entry point for every process the project runs.

Each feature folder owns its sub-commands in a ``commands.py`` with a
``register(subparsers)`` function; this module only collects them. Handlers import
their heavy dependencies lazily so that ``inventory-agent --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

COMMAND_MODULES = (
    "genie_local.commands",  # data generate, genie serve, genie ask
    "agent.commands",  # serve-agent
    "services.api.commands",  # api
    "services.worker.commands",  # worker
    "services.dash_ui.commands",  # ui
    "services.client.commands",  # ask (terminal client)
    "services.runner.commands",  # redis (embedded server), run (make run), app, app-server
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="inventory-agent",
        description="Inventory Genie Agent: ask inventory questions in plain English.",
    )
    parser.add_argument("--log-level", default="INFO", help="logging level (default INFO)")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        result = args.handler(args)
    except KeyboardInterrupt:
        return 130
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())

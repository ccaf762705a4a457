"""`inventory-agent data …` and `inventory-agent genie …`: the local Genie space's commands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    data = subparsers.add_parser("data", help="the demo inventory database")
    data_commands = data.add_subparsers(dest="data_command", required=True, metavar="ACTION")
    generate = data_commands.add_parser("generate", help="generate the demo DuckDB database")
    generate.add_argument("--db", type=Path, required=True, help="DuckDB file to write")
    generate.add_argument("--scale", type=int, default=1, help="catalog variants per part")
    generate.add_argument("--seed", type=int, default=42, help="random seed (same seed, same data)")
    generate.set_defaults(handler=_generate)
    _register_genie(subparsers)


def _register_genie(subparsers: argparse._SubParsersAction) -> None:
    genie = subparsers.add_parser("genie", help="the local Genie space's API server")
    genie_commands = genie.add_subparsers(dest="genie_command", required=True, metavar="ACTION")
    serve = genie_commands.add_parser("serve", help="serve the Genie Conversation API locally")
    serve.add_argument("--db", type=Path, help="DuckDB file (default: LOCAL_GENIE_DB)")
    serve.add_argument("--host", help="interface to listen on (default: HOST)")
    serve.add_argument("--port", type=int, help="port (default: GENIE_PORT)")
    serve.set_defaults(handler=_genie_serve)
    ask = genie_commands.add_parser(
        "ask",
        help="ask the local Genie space one question",
        description="Ask one question. With --db (or no server running) the space is served "
        "in-process for this one question; otherwise, and always with --conversation-id, "
        "the running `genie serve` at LOCAL_GENIE_URL answers, so conversations continue.",
    )
    ask.add_argument("--db", type=Path, help="answer in-process over this DuckDB file")
    ask.add_argument("--conversation-id", help="continue a conversation of the running server")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.add_argument("question", help="the question, in plain English")
    ask.set_defaults(handler=_genie_ask)


def _generate(args: argparse.Namespace) -> int:
    from genie_local.datagen import DataGenerationError, generate

    try:
        generate(args.db, scale=args.scale, seed=args.seed, show_progress=True)
    except DataGenerationError as error:
        print(f"inventory-agent data generate: {error}", file=sys.stderr)
        return 2
    return 0


def _genie_serve(args: argparse.Namespace) -> int:
    from genie_local.server.cli import serve

    return serve(args.db, args.host, args.port)


def _genie_ask(args: argparse.Namespace) -> int:
    from genie_local.server.cli import ask

    return ask(args.question, args.db, args.conversation_id, as_json=args.json)

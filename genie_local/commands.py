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


def _generate(args: argparse.Namespace) -> int:
    from genie_local.datagen import DataGenerationError, generate

    try:
        generate(args.db, scale=args.scale, seed=args.seed, show_progress=True)
    except DataGenerationError as error:
        print(f"inventory-agent data generate: {error}", file=sys.stderr)
        return 2
    return 0

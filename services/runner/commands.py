"""`inventory-agent redis`: run the embedded Redis server in the foreground."""

from __future__ import annotations

import argparse
import os


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("redis", help="run the embedded Redis server (foreground)")
    parser.add_argument("--port", type=int, default=None, help="port (default REDIS_PORT)")
    parser.add_argument("--dir", default=None, help="data directory (default REDIS_DATA_DIR)")
    parser.set_defaults(handler=_run_redis)


def _run_redis(args: argparse.Namespace) -> int:
    from services.common.settings import get_settings
    from services.runner.redis_server import redis_server_command

    settings = get_settings()
    data_dir = settings.redis_data_dir if args.dir is None else args.dir
    os.makedirs(data_dir, exist_ok=True)
    command = redis_server_command(args.port or settings.redis_port, data_dir)
    os.execv(command[0], command)  # replaces this process: signals reach Redis directly

"""`inventory-agent redis`: run the embedded Redis server in the foreground."""

from __future__ import annotations

import argparse
import os


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("redis", help="run the embedded Redis server (foreground)")
    parser.add_argument("--port", type=int, default=None, help="port (default REDIS_PORT)")
    parser.add_argument("--dir", default=None, help="data directory (default REDIS_DATA_DIR)")
    parser.set_defaults(handler=_run_redis)

    parser = subparsers.add_parser(
        "urls", help="wait until every `make run` service answers, then print their URLs"
    )
    parser.add_argument("--timeout-s", type=float, default=120.0, help="longest wait")
    parser.add_argument("--once", action="store_true", help="exit after printing")
    parser.set_defaults(handler=_show_urls)


def _run_redis(args: argparse.Namespace) -> int:
    from services.common.settings import get_settings
    from services.runner.redis_server import redis_server_command

    settings = get_settings()
    data_dir = settings.redis_data_dir if args.dir is None else args.dir
    os.makedirs(data_dir, exist_ok=True)
    command = redis_server_command(args.port or settings.redis_port, data_dir)
    os.execv(command[0], command)  # replaces this process: signals reach Redis directly


def _show_urls(args: argparse.Namespace) -> int:
    from services.common.settings import get_settings
    from services.runner.banner import show_banner, wait_for_stop

    show_banner(get_settings(), args.timeout_s)
    if not args.once:
        wait_for_stop()  # honcho ends every process when one exits: stay until Ctrl-C
    return 0

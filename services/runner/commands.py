"""`inventory-agent redis | run | app | app-server`: the processes that make a whole product."""

from __future__ import annotations

import argparse
import asyncio
import os
import threading


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("redis", help="run the embedded Redis server (foreground)")
    parser.add_argument("--port", type=int, default=None, help="port (default REDIS_PORT)")
    parser.add_argument("--dir", default=None, help="data directory (default REDIS_DATA_DIR)")
    parser.set_defaults(handler=_run_redis)

    parser = subparsers.add_parser(
        "run",
        help="`make run`: Redis, local Genie, agent, worker, API and chat page, log-prefixed; "
        "prints the URLs once all answer; stops all (naming the culprit) if one dies",
    )
    parser.add_argument("--timeout-s", type=float, default=120.0, help="longest wait for URLs")
    parser.set_defaults(handler=_run_local_stack)

    parser = subparsers.add_parser(
        "app",
        help="a Databricks App container: page + API on one port, arq workers, embedded "
        "Redis (or REDIS_URL's); restarts a crashed child",
    )
    parser.add_argument("--host", default="0.0.0.0", help="interface (default 0.0.0.0)")
    parser.add_argument("--port", type=int, default=None, help="default DATABRICKS_APP_PORT")
    parser.add_argument("--workers", type=int, default=None, help="default APP_WORKERS")
    parser.set_defaults(handler=_run_app)

    parser = subparsers.add_parser(
        "app-server", help="serve the chat page and the API on one port (run by `app`)"
    )
    parser.add_argument("--host", default=None, help="interface (default HOST)")
    parser.add_argument("--port", type=int, required=True, help="port")
    parser.set_defaults(handler=_serve_app)


def _run_redis(args: argparse.Namespace) -> int:
    from services.common.settings import get_settings
    from services.runner.redis_server import redis_server_command

    settings = get_settings()
    data_dir = settings.redis_data_dir if args.dir is None else args.dir
    os.makedirs(data_dir, exist_ok=True)
    command = redis_server_command(args.port or settings.redis_port, data_dir)
    os.execv(command[0], command)  # replaces this process: signals reach Redis directly


def _run_local_stack(args: argparse.Namespace) -> int:
    from services.common.settings import get_settings
    from services.runner.banner import show_banner
    from services.runner.stacks import local_stack
    from services.runner.supervisor import OnExit, Supervisor

    settings = get_settings()
    supervisor = Supervisor(local_stack(settings, args.log_level), OnExit.STOP_ALL)

    stopped = threading.Event()

    async def banner() -> None:
        try:
            await asyncio.to_thread(show_banner, settings, args.timeout_s, stopped)
        finally:  # cancelled by a stop: the thread ends at its next poll, printing nothing
            stopped.set()

    return asyncio.run(supervisor.run(when_started=banner))


def _run_app(args: argparse.Namespace) -> int:
    from services.common.settings import get_settings
    from services.runner.stacks import app_stack
    from services.runner.supervisor import OnExit, Supervisor

    settings = get_settings()
    port = args.port or settings.databricks_app_port
    if port is None:
        raise SystemExit("inventory-agent app: give --port, or set DATABRICKS_APP_PORT")
    workers = args.workers or settings.app_workers
    children = app_stack(settings, args.host, port, workers, args.log_level)
    return asyncio.run(Supervisor(children, OnExit.RESTART).run())


def _serve_app(args: argparse.Namespace) -> int:
    from services.api.commands import serve
    from services.app.web import create_web_app
    from services.common.logs import setup_logging
    from services.common.settings import get_settings

    settings = get_settings()
    setup_logging(args.log_level, settings.log_format)
    serve(create_web_app(settings), args.host or settings.host, args.port, args)
    return 0

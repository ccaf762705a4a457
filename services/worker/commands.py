"""`inventory-agent worker`: run the arq worker that answers queued questions."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("worker", help="run the arq worker (answers queued questions)")
    parser.add_argument("--burst", action="store_true", help="stop once the queue is empty")
    parser.set_defaults(handler=_run_worker)


def _run_worker(args: argparse.Namespace) -> int:
    from services.common.logs import setup_logging
    from services.common.settings import get_settings
    from services.worker.resilient_run import run_worker

    setup_logging(args.log_level, get_settings().log_format)
    run_worker(burst=args.burst)
    return 0

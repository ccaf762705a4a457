"""`inventory-agent ask "…"`: ask from the terminal and watch the answer stream in."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "ask", help="ask a question and print its progress live (Ctrl-C cancels it)"
    )
    parser.add_argument("question", help="the question, in plain English")
    parser.add_argument("--conversation-id", default=None, help="continue this conversation")
    parser.add_argument("--api-url", default=None, help="the API (default API_URL)")
    parser.set_defaults(handler=_ask)


def _ask(args: argparse.Namespace) -> int:
    import asyncio
    import logging

    from services.client.ask import AskError, ask
    from services.common.chunks import QuestionStatus
    from services.common.settings import get_settings

    logging.getLogger("httpx").setLevel(logging.WARNING)  # its request lines are noise here
    api_url = (args.api_url or get_settings().api_url).rstrip("/")
    try:
        status = asyncio.run(ask(api_url, args.question, args.conversation_id, sys.stdout))
    except AskError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0 if status == QuestionStatus.COMPLETED else 1

"""What a waiting question's ``queued`` status says, wherever it is published.

Three publishers tell a question where it stands — the API when it is asked, the worker
holding it while Genie's rate limit makes it wait, and the worker ticking for the
questions still in arq's queue (services/worker/backlog_positions.py) — so the page
and the terminal read one wording whoever wrote it.
"""

from __future__ import annotations


def _place(position: int) -> str:
    ahead = position - 1
    if ahead <= 0:
        return "you are next"
    return f"{ahead} question{'s' if ahead > 1 else ''} ahead of yours"


def queued_message(position: int, eta_s: int | None = None) -> str:
    """Waiting for a worker; with ``eta_s`` once the queue's pace is known."""
    message = f"⏳ Queued: {_place(position)}"
    return message if eta_s is None else f"{message}, starting in about {eta_s} s"


def genie_wait_message(position: int, eta_s: int) -> str:
    """Waiting for Genie's shared rate limit (services/common/genie_limiter.py)."""
    return f"⏳ Waiting for Genie (rate limit): {_place(position)}, starting in about {eta_s} s"

"""Parse what a websocket asks for: which questions, after which seq, how batched.

Bad values become ``BadSubscription`` with a short reason: it is sent as the websocket
close reason (code 4400), which the protocol limits to 123 bytes.
"""

from __future__ import annotations

import re

QUESTION_ID = re.compile(r"^[A-Za-z0-9_-]{1,100}$")
#: ASCII digits only: str.isdigit() and int() also take "²" or "١٢", which int() may refuse
SEQ = re.compile(r"^-?[0-9]{1,19}$")
BATCH_MS = re.compile(r"^[0-9]{1,4}$")
MAX_QUESTIONS_PER_STREAM = 500
MAX_BATCH_MS = 1000
#: no stream comes near this many chunks; past it Redis' list indexes (int64) overflow
MAX_AFTER_SEQ = 2**53


class BadSubscription(ValueError):
    """The websocket's query string cannot be served as given."""


def parse_after_seq(value: str | None) -> int:
    """``after_seq`` (-1, the default, means from the start)."""
    if value is None or value == "":
        return -1
    if not SEQ.match(value):
        raise BadSubscription(f"after_seq must be an integer >= -1, not {value[:30]!r}")
    after = int(value)
    if not -1 <= after <= MAX_AFTER_SEQ:
        raise BadSubscription(
            f"after_seq must be from -1 (replay from the start) to {MAX_AFTER_SEQ}"
        )
    return after


def parse_batch_ms(value: str | None, default: int) -> int:
    """``batch_ms``: at most one frame per this many ms (0 sends each chunk alone)."""
    if value is None or value == "":
        return default
    if not BATCH_MS.match(value) or int(value) > MAX_BATCH_MS:
        raise BadSubscription(f"batch_ms must be an integer from 0 to {MAX_BATCH_MS}")
    return int(value)


def parse_flag(name: str, value: str | None) -> bool:
    """A yes/no query parameter: ``1``/``true`` or ``0``/``false``; absent is no."""
    if value is None or value == "":
        return False
    if value.lower() in ("1", "true"):
        return True
    if value.lower() in ("0", "false"):
        return False
    raise BadSubscription(f"{name} must be 1, true, 0 or false, not {value[:20]!r}")


def parse_question_list(value: str | None) -> dict[str, int]:
    """``questions=<id>:<after_seq>,<id>`` → {id: after_seq}; a bare id means from the start."""
    wanted: dict[str, int] = {}
    for item in (value or "").split(","):
        if not item.strip():
            continue
        question_id, _, after = item.strip().partition(":")
        if not QUESTION_ID.match(question_id):
            raise BadSubscription(f"bad question id {question_id[:40]!r} in questions=")
        wanted[question_id] = parse_after_seq(after)
    if len(wanted) > MAX_QUESTIONS_PER_STREAM:
        raise BadSubscription(f"at most {MAX_QUESTIONS_PER_STREAM} questions per stream")
    return wanted

"""The stock and order statuses a question names ("low", "open", "late", "excluding
cancelled"), taken out of the text once read so later steps do not read their words as
measures or rankings."""

from __future__ import annotations

import re

from genie_local.nl2sql import clauses
from genie_local.nl2sql.lexicon import DELIVERY_VERB, PAST_DUE_DATE, STATUS_PATTERNS, STATUS_RE

_OPEN = re.compile(dict(STATUS_PATTERNS)["open"])
# "low on stock", "critically low in inventory": the noun names where the status is, not a
# quantity asked for, so it goes with the status word
_STOCK_TAIL = re.compile(r"\s+(?:on|in) (?:stock|inventory)\b")


def read_statuses(text: str) -> tuple[list[str], str]:
    """The statuses named, and the text with the consumed status words blanked."""
    statuses: list[str] = []
    open_span = (0, 0)
    for name, pattern in STATUS_RE:
        if (
            (match := pattern.search(text))
            and name == "cancelled"
            and clauses.excluding(text, match.start())
        ):
            statuses.append("not_cancelled")  # "excluding cancelled orders"
            text = text[: match.start()] + " " + text[match.end() :]
            continue
        if match and name in {"low", "critical"}:
            # "whose available quantity is below safety stock": the quantity is the status's
            start = clauses.compared_quantity_start(text, match.start())
            text = text[:start] + " " * (match.start() - start) + text[match.start() :]
        if match and not clauses.negated(text, match.start()):
            if name == "late" and re.search(
                r"\bhow late|late by|days late|late (?:rate|ratio|percentage|share)"
                r"|late(?: deliver(?:y|ies)| orders?| pos?| shipments?)? (?:in|measured in) days",
                text,
            ):
                continue
            if name == "received" and re.search(r"lead time|how long", text):
                continue
            if name == "received" and open_span[0] <= match.start() < open_span[1]:
                continue  # "still waiting to be delivered" is open, not delivered
            if name == "open":
                open_span = match.span()
            if name == "overdue" and _delivered_past_due(text, match.group(0)):
                continue  # "arrived past the promised date" was delivered late: left to 'late'
            statuses.append(name)
            if name not in {"late", "open"}:
                end = match.end()
                if name in {"low", "critical"} and (tail := _STOCK_TAIL.match(text, end)):
                    end = tail.end()
                text = text[: match.start()] + " " + text[end:]
    if "early" in statuses and "received" not in statuses:
        statuses.insert(0, "received")  # an early delivery is a received order: read as one
    if "late" in statuses and "open" in statuses and "received" not in statuses:
        statuses[statuses.index("late")] = "overdue"  # an open order running late is overdue
    if "overdue" in statuses and "late" in statuses:
        statuses.remove("late")
    if "critical" in statuses and "low" in statuses:
        statuses.remove("low")
    return statuses, text


def _delivered_past_due(text: str, phrase: str) -> bool:
    """'Past the due date' is overdue while the order is still open, but late once it says
    the order arrived: a received order cannot be overdue."""
    return (
        re.fullmatch(PAST_DUE_DATE, phrase) is not None
        and re.search(DELIVERY_VERB, text) is not None
        and _OPEN.search(text) is None
    )

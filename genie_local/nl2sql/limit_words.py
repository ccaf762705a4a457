"""How many rows a question asks for ("top 5", "make it 3", "the 3 slowest"), and the
direction when the same words give it."""

# ruff: noqa: E501  (vocabulary tables of regular expressions read best one alternative list per line)

from __future__ import annotations

import re
from dataclasses import dataclass

from genie_local.nl2sql import clauses, measure_words
from genie_local.nl2sql.lexicon import ANY_NOUN, ASC, DESC, NUM


@dataclass(frozen=True)
class LimitRead:
    """A row count read from the question; ``replaces`` says a follow-up's N overrides the last one."""

    limit: int | None = None
    order: str | None = None
    replaces: bool = False


def read_limit(text: str) -> tuple[LimitRead, str]:
    """The row count asked for, and the text with "top N" reduced to its ranking word."""
    if match := re.search(
        rf"\b(top|bottom|first|last|worst|best|highest|lowest|largest|smallest)\s+{NUM}\b", text
    ):
        order = "asc" if match.group(1) in {"bottom", "lowest", "smallest"} else "desc"
        text = text[: match.start()] + f" {match.group(1)} " + text[match.end() :]
        return LimitRead(clauses.number(match.group(2)), order, True), text
    if match := re.search(  # "make it 3", "make that top 8", "the slowest moving 5"
        rf"^(?:ok |now |and |then )?(?:make (?:it|that|this)|change (?:it |that )?to|just|only|show)(?: the)?(?: (top|bottom))? {NUM}$"
        rf"|\b(?:{DESC}|{ASC})(?:[- ][a-z]+)?\s+{NUM}(?:\s+(?:{ANY_NOUN}))?$",
        measure_words.without_comparators(text),
    ):
        order = None
        if match.group(1):
            order = "asc" if match.group(1) == "bottom" else "desc"
        return LimitRead(clauses.number(match.group(2) or match.group(3)), order, True), text
    if match := re.search(
        rf"\b{NUM}\s+(?:most|least|highest|lowest|biggest|largest|smallest|best|worst|cheapest|fastest|slowest)\b"
        rf"|\b(?:which|what|the|list|show(?: me)?|name|give me)\s+{NUM}\s+(?:[\w-]+\s+)?(?:{ANY_NOUN})\b",
        text,
    ):
        return LimitRead(clauses.number(match.group(1) or match.group(2)), None, True), text
    return LimitRead(), text

"""An attribute asked beside the answer ("which supplier makes X, and what country are
they in?"): the attribute's column is shown next to the listed entity instead of its
words being read as the question's subject or measure and dropped."""

from __future__ import annotations

import re

# attribute → its words; the names are DIMENSIONS kinds or MEASURES attribute columns
_ATTRIBUTES = {
    "country": r"countr(?:y|ies)|nations?",
    "city": r"cit(?:y|ies)",
    "state": r"states?",
    "region": r"regions?",
    "category": r"categor(?:y|ies)",
    "lead_time": r"lead[- ]?times?",
    "quoted_on_time": r"(?:quoted |stated )?on[- ]time (?:rate|ratio|percentage)",
    "unit_cost": r"unit costs?|costs?|prices?",
    "capacity": r"capacit(?:y|ies)",
}
_ASKED = re.compile(
    r"(?:,\s*|\s)and\s+(?:what|which|whats|what's)(?:'s|\s+is|\s+are|\s+was)?\s+"
    r"(?:the\s+|their\s+|its\s+|his\s+|her\s+)?(?P<words>"
    + "|".join(f"(?P<{name}>{words})" for name, words in _ATTRIBUTES.items())
    + r")\b[^,]*$"
)


def asked_attributes(text: str) -> tuple[tuple[str, ...], str]:
    """The attributes a trailing "…, and what X …" asks for, and the text without it."""
    match = _ASKED.search(text)
    if match is None:
        return (), text
    name = next(k for k, v in match.groupdict().items() if v and k != "words")
    return (name,), text[: match.start()] + " " * (len(text) - match.start())

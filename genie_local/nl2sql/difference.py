"""'The difference in inventory value between Los Angeles and Seattle' asks for one
number, the first named minus the second, not the two values side by side: the grouped
query's two rows are folded into that one row, with both values kept beside it. The
wording that asks for it lives here too, beside the fold it triggers."""

from __future__ import annotations

import re

from genie_local.nl2sql.measures import KEY_COLUMN

# "the gap between A and B", "how much more does A cost than B" ("less"/"cheaper" put B
# first), "by how much does A's cost exceed B's", "is A more expensive than B, and by how
# much": the question wants the one difference, named values standing as blanks
ASKS_FOR_DIFFERENCE = re.compile(
    r"\b(?:difference|gap)\b.*\bbetween (?:the |an? )?"
    r"(?:(?:[a-z-]+\s+){1,4}(?:of|for|at|in|from)\s+(?:the |an? )?)?_+"
    r"(?:\s+\S+){0,3}?\s+and\s+(?:the |an? )?(?:\S+\s+){0,2}?_"
    r"|\bhow (?:much|many) (?:more|higher|bigger|greater|longer|larger|costlier|pricier"
    r"|(?P<less>less|lower|smaller|fewer|cheaper|shorter))\b.*_.*"
    r"\bthan (?:of |in |at |for |from )?(?:the |an? )?_"
    r"|\bby how (?:much|many)\b.*_.*\b(?:exceeds?|outstrips?|tops?|beats?)\b.*_"
    r"|_.*\b(?:more|higher|bigger|greater|longer|larger|costlier|pricier)\b.*\bthan (?:the |an? )?_"
    r".*\bby how (?:much|many)\b"
)


def first_minus_second(grouped_sql: str, kind: str, values: tuple[str, ...], label: str) -> str:
    """One row: each named value's figure and the first minus the second (a side with no
    rows counts as zero, so the difference is never lost to a NULL)."""
    key = KEY_COLUMN[kind].split(".")[-1]
    first, second = (value.replace("'", "''") for value in values[:2])
    picked = [
        f"COALESCE(MAX(CASE WHEN {key} = '{v}' THEN {label} END), 0)" for v in (first, second)
    ]
    return (
        f"SELECT {picked[0]} - {picked[1]} AS {label}_difference, "
        f"{picked[0]} AS {label}_first, {picked[1]} AS {label}_second "
        f"FROM ({grouped_sql}) compared"
    )

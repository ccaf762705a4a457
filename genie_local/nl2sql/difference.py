"""'The difference in inventory value between Los Angeles and Seattle' asks for one
number, the first named minus the second, not the two values side by side: the grouped
query's two rows are folded into that one row, with both values kept beside it."""

from __future__ import annotations

from genie_local.nl2sql.measures import KEY_COLUMN


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

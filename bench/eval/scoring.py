"""Execution-match scoring: normalise cells, then compare results column by column.

Rules (shared/eval/README.md): numbers rounded to 2 decimals (Decimal, int and numeric
strings alike, since Genie returns every cell as a string); dates and midnight
timestamps as YYYY-MM-DD, "YYYY-MM" as the first of that month; a part, warehouse or
supplier named by name, city or id counts as its id. Same row count; each gold column
must equal, as a multiset, some column of the system's result; row order is ignored.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

_DATE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?)?(?:Z|[+-]00:?00)?$"
)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")


@dataclass(frozen=True)
class Verdict:
    passed: bool
    reason: str


def _number(value: float | Decimal | int) -> Decimal:
    rounded = Decimal(str(value)).quantize(Decimal("0.01"))
    return rounded + Decimal("0.00")  # -0.00 → 0.00


def normalise(value: Any, aliases: Mapping[str, str] | None = None) -> Any:
    """One cell in the form both sides are compared in."""
    if value is None:
        return None
    if isinstance(value, bool):
        return _number(int(value))
    if isinstance(value, int | float | Decimal):
        if isinstance(value, float) and value != value:  # NaN
            return None
        return _number(value)
    if isinstance(value, datetime):
        if value.time() == datetime.min.time():
            return value.date().isoformat()
        return value.replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if _NUMBER.match(text):
        try:
            return _number(Decimal(text))
        except InvalidOperation:
            return text
    if match := _DATE.match(text):
        year, month, day, hour, minute, second = match.groups()
        if hour is None or (hour, minute, second) == ("00", "00", "00"):
            return f"{year}-{month}-{day}"
        return f"{year}-{month}-{day} {hour}:{minute}:{second}"
    if match := _MONTH.match(text):
        return f"{match.group(1)}-{match.group(2)}-01"
    if aliases:
        return aliases.get(text.lower(), text)
    return text


def compare(
    gold_rows: Sequence[Sequence[Any]],
    system_rows: Sequence[Sequence[Any]],
    aliases: Mapping[str, str] | None = None,
) -> Verdict:
    """Whether the system's result matches the gold result (README's execution match)."""
    if len(gold_rows) != len(system_rows):
        return Verdict(False, f"row count {len(system_rows)} ≠ gold {len(gold_rows)}")
    if not gold_rows:
        return Verdict(True, "both empty")
    gold_columns = _columns(gold_rows, aliases)
    system_columns = _columns(system_rows, aliases)
    for index, gold in enumerate(gold_columns):
        if not any(gold == candidate for candidate in system_columns):
            sample = sorted(map(str, gold.elements()))[:3]
            return Verdict(False, f"gold column {index + 1} (e.g. {sample}) has no match")
    return Verdict(True, "match")


def _columns(rows: Sequence[Sequence[Any]], aliases: Mapping[str, str] | None) -> list[Counter]:
    width = len(rows[0])
    return [Counter(normalise(row[i], aliases) for row in rows) for i in range(width)]


def entity_aliases(rows: Sequence[tuple[str, ...]]) -> dict[str, str]:
    """name/city/id (lower case) → id, from (id, name[, city]) rows of the space's tables."""
    aliases: dict[str, str] = {}
    for entity_id, *names in rows:
        aliases[entity_id.lower()] = entity_id
        for name in names:
            if name:
                aliases.setdefault(name.lower(), entity_id)
    return aliases

"""Clauses read from a question's text on their own: breakdowns, thresholds, NOT EXISTS
exclusions, negation and number words. Each reader takes the masked, normalised text.
"""

# ruff: noqa: E501  (vocabulary tables of regular expressions read best one alternative list per line)

from __future__ import annotations

import re

from genie_local.nl2sql.lexicon import (
    COMPARATORS,
    GRAIN_RE,
    GROUP_RE,
    THRESHOLD_RE,
    WORD_NUMBERS,
)


def number(text: str) -> int:
    return int(text) if text.isdigit() else WORD_NUMBERS[text]


def negated(text: str, position: int) -> bool:
    return bool(
        re.search(r"\b(?:not|no longer|never|isn't|aren't)\s+(?:\w+\s+)?$", text[:position])
    )


def groups(text: str) -> tuple[tuple[str, ...], bool]:
    groups: list[str] = []
    for match in GROUP_RE.finditer(text):
        kind = next(k for k, v in match.groupdict().items() if v)
        if match.group(0).startswith(("across all", "for all")) and kind in {
            "warehouse",
            "part",
            "supplier",
        }:
            continue  # "across all warehouses" totals, it does not break down
        if kind not in groups:
            groups.append(kind)
    for grain, pattern in GRAIN_RE:
        if re.search(pattern, text) and grain not in groups:
            groups.append(grain)
    if re.search(r"\b(?:trend|over time|time series|history)\b", text) and not any(
        g in groups for g in ("day", "week", "month", "quarter", "year")
    ):
        groups.append("month")
    if (
        re.search(
            r"\bwhere\b.*\b(?:stored|held|located|kept)\b|\bwhich (?:warehouses|locations|dcs)\b.*\b(?:have|hold|stock|carry)",
            text,
        )
        and "warehouse" not in groups
    ):
        pass
    return tuple(groups), bool(groups)


def threshold(text: str) -> tuple[str, float, str | None] | None:
    match = THRESHOLD_RE.search(text)
    if not match:
        return None
    operator = next(
        name for name, pattern in COMPARATORS if re.fullmatch(pattern, match.group("op"))
    )
    value = float(match.group("num").replace(",", ""))
    unit = match.group("unit") or ""
    if unit in {"k", "thousand"}:
        value *= 1_000
    elif unit in {"m", "million"}:
        value *= 1_000_000
    elif unit in {"%", "percent"}:
        value /= 100
    return operator, value, (match.group("after") or "").strip() or None


def scaled(measure: str, value: float) -> float:
    """Rates are stored as 0..1: "below 90" means 0.9 for a rate."""
    if measure in {"quoted_on_time", "on_time_rate", "late_rate", "utilization"} and value > 1:
        return value / 100
    return value


def exclusions(text: str) -> list[str]:
    """NOT EXISTS readings: "with no open purchase order", "without any demand"."""
    found: list[str] = []
    negation = r"\b(?:with(?:out)?|have|has|having|had|that have|that had)\s+(?:no|zero|not any|never had|any)\b|\bwithout\b|\bno\b|\bnever\b"
    for match in re.finditer(negation, text):
        tail = text[match.end() : match.end() + 60]
        if match.group(0) == "no" and not re.match(
            r"\s+(?:open|overdue|pending|outstanding|purchase|orders?|pos?\b|demand|sales|late|usage)",
            tail,
        ):
            continue
        if re.match(
            r"\s*(?:any\s+)?(?:open|pending|outstanding|incoming|inbound)\b|\s*(?:any\s+)?(?:purchase orders?|pos?|orders?)\s+(?:open|pending|outstanding|on order)|\s*(?:any\s+)?(?:\w+\s+)?on order",
            tail,
        ):
            found.append("open_po")
        elif re.match(r"\s*(?:any\s+)?overdue", tail):
            found.append("overdue_po")
        elif re.match(r"\s*(?:any\s+)?late", tail):
            found.append("late")
        elif re.match(r"\s*(?:any\s+)?(?:purchase orders?|pos?\b|orders?)", tail):
            found.append("any_po")
        elif re.match(
            r"\s*(?:any\s+)?(?:recent\s+)?(?:demand|sales|usage|consumption)|\s*(?:been\s+)?(?:sold|used|consumed)",
            tail,
        ):
            found.append("demand")
    return found

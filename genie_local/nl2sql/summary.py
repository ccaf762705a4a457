"""The answer text: a short, factual reading of the executed result, and follow-up ideas."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from genie_local.database import QueryResult
from genie_local.nl2sql.plan import Plan


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return (
            value.date().isoformat()
            if value.time() == datetime.min.time()
            else value.isoformat(" ")
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float | Decimal):
        number = float(value)
        if abs(number) < 1 and number != 0:
            return f"{number:.2%}" if 0 <= number <= 1 else f"{number:.3f}"
        return f"{number:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def summarize(plan: Plan, result: QueryResult) -> str:
    """Say what came back: a single value, or how many rows and the first few."""
    if plan.kind != "query":
        return plan.message or ""
    names = [column.name for column in result.columns]
    if result.row_count == 0:
        return f"No rows matched. {plan.description}"
    if result.row_count == 1 and len(names) == 1:
        return f"The answer is {_cell(result.rows[0][0])}. {plan.description}"
    if result.row_count == 1:
        pairs = ", ".join(
            f"{name} {_cell(value)}" for name, value in zip(names, result.rows[0], strict=False)
        )
        return f"One row: {pairs}. {plan.description}"
    text = f"{result.row_count:,} rows"
    for key in ("warehouse_id", "part_id", "supplier_id"):
        if key in names:
            index = names.index(key)
            distinct = len({row[index] for row in result.rows})
            text += f" covering {distinct} {key.removesuffix('_id')}{'s' if distinct != 1 else ''}"
            break
    preview = "; ".join(
        ", ".join(_cell(value) for value in row[: min(len(row), 4)]) for row in result.rows[:3]
    )
    more = " …" if result.row_count > 3 else ""
    truncated = " (only the first rows were returned)" if result.truncated else ""
    return f"{text}{truncated}. First: {preview}{more}. {plan.description}"


def suggestions(plan: Plan) -> list[str]:
    """Natural next questions for this plan: a breakdown, a narrower place, a neighbour metric."""
    intent = plan.intent
    ideas: list[str] = []
    if intent is None:
        return [
            "What parts are low stock?",
            "Which warehouse holds the most inventory value?",
            "How many open purchase orders are overdue?",
        ]
    if "warehouse" not in intent.group_by and "warehouse" not in intent.filters:
        ideas.append("Break this down by warehouse")
    if "warehouse" not in intent.filters:
        ideas.append("Just in Chicago")
    if intent.statuses and intent.statuses[0] in {"low", "critical", "out"}:
        ideas.append("Which of these have no open purchase order?")
    if intent.measure in {"demand", "avg_daily_demand"} and "month" not in intent.group_by:
        ideas.append("Show it monthly over the last 12 months")
    if intent.limit:
        ideas.append(f"Top {intent.limit + 5} instead")
    ideas.append("Which suppliers deliver late most often?")
    return ideas[:3]

"""The answer text: one sentence that states the result ("96 parts are below their reorder
point; Dallas DC has the most (14).") before the plan's description, and follow-up ideas.

The sentence is read from the intent (what was counted, ranked or listed) and the rows;
the description after it says how the number was computed.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from genie_local.database import QueryResult
from genie_local.nl2sql.lexicon import plural_noun
from genie_local.nl2sql.measures import MEASURES, STATUS_DOMAIN, STATUS_WORDS, TIME_GRAINS
from genie_local.nl2sql.plan import Intent, Plan
from genie_local.nl2sql.sqlbuilder import counted_kind

#: how a status reads after "are" in a sentence ("14 parts are below their reorder point")
STATUS_PHRASES = {
    "low": "below their reorder point",
    "critical": "below safety stock",
    "out": "out of stock",
    "risk": "at risk of stocking out",
    "healthy": "at or above their reorder point",
    "open": "open",
    "overdue": "overdue",
    "received": "received",
    "cancelled": "cancelled",
    "not_cancelled": "not cancelled",
    "late": "delivered late",
    "on_time": "delivered on time",
    "early": "delivered early",
}
_NAME_SUFFIXES = ("_name", "name")
_COUNTS = {"count", "po_count"}


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
    """The result as a sentence, then how it was computed."""
    if plan.kind != "query":
        return plan.message or ""
    intent = plan.intent or Intent()
    sentence = _sentence(intent, result)
    truncated = " (only the first rows were returned)" if result.truncated else ""
    return f"{sentence}{truncated} {plan.description}"


def _sentence(intent: Intent, result: QueryResult) -> str:
    names = [column.name for column in result.columns]
    if result.row_count == 0:
        return f"No {_rows_noun(intent)} matched."
    if result.row_count == 1 and len(names) == 1:
        return _single_value(intent, result.rows[0][0])
    if result.row_count == 1 and len(names) == 2 and intent.total_without:
        value, share = result.rows[0]  # "what percentage of our total is that?"
        return f"{_single_value(intent, value).removesuffix('.')}: {_cell(share)}% of the total."
    if intent.measure is None or _measure_column(intent, names) is None:
        return _listed(intent, names, result)
    return _ranked(intent, names, result)


def _single_value(intent: Intent, value: Any) -> str:
    """ "96 parts are below their reorder point." / "The inventory value is 1,234.00." """
    if intent.over_groups and intent.group_by:
        return _over_the_groups(intent, value)
    if intent.measure in _COUNTS:
        status = _status_phrase(intent)
        noun = _rows_noun(intent, singular=value == 1)
        verb = "is" if value == 1 else "are"
        return (
            f"{_cell(value)} {noun} {verb} {status}."
            if status
            else f"There {verb} {_cell(value)} {noun}."
        )
    return f"The {_measure_words(intent)} is {_cell(value)}."


def _over_the_groups(intent: Intent, value: Any) -> str:
    """ "The average demand (units) per month is 1,406.33." / "Added up over the
    warehouses, the number of parts is 23." """
    group = intent.group_by[0]
    what = _measure_words(intent)
    if intent.over_groups == "avg":
        return f"The average {what} per {group} is {_cell(value)}."
    return f"Added up over the {plural_noun(group)}, the {what} is {_cell(value)}."


def _ranked(intent: Intent, names: list[str], result: QueryResult) -> str:
    """A breakdown or ranking: how many groups, and which leads ("Dallas DC has the most (4)")."""
    column = _measure_column(intent, names)
    assert column is not None
    rows = [row for row in result.rows if row[column] is not None]
    if not rows:
        return f"No {_measure_words(intent)} to report."
    lowest = intent.order == "asc"
    top = rows[0] if intent.order else (min if lowest else max)(rows, key=lambda r: r[column])
    leader, value = _group_label(names[:column], top), _cell(top[column])
    most = _extreme_word(intent, lowest)
    if result.row_count == 1:
        what = _measure_words(intent).removeprefix("number of ")
        return f"{leader} has the {most} {what} ({value})."
    groups = _groups_noun(intent, result.row_count)
    how = "ranked by" if intent.order else "by"
    what = _measure_words(intent)
    return f"{result.row_count:,} {groups} {how} {what}; {leader} has the {most} ({value})."


def _listed(intent: Intent, names: list[str], result: QueryResult) -> str:
    """A list of rows: how many, what they are, and where most of them are."""
    count = result.row_count
    status = _status_phrase(intent)
    noun = _rows_noun(intent, singular=count == 1)
    verb = "is" if count == 1 else "are"
    head = f"{count:,} {noun} {verb} {status}" if status else f"{count:,} {noun}"
    if status and intent.subject not in {None, "part", "po"}:  # suppliers of the listed rows
        rows = "parts" if STATUS_DOMAIN.get(intent.statuses[0]) == "stock" else "purchase orders"
        head = f"{count:,} {noun} with {rows} {status}"
    warehouse = _column(names, "warehouse_name") or _column(names, "warehouse_id")
    if warehouse is not None and len({row[warehouse] for row in result.rows}) > 1:
        place, many = Counter(row[warehouse] for row in result.rows).most_common(1)[0]
        return f"{head}; {place} has the most ({many:,})."
    shown = ", ".join(_label(names, row) for row in result.rows[:3])
    more = f" and {count - 3:,} more" if count > 3 else ""
    return f"{head}: {shown}{more}."


def _rows_noun(intent: Intent, singular: bool = False) -> str:
    kind = intent.counted or intent.subject
    if kind is None:
        domain = MEASURES[intent.measure].domain if intent.measure in MEASURES else None
        kind = "po" if domain == "po" or intent.measure == "po_count" else "part"
    if kind == "po":
        return "purchase order" if singular else "purchase orders"
    return kind if singular else plural_noun(kind)


def _groups_noun(intent: Intent, count: int) -> str:
    if len(intent.group_by) > 1:  # "64 category × warehouse rows"
        return " × ".join(intent.group_by) + (" row" if count == 1 else " rows")
    kind = next((g for g in intent.group_by if g not in TIME_GRAINS), None)
    kind = kind or next((g for g in intent.group_by), None) or intent.subject or "group"
    return kind if count == 1 else plural_noun(kind)


def _status_phrase(intent: Intent) -> str:
    implied = {"open"} if "overdue" in intent.statuses else set()  # overdue orders are open
    named = [s for s in intent.statuses if s not in implied]
    stock = [s for s in named if STATUS_DOMAIN[s] == "stock"]
    orders = [s for s in named if STATUS_DOMAIN[s] != "stock"]
    if stock and orders:  # "out of stock with open purchase orders": an order for the row
        ordered = " and ".join(STATUS_WORDS[s] for s in orders)
        return " and ".join(STATUS_PHRASES[s] for s in stock) + f" with {ordered} purchase orders"
    return " and ".join(STATUS_PHRASES.get(s, s) for s in named)


def _measure_words(intent: Intent) -> str:
    if intent.measure in _COUNTS:
        status = _status_phrase(intent)
        return f"number of {plural_noun(counted_kind(intent))}" + (f" {status}" if status else "")
    measure = MEASURES.get(intent.measure or "")
    return measure.words.split(" (")[0] if measure else "value"


def _extreme_word(intent: Intent, lowest: bool) -> str:
    if intent.measure in _COUNTS:
        return "fewest" if lowest else "most"
    return "lowest" if lowest else "highest"


def _measure_column(intent: Intent, names: list[str]) -> int | None:
    measure = MEASURES.get(intent.measure or "")
    if measure is not None and measure.label in names:
        return names.index(measure.label)
    return _column(names, "count") if intent.measure in _COUNTS else None


def _column(names: list[str], name: str) -> int | None:
    return names.index(name) if name in names else None


def _group_label(names: list[str], row: tuple[Any, ...]) -> str:
    """A group's name from the columns before the measure ("Electrical, Los Angeles DC"):
    each dimension's name column, its id only when it has no name."""
    named = {n.removesuffix("_name") for n in names if n.endswith("_name")}
    shown = [i for i, n in enumerate(names) if n.removesuffix("_id") not in named]
    return ", ".join(_label([names[i]], (row[i],)) for i in shown) or _label(names, row)


def _label(names: list[str], row: tuple[Any, ...]) -> str:
    """What a row is called: its name column, else its first column (an id or a period)."""
    index = next((i for i, n in enumerate(names) if n.endswith(_NAME_SUFFIXES)), 0)
    value = row[index]
    if isinstance(value, date) and names[index] in _PERIOD_FORMATS:
        return _PERIOD_FORMATS[names[index]](value)
    return _cell(value)


#: how a period's first day reads as the period ("May 2026", "Q2 2026")
_PERIOD_FORMATS = {
    "month": lambda d: d.strftime("%B %Y"),
    "quarter": lambda d: f"Q{(d.month - 1) // 3 + 1} {d.year}",
    "year": lambda d: str(d.year),
    "week": lambda d: f"the week of {d.isoformat()[:10]}",
}


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
    ordered = any(STATUS_DOMAIN[s] != "stock" for s in intent.statuses)
    if intent.statuses and intent.statuses[0] in {"low", "critical", "out"} and not ordered:
        ideas.append("Which of these have no open purchase order?")
    if intent.measure in {"demand", "avg_daily_demand"} and "month" not in intent.group_by:
        ideas.append("Show it monthly over the last 12 months")
    if intent.limit:
        ideas.append(f"Top {intent.limit + 5} instead")
    ideas.append("Which suppliers deliver late most often?")
    return ideas[:3]

"""One renderer from an ``Intent`` to a DuckDB SELECT and the words describing it.

Every question the engine answers goes through ``build``, so a definition (what "low
stock" or "inventory value" means) is written once, in ``measures``, and holds in every
phrasing, breakdown and follow-up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from genie_local.nl2sql import difference, exclusion_scope
from genie_local.nl2sql.lexicon import plural_noun
from genie_local.nl2sql.measures import (
    AS_OF_SQL,
    AVAILABLE,
    DAILY_DEMAND_90D,
    DATE_COLUMNS,
    DETERMINED_BY,
    DIMENSIONS,
    DOMAIN_ALIASES,
    FILTER_COLUMNS,
    FROM,
    KEY_COLUMN,
    MEASURES,
    RATE_MEASURES,
    STATUS_DOMAIN,
    STATUS_SQL,
    STATUS_WORDS,
    TIME_GRAINS,
    Measure,
)
from genie_local.nl2sql.plan import STATUS_KIND, Intent, TimeWindow
from genie_local.nl2sql.timephrases import AS_OF, month_end
from genie_local.nl2sql.vocabulary import Vocabulary

_LIST_COLUMNS = {
    ("part", "stock"): (
        "s.part_id", "p.name AS part_name", "s.warehouse_id", "w.name AS warehouse_name",
        "s.on_hand_qty", "s.reserved_qty", f"{AVAILABLE} AS available_qty", "s.reorder_point",
        "s.safety_stock", "s.reorder_qty",
    ),
    ("part", "part"): (
        "p.part_id", "p.name AS part_name", "p.category", "p.supplier_id",
        "su.name AS supplier_name", "p.unit_cost",
    ),
    ("po", "po"): (
        "po.po_id", "po.part_id", "p.name AS part_name", "po.supplier_id",
        "su.name AS supplier_name", "po.warehouse_id", "po.order_date", "po.expected_date",
        "po.received_date", "po.qty", "po.unit_price", "po.status",
    ),
    ("supplier", "supplier"): (
        "su.supplier_id", "su.name AS supplier_name", "su.country", "su.lead_time_days",
        "su.on_time_rate",
    ),
    ("warehouse", "warehouse"): (
        "w.warehouse_id", "w.name AS warehouse_name", "w.city", "w.state", "w.region",
        "w.capacity_units",
    ),
}  # fmt: skip
_SUBJECT_HOME = {
    "part": "part",
    "category": "part",
    "supplier": "supplier",
    "country": "supplier",
    "warehouse": "warehouse",
    "region": "warehouse",
    "state": "warehouse",
    "city": "warehouse",
    "po": "po",
    "status": "po",
}
_UPGRADES = {  # domain → richer domain when the question needs aliases it lacks
    ("part", "w"): "stock",
    ("supplier", "p"): "part",
    ("supplier", "w"): "po",
    ("warehouse", "p"): "stock",
    ("warehouse", "su"): "stock",
}
_EXCLUSIONS = {
    "open_po": ("purchase_orders x", "x.status = 'open'", "with no open purchase order"),
    "overdue_po": (
        "purchase_orders x",
        f"x.status = 'open' AND x.expected_date < {AS_OF_SQL}",
        "with no overdue purchase order",
    ),
    "any_po": ("purchase_orders x", "TRUE", "with no purchase orders"),
    "cancelled_po": ("purchase_orders x", "x.status = 'cancelled'", "with no cancelled orders"),
    "late": (
        "purchase_orders x",
        "x.status = 'received' AND x.received_date > x.expected_date",
        "with no late deliveries",
    ),
    "received_po": ("purchase_orders x", "x.status = 'received'", "with nothing received"),
    "demand": ("demand x", "TRUE", "with no demand"),
    "supplied_part": ("parts x", "TRUE", "supplying none of those parts"),
    "out": ("stock_levels x", "x.on_hand_qty = 0", "with no stockouts"),
    "low": (
        "stock_levels x",
        "x.on_hand_qty - x.reserved_qty < x.reorder_point",
        "with no low stock",
    ),
    "critical": (
        "stock_levels x",
        "x.on_hand_qty - x.reserved_qty < x.safety_stock",
        "with nothing below safety stock",
    ),
}
_EXCLUDED_EVENT_DATE = {"late": "x.received_date", "received_po": "x.received_date"}
_OPERATORS = {"gt": ">", "ge": ">=", "lt": "<", "le": "<=", "eq": "="}


def _sql_list(values: tuple[str, ...]) -> str:
    return ", ".join("'" + value.replace("'", "''") + "'" for value in values)


def _without_denied_measure(intent: Intent) -> Intent:
    """ "Parts with no demand" summing demand would read the very rows its NOT EXISTS
    denies, with nothing left to tell them apart (``… AND TRUE``): a subquery that never
    holds. The denied event wins; the entities are listed from their home instead."""
    measure = MEASURES.get(intent.measure or "")
    if measure is None or measure.domain not in FROM:
        return intent
    outer_table = FROM[measure.domain].split()[0]
    for exclusion in intent.excludes:
        table, condition, _ = _EXCLUSIONS[exclusion]
        if condition == "TRUE" and table.split()[0] == outer_table:
            return intent.with_changes(measure=None, agg=None, having=None)
    return intent


def resolve_domain(intent: Intent) -> str:
    """The table family the question is about, widened when a filter needs another join."""
    measure = MEASURES.get(intent.measure or "")
    if measure and measure.domain != "any":
        domain = measure.domain
    elif intent.statuses:
        domain = STATUS_DOMAIN[intent.statuses[0]]
    else:
        domain = _SUBJECT_HOME.get(intent.subject or "part", "part")
    companion = MEASURES.get(intent.companion or "")
    if domain == "supplier" and companion is not None and companion.domain == "po":
        domain = "po"  # "their on-time rates" beside a quoted lead time: read from the orders
    if "po" in intent.filters:
        return "po"  # a question about one purchase order reads that order's row
    inner = exclusion_scope.inner_kinds(intent, measure is None)  # they join in the subquery
    needed = {
        FILTER_COLUMNS[kind].split(".")[0]
        for kind in [*intent.filters, *intent.not_filters]
        if kind not in inner
    }
    needed |= {DIMENSIONS[dim][1] for dim in intent.group_by if dim in DIMENSIONS}
    needed |= {MEASURES[name].expr.split(".")[0] for name, _, _ in intent.attribute_filters}
    for kind in (intent.subject, intent.counted):
        if kind in DIMENSIONS:
            needed.add(DIMENSIONS[kind][1])
    for alias in ("p", "w", "su"):
        if alias in needed and alias not in DOMAIN_ALIASES[domain]:
            domain = _UPGRADES.get((domain, alias), domain)
    for alias in ("p", "w", "su"):  # a second pass: supplier → part may then need w
        if alias in needed and alias not in DOMAIN_ALIASES[domain]:
            domain = _UPGRADES.get((domain, alias), domain)
    return domain


def date_column(intent: Intent, domain: str) -> str | None:
    if domain == "demand":
        return DATE_COLUMNS["demand"]
    if domain != "po":
        return None
    if intent.window_basis:
        return DATE_COLUMNS[intent.window_basis]
    measure = MEASURES.get(intent.measure or "")
    statuses = set(intent.statuses) | set(measure.requires if measure else ())
    if statuses & {"late", "on_time", "received"}:
        return DATE_COLUMNS["received"]
    return DATE_COLUMNS["ordered"]


def _window_sql(column: str, window: TimeWindow) -> str:
    return f"{column} BETWEEN DATE '{window.start.isoformat()}' AND DATE '{window.end.isoformat()}'"


def _default_window(intent: Intent) -> TimeWindow | None:
    if intent.measure == "avg_daily_demand" and intent.window is None:
        return TimeWindow(AS_OF - timedelta(days=89), AS_OF, "the last 90 days")
    return intent.window


def _aggregate(intent: Intent, domain: str, window: TimeWindow | None) -> str:
    measure = MEASURES[intent.measure or "count"]
    if intent.measure == "count":
        subject = intent.counted or intent.subject
        if subject in intent.group_by and intent.counted is None:
            subject = None
        if intent.count_rows or subject is None or subject == "po" or subject == domain:
            return "COUNT(*)"
        return f"COUNT(DISTINCT {KEY_COLUMN[subject]})"
    if intent.measure == "utilization":
        return "SUM(s.on_hand_qty) * COUNT(DISTINCT s.part_id) * 1.0 / SUM(w.capacity_units)"
    if measure.aggregate:
        return measure.aggregate
    if intent.measure == "avg_daily_demand" and window is not None:
        days = (window.end - window.start).days + 1
        return f"SUM(d.qty) / {days}.0"
    agg = (intent.agg or measure.agg).upper()
    if agg == "COUNT" or measure.expr == "*":
        return "COUNT(*)"
    return f"{agg}({measure.expr})"


def _companion_aggregate(name: str) -> str:
    """A supplier attribute beside an order measure (constant within each supplier, so
    its average per group is the attribute itself), or a second stock column beside the
    first ("reorder point and safety stock"), aggregated the way the column is."""
    companion = MEASURES[name]
    return f"{companion.agg.upper()}({companion.expr})"


def _separating_grain(first: TimeWindow | None, second: TimeWindow) -> str:
    """The coarsest calendar grain that puts two compared periods in different rows."""

    def one_month(window: TimeWindow) -> bool:
        return (window.start.year, window.start.month) == (window.end.year, window.end.month)

    def one_quarter(window: TimeWindow) -> bool:
        start = window.start
        return (start.day, start.month % 3) == (1, 1) and window.end == month_end(
            start.year, start.month + 2
        )

    if first is not None and one_quarter(first) and one_quarter(second):
        return "quarter"  # "Q4 2025 or Q1 2026": each quarter its own row, across years too
    if first is None or (not (one_month(first) and one_month(second))
                         and first.start.year != second.start.year):  # fmt: skip
        return "year"
    if not one_month(first) and (first.start.month - 1) // 3 != (second.start.month - 1) // 3:
        return "quarter"
    return "month"


def _dimension_columns(dim: str, date_col: str | None) -> tuple[list[str], list[str]]:
    """(select expressions, group-by expressions) for one breakdown dimension."""
    if dim in TIME_GRAINS:
        if date_col is None:
            return [], []
        if dim == "day":
            return [f"{date_col} AS day"], [date_col]
        expr = f"date_trunc('{dim}', {date_col})"
        if dim == "year":  # the year as a number too: "2025", not only 2025-01-01
            return [f"{expr} AS {dim}", f"year({date_col}) AS year_number"], [
                expr,
                f"year({date_col})",
            ]
        return [f"{expr} AS {dim}"], [expr]
    columns, _alias = DIMENSIONS[dim]
    return list(columns), [column.split(" AS ")[0] for column in columns]


@dataclass
class _Query:
    """One SELECT being assembled: the intent it renders, where it reads from, and the
    clauses and words gathered so far."""

    intent: Intent
    vocabulary: Vocabulary
    domain: str
    window: TimeWindow | None
    date_col: str | None
    measure: Measure | None
    where: list[str] = field(default_factory=list)
    described: list[str] = field(default_factory=list)
    share_holders: list[str] = field(default_factory=list)  # conditions a share's total leaves out
    statuses: list[str] = field(default_factory=list)
    status_words: list[str] = field(default_factory=list)
    from_sql: str = ""
    sql: str = ""
    group: list[str] = field(default_factory=list)
    order: str = ""
    summary: str = ""


def build(intent: Intent, vocabulary: Vocabulary) -> tuple[str, str]:
    """The SQL for an intent and a sentence saying what it answers."""
    intent = _without_denied_measure(intent)
    domain = resolve_domain(intent)
    window = _default_window(intent)
    measure = MEASURES.get(intent.measure or "")
    q = _Query(intent, vocabulary, domain, window, date_column(intent, domain), measure)
    _filter_conditions(q)
    _status_conditions(q)
    _window_conditions(q)
    _exclusion_conditions(q)
    _within_condition(q)
    q.from_sql = FROM[domain]
    if domain == "stock" and ("risk" in q.statuses or intent.measure in _NEEDS_DAILY_DEMAND):
        q.from_sql += " " + DAILY_DEMAND_90D
    if measure is None:
        _list_select(q)
    else:
        _aggregate_select(q, measure)
    if q.where:
        q.sql += " WHERE " + " AND ".join(q.where)
    if q.group:
        q.sql += " GROUP BY " + ", ".join(q.group)
        if intent.having and measure is not None:
            _having(q, measure, intent.having)
    q.sql += q.order
    if intent.limit:
        q.sql += f" LIMIT {intent.limit}"
    if measure is not None and intent.difference in intent.group_by:
        _first_minus_second(q, measure)
    if measure is not None and intent.over_groups and q.group:
        _over_the_groups(q, measure, intent.over_groups)
    return q.sql, _description(q)


_NEEDS_DAILY_DEMAND = {"days_of_supply", "risk_share"}


def _filter_conditions(q: _Query) -> None:
    """Named entities (those the NOT EXISTS subquery scopes itself are left to it) and
    excluded ones."""
    intent, vocabulary = q.intent, q.vocabulary
    inner = exclusion_scope.inner_kinds(intent, q.measure is None)
    for kind, values in intent.filters.items():
        column = FILTER_COLUMNS[kind]
        if not _reachable(column, q.domain) or not values or kind in inner:
            continue
        q.where.append(
            f"{column} = {_sql_list(values)}"
            if len(values) == 1
            else f"{column} IN ({_sql_list(values)})"
        )
        if kind in intent.total_without:
            q.share_holders.append(q.where[-1])
        q.described.append(f"{kind} {' or '.join(vocabulary.display(value) for value in values)}")
    for kind, values in intent.not_filters.items():
        column = FILTER_COLUMNS[kind]
        if _reachable(column, q.domain) and values:
            q.where.append(f"{column} NOT IN ({_sql_list(values)})")
            q.described.append(f"excluding {kind} {', '.join(map(vocabulary.display, values))}")


def _within_condition(q: _Query) -> None:
    """Only the entities a previous ranking kept: its own query, cut where it was cut,
    read as a subquery of their keys."""
    ranking = q.intent.within
    if ranking is None or ranking.subject is None:
        return
    key = KEY_COLUMN[ranking.subject]
    if not _reachable(key, q.domain):
        return
    ranked_sql, _ = build(ranking, q.vocabulary)
    q.where.append(f"{key} IN (SELECT {key.split('.')[1]} FROM ({ranked_sql}) AS ranked)")
    q.described.append(f"within the previous answer's {plural_noun(ranking.subject)}")


def _status_conditions(q: _Query) -> None:
    """The statuses asked and those the measure implies, each once (late implies received,
    overdue implies open); an order status over parts is an EXISTS."""
    measure = q.measure
    implied = list(measure.requires if measure else ())
    companion = MEASURES.get(q.intent.companion or "")
    if companion is not None and companion.domain == q.domain:  # an on-time rate beside
        implied += companion.requires  # a quoted lead time is over received orders too
    statuses = list(dict.fromkeys([*q.intent.statuses, *implied]))
    if {"late", "on_time", "early"} & set(statuses) and "received" in statuses:
        statuses.remove("received")
    if "overdue" in statuses and "open" in statuses:
        statuses.remove("open")
    q.statuses = statuses
    for status in statuses:
        if STATUS_DOMAIN[status] == q.domain:
            q.where.append(STATUS_SQL[status])
            q.status_words.append(STATUS_WORDS[status])
            if STATUS_KIND in q.intent.total_without and status in q.intent.statuses:
                q.share_holders.append(q.where[-1])  # "what percentage of Boston's parts is that?"
        elif q.domain == "part" and STATUS_DOMAIN[status] == "po":
            q.where.append(
                "EXISTS (SELECT 1 FROM purchase_orders po WHERE po.part_id = p.part_id AND "
                + STATUS_SQL[status]
                + ")"
            )
            q.status_words.append(f"with {STATUS_WORDS[status]} purchase orders")
        elif q.domain == "stock" and STATUS_DOMAIN[status] == "po":
            # "low-stock parts that have an open PO": an order for the same part and site
            q.where.append(
                "EXISTS (SELECT 1 FROM purchase_orders po WHERE po.part_id = s.part_id"
                f" AND po.warehouse_id = s.warehouse_id AND {STATUS_SQL[status]})"
            )
            q.status_words.append(f"with {STATUS_WORDS[status]} purchase orders")


def _window_conditions(q: _Query) -> None:
    """The window (and a compared one) on the domain's date; bounds on attributes."""
    window, date_col = q.window, q.date_col
    if window is not None and date_col is not None and q.intent.compared_window is not None:
        other = q.intent.compared_window
        q.where.append(f"({_window_sql(date_col, window)} OR {_window_sql(date_col, other)})")
        q.described.append(f"{window.label} compared with {other.label}")
    elif window is not None and date_col is not None:
        q.where.append(_window_sql(date_col, window))
        q.described.append(f"{date_col.split('.')[1].replace('_', ' ')} in {window.label}")
    for measure_name, operator, value in q.intent.attribute_filters:
        attribute = MEASURES[measure_name]
        if not _reachable(attribute.expr, q.domain):
            continue
        q.where.append(f"{attribute.expr} {_OPERATORS[operator]} {value:g}")
        q.described.append(f"{attribute.words} {_OPERATORS[operator]} {value:g}")


def _exclusion_conditions(q: _Query) -> None:
    """NOT EXISTS events ("with no open purchase order"), dated by the window when the
    event has a date and the rows do not."""
    intent, window, domain = q.intent, q.window, q.domain
    inner = exclusion_scope.inner_kinds(intent, q.measure is None)
    for exclusion in intent.excludes:
        table, condition, words = _EXCLUSIONS[exclusion]
        links = _exclusion_links(intent.subject or "part", domain, table)
        if not links:
            continue
        if exclusion == "demand" and window is not None and domain != "demand":
            condition = _window_sql("x.demand_date", window)
        dated = exclusion in {"any_po", "cancelled_po", "late", "received_po"}
        if dated and window is not None and domain != "po":
            # "not ordered in 2026", "no late delivery since April": the window dates the event
            window_sql = _window_sql(_EXCLUDED_EVENT_DATE.get(exclusion, "x.order_date"), window)
            condition = window_sql if condition == "TRUE" else f"{condition} AND {window_sql}"
        for kind in inner:
            inner_sql = exclusion_scope.inner_condition(kind, intent.filters[kind], table)
            condition += f" AND {inner_sql}"
        q.where.append(f"NOT EXISTS (SELECT 1 FROM {table} WHERE {links} AND {condition})")
        q.status_words.append(words)


def _list_select(q: _Query) -> None:
    """The rows themselves: the subject's list columns, with what its statuses add."""
    domain, statuses = q.domain, q.statuses
    subject = q.intent.subject or _default_subject(domain)
    if not _reachable(KEY_COLUMN.get(subject, ""), domain):
        subject = _default_subject(domain)
    columns = _LIST_COLUMNS.get((subject, domain))
    distinct = columns is None
    if columns is None:
        columns = DIMENSIONS[subject][0] if subject in DIMENSIONS else (KEY_COLUMN[subject],)
    select = list(columns)
    if "late" in statuses and domain == "po":
        select.append("po.received_date - po.expected_date AS days_late")
    if "risk" in statuses and domain == "stock":
        select += [
            "dd.avg_daily_demand",
            f"{AVAILABLE} / dd.avg_daily_demand AS days_of_supply",
            "su.lead_time_days",
        ]
    exprs = {column.split(" AS ")[0] for column in select}
    select += [c for c in _shown_columns(q.intent, domain) if c.split(" AS ")[0] not in exprs]
    head = "SELECT DISTINCT " if distinct else "SELECT "
    q.order = " ORDER BY " + select[0].split(" AS ")[0]
    if q.intent.order and "overdue" in statuses and domain == "po":
        # "which open orders are the most overdue?": ranked by the days past the due date
        select.append(f"{AS_OF_SQL} - po.expected_date AS days_overdue")
        q.order = f" ORDER BY days_overdue {q.intent.order.upper()}, po.po_id"
    elif q.intent.order and domain == "po" and subject == "po":
        # "which open order was placed first?": the orders by their date
        dated = DATE_COLUMNS[q.intent.window_basis or "ordered"]
        q.order = f" ORDER BY {dated} {q.intent.order.upper()} NULLS LAST, po.po_id"
    q.sql = head + ", ".join(select) + f" FROM {q.from_sql}"
    q.summary = f"Lists {plural_noun(subject)}"


def _aggregate_select(q: _Query, measure: Measure) -> None:
    """The measure per group of the breakdown, with its percentage, share of a wider
    total and companion measure when asked."""
    intent, domain = q.intent, q.domain
    aggregate = _aggregate(intent, domain, q.window)
    dims = _breakdown(q)
    select: list[str] = []
    for dim in dims:
        columns, keys = _dimension_columns(dim, q.date_col)
        select += columns
        q.group += keys
    for column in _shown_columns(intent, domain):
        # an attribute of a grouped entity ("…, and what country are they in") has one
        # value per group, so it joins the breakdown without splitting any row
        key = column.split(" AS ")[0]
        owners = {DIMENSIONS[d][1] for d in dims if d in DETERMINED_BY}
        owners |= {DIMENSIONS[a][1] for d in dims for a in DETERMINED_BY.get(d, ())}
        if key not in q.group and key.split(".")[0] in owners:
            select.append(column)
            q.group.append(key)
    select.append(f"{aggregate} AS {measure.label}")
    if intent.percent and intent.measure in RATE_MEASURES:
        select.append(f"100.0 * {aggregate} AS {measure.label}_pct")
    if q.share_holders and not dims:
        rest = [condition for condition in q.where if condition not in q.share_holders]
        total = f"SELECT {aggregate} FROM {q.from_sql}"
        total += " WHERE " + " AND ".join(rest) if rest else ""
        select.append(f"100.0 * {aggregate} / NULLIF(({total}), 0) AS {measure.label}_pct")
    if intent.companion:
        companion = _companion_aggregate(intent.companion)
        select.append(f"{companion} AS {MEASURES[intent.companion].label}")
    q.sql = "SELECT " + ", ".join(select) + f" FROM {q.from_sql}"
    if intent.order:
        direction = "DESC" if intent.order == "desc" else "ASC"
        tie = f", {q.group[0]}" if q.group else ""
        q.order = f" ORDER BY {measure.label} {direction} NULLS LAST{tie}"
    elif q.group:
        q.order = " ORDER BY " + ", ".join(q.group)
    counted = f"number of {plural_noun(counted_kind(intent))}"
    q.summary = f"Computes {measure.words if intent.measure != 'count' else counted}"
    if dims:
        q.summary += " by " + ", ".join(dims)


def counted_kind(intent: Intent) -> str:
    """What a count counts: purchase orders, the kind named ("the supplier with the most
    parts"), else the subject — or, when each group is a subject ("categories with the most
    stockouts"), the stock rows' parts."""
    if intent.measure == "po_count":
        return "po"
    if intent.counted:
        return intent.counted
    if intent.subject is None or intent.subject in intent.group_by:
        return "part" if intent.group_by else "row"
    return intent.subject


def _breakdown(q: _Query) -> list[str]:
    """The dimensions the domain can group by; utilization is per warehouse; a compared
    window gets a period column that tells its two periods apart."""
    intent = q.intent
    dims = [dim for dim in intent.group_by if _reachable(KEY_COLUMN.get(dim, ""), q.domain)]
    if intent.measure == "utilization" and not dims:
        dims = ["warehouse"]
    if intent.compared_window and q.date_col and not set(dims) & set(TIME_GRAINS):
        dims = [*dims, _separating_grain(q.window, intent.compared_window)]
    return dims


def _having(q: _Query, measure: Measure, having: tuple[str, float | str]) -> None:
    """A bound on each group's measure: a number, the companion measure, a share of the
    grand total over the same rows, or a share of the group's own companion."""
    intent = q.intent
    operator, value = having
    aggregate = _aggregate(intent, q.domain, q.window)
    if isinstance(value, str):
        bound, bound_words = _companion_aggregate(value), MEASURES[value].words
    else:
        bound = bound_words = f"{value:g}"
    if intent.share_of_total and not isinstance(value, str):  # the ungrouped grand total
        total = f"SELECT {aggregate} FROM {q.from_sql}"
        if q.where:
            total += " WHERE " + " AND ".join(q.where)
        bound, bound_words = f"{value:g} * ({total})", f"{value:.0%} of the total"
    elif intent.share_within and intent.companion and not isinstance(value, str):
        base = MEASURES[intent.companion]  # "11% of their on-hand units"
        bound = f"{value:g} * {_companion_aggregate(intent.companion)}"
        bound_words = f"{value:.0%} of their {base.words}"
    q.sql += f" HAVING {aggregate} {_OPERATORS[operator]} {bound}"
    q.described.append(f"{measure.words} {_OPERATORS[operator]} {bound_words}")


def _first_minus_second(q: _Query, measure: Measure) -> None:
    """ "The difference between LA and Seattle": one number, the first minus the second."""
    kind = q.intent.difference
    values = q.intent.filters.get(kind or "", ())
    if kind is None or len(values) != 2:
        return
    q.sql = difference.first_minus_second(q.sql, kind, values, measure.label)
    first, second = (q.vocabulary.display(value) for value in values)
    q.summary = f"Computes the difference in {measure.words}, {first} minus {second}"


_OVER_WORDS = {"sum": "then the total of those figures", "avg": "then their average"}


def _over_the_groups(q: _Query, measure: Measure, how: str) -> None:
    """ "And the average per warehouse?": the breakdown as before, then one figure over its
    rows (a total of per-warehouse distinct counts is their sum, not a new distinct count)."""
    q.sql = f"SELECT {how.upper()}(g.{measure.label}) AS {how}_{measure.label} FROM ({q.sql}) g"
    q.described.append(_OVER_WORDS[how])


def _description(q: _Query) -> str:
    """What the SQL answers, in words: the summary, statuses, conditions and limit."""
    intent, window = q.intent, q.window
    description = q.summary
    if q.status_words:
        description += " that are " + ", ".join(q.status_words)
    if q.described:
        description += "; " + "; ".join(q.described)
    if intent.order and intent.limit:
        description += f"; {'top' if intent.order == 'desc' else 'bottom'} {intent.limit}"
    undated = window is not None and q.date_col is None
    if undated and not {"demand", "any_po"} & set(intent.excludes):
        description += f" (current stock as of {AS_OF.isoformat()}; the time window does not apply)"
    for note in intent.notes:
        description += f". {note}"
    return description + "."


def _shown_columns(intent: Intent, domain: str) -> list[str]:
    """The attribute columns asked beside a list ("and what country are they in")."""
    columns: list[str] = []
    entities = {None, "part", "warehouse", "supplier", "po"}
    if intent.measure is None and intent.subject not in entities:
        return columns  # a region or category listed has no single country, city or cost
    for name in intent.shown:
        if name in DIMENSIONS:
            columns += [c for c in DIMENSIONS[name][0] if _reachable(c, domain)]
        elif name in MEASURES and _reachable(MEASURES[name].expr, domain):
            columns.append(f"{MEASURES[name].expr} AS {MEASURES[name].label}")
    return columns


_MAIN_ALIAS = {"stock": "s", "demand": "d", "po": "po"}


def _reachable(column: str, domain: str) -> bool:
    """Whether a column (or a time grain, which has none) can be read in the domain's FROM;
    a breakdown by order status means nothing over stock levels, so it is dropped."""
    alias = column.split(".")[0]
    return not column or alias in DOMAIN_ALIASES[domain] or alias == _MAIN_ALIAS.get(domain)


def _default_subject(domain: str) -> str:
    return {"stock": "part", "demand": "part", "po": "po"}.get(domain, domain)


def _exclusion_links(subject: str, domain: str, table: str) -> str | None:
    """How the NOT EXISTS subquery joins back to the listed rows."""
    if table.startswith("parts"):  # a supplier's catalogue: only a supplier has one
        reachable = subject == "supplier" and _reachable("su.supplier_id", domain)
        return "x.supplier_id = su.supplier_id" if reachable else None
    if subject == "part" and _reachable("p.part_id", domain):
        links = "x.part_id = p.part_id"
        if domain == "stock":
            links += " AND x.warehouse_id = s.warehouse_id"
        return links
    if subject == "warehouse" and _reachable("w.warehouse_id", domain):
        return "x.warehouse_id = w.warehouse_id"
    if (
        subject == "supplier"
        and table.startswith("purchase_orders")
        and _reachable("su.supplier_id", domain)
    ):
        return "x.supplier_id = su.supplier_id"
    owner = {"supplier": "su.supplier_id", "category": "p.category"}.get(subject)
    if owner is not None and _reachable(owner, domain):
        # every part of the listed supplier or category: none of them may have the event
        column = owner.split(".")[1]
        links = f"x.part_id IN (SELECT pp.part_id FROM parts pp WHERE pp.{column} = {owner})"
        if domain == "stock" and table.startswith(("stock_levels", "demand", "purchase_orders")):
            links += " AND x.warehouse_id = s.warehouse_id"
        return links
    return None

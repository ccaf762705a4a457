"""Follow-ups: a short question that only swaps an entity, adds a filter, changes the
window or the limit refines the previous question rather than starting a new one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields

from genie_local.nl2sql.clauses import scaled
from genie_local.nl2sql.lexicon import LOCATION_KINDS, PRODUCT_KINDS, SOURCE_KINDS
from genie_local.nl2sql.measure_words import defining_statuses, judged_order, status_rate
from genie_local.nl2sql.measures import (
    DETERMINED_BY,
    DIMENSIONS,
    KEY_COLUMN,
    MEASURES,
    NEEDS_REPLENISHING,
    STATUS_DOMAIN,
    TIME_GRAINS,
)
from genie_local.nl2sql.parser import Fragment
from genie_local.nl2sql.plan import STATUS_KIND, Intent, TimeWindow
from genie_local.nl2sql.timephrases import in_year_of, shift_back

_KIND_GROUPS = (LOCATION_KINDS, PRODUCT_KINDS, SOURCE_KINDS)
QUOTED_PAIRS = {"on_time_rate": "quoted_on_time", "actual_lead_time": "lead_time"}


#: a measure asked bare right after its sibling is that same quantity another way
_SIBLING_MEASURES = {"avg_daily_demand": "demand", "demand": "avg_daily_demand"}


def is_followup(fragment: Fragment, previous: Intent | None) -> bool:
    if previous is None:
        return False
    if not fragment.has_core or fragment.narrows or fragment.points_back or fragment.per_listed:
        return True
    if fragment.only_threshold or fragment.total_share:
        return True
    intent = fragment.intent
    if intent.measure == "count" and not fragment.has_subject and not intent.statuses:
        return True  # "how many in Dallas?" counts what the previous question listed
    if (
        fragment.direction
        and intent.measure is None
        and not intent.filters
        and intent.subject is not None
        and intent.subject in previous.group_by
        and previous.measure is not None
    ):
        return True  # "which warehouse had the most?" after a breakdown by warehouse
    if _is_share_of_the_whole(fragment, previous):
        return True  # "what percentage of our total inventory value is that?"
    if _counts_a_status_of_the_rows(fragment, previous):
        return True  # "how many were cancelled?" after the orders placed with Delta in 2025
    if fragment.difference_of and previous.measure is not None:
        return True  # "how much higher is Seattle than Denver?" after both side by side
    if fragment.there and (
        previous.subject in LOCATION_KINDS or any(k in LOCATION_KINDS for k in previous.filters)
    ):
        return True  # "what parts are out of stock there?": at the place just named
    if _aggregates_the_groups(fragment, previous):
        return True  # "what's the total across all of them?" after a count per warehouse
    if _adds_a_measure(fragment, previous):
        return True  # "and on-hand units too" after the value by warehouse
    if _prices_the_replenishment(fragment, previous):
        return True  # "what's the total reorder quantity?" after what to reorder in Dallas
    if _ranks_by_the_old_measure(fragment, previous):
        return True  # "who is the worst?" after each supplier's average late-by
    if _ranks_a_new_entity(fragment, previous):
        return True  # "which parts contribute the most?" after Denver's inventory value
    if fragment.wants_all and previous.limit and intent.subject in {None, previous.subject}:
        return True  # "show all warehouses" after the one that holds the most: the whole ranking
    measured = (*previous.group_by, previous.subject)
    if fragment.bound_only and previous.measure is not None and intent.subject in measured:
        return True  # "which suppliers are below 85%?" after each supplier's on-time rate
    if fragment.swaps_measure and previous.measure is not None and not intent.filters:
        return True  # "show the units on order instead": the same rows, another measure
    if fragment.bare_quantity and not intent.filters:
        return True  # "how many units would that be in total?": units of the last rows
    sibling = _SIBLING_MEASURES.get(intent.measure or "")
    if (
        sibling is not None
        and sibling == previous.measure
        and not (intent.filters or intent.window or fragment.has_subject)
    ):
        return True  # "what was the average daily demand?" after that demand's total
    required = MEASURES[intent.measure].requires if intent.measure in MEASURES else ()
    if required and set(required) <= set(previous.statuses) and not intent.filters:
        return True  # "what's the average late-by?" after late deliveries: those rows' measure
    return fragment.looks_like_followup and (
        # "and their total units on order?": a measure of the rows just named
        fragment.refers_back
        or not (fragment.has_measure and fragment.has_subject and fragment.intent.statuses)
    )


@dataclass
class _Merge:
    """One follow-up being merged: the previous intent, what this turn said, the merged
    filters, statuses and breakdown the later handlers read, and the changes to the
    previous intent gathered so far."""

    previous: Intent
    fragment: Fragment
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    statuses: tuple[str, ...] = ()
    group_by: tuple[str, ...] = ()
    compared: str | None = None  # a kind whose values now stand side by side
    changes: dict[str, object] = field(default_factory=dict)

    @property
    def new(self) -> Intent:
        return self.fragment.intent


def _swap_filters(m: _Merge) -> None:
    """A named entity replaces the old one of its kind group (Dallas for Chicago, a state
    for a warehouse); "compare with Massachusetts" after Georgia keeps both."""
    m.filters = dict(m.previous.filters)
    for kind, values in m.new.filters.items():
        added = m.fragment.adds_entity and len(m.previous.filters.get(kind, ())) > 1
        if (m.fragment.compares or added) and kind in m.previous.filters and len(values) < 2:
            m.filters[kind] = tuple(dict.fromkeys([*m.previous.filters[kind], *values]))
            m.compared = kind
            continue
        for other in _kind_group(kind):
            m.filters.pop(other, None)
        m.filters[kind] = values


def _widen(m: _Merge) -> None:
    """ "Across all warehouses", "per warehouse instead": the old warehouse filter goes."""
    new = m.new
    for kind in (*m.fragment.widened, *(new.group_by if m.fragment.explicit_group else ())):
        if kind in new.filters:
            continue
        if kind not in m.fragment.widened and len(m.previous.filters.get(kind, ())) > 1:
            continue  # "per warehouse" after "just Newark and Boston": those two, each
        for other in _kind_group(kind) if kind in m.fragment.widened else (kind,):
            m.filters.pop(other, None)


def _regroup(m: _Merge) -> None:
    """A new breakdown replaces the old ("by warehouse") or joins it ("by category too",
    "break this down by warehouse"); a swapped entity no longer breaks the answer down by
    itself when only one is left."""
    new, previous, fragment = m.new, m.previous, m.fragment
    group_by = new.group_by if fragment.explicit_group else previous.group_by
    if fragment.adds_group:
        kept = previous.group_by
        if any(g in TIME_GRAINS for g in new.group_by):  # "by week instead" of by month
            kept = tuple(g for g in kept if g not in TIME_GRAINS)
        group_by = tuple(dict.fromkeys((*kept, *new.group_by)))
        if previous.limit == 1 and not new.limit:  # the top one "by category": every row
            m.changes["limit"] = None
    if fragment.one_total and not fragment.explicit_group and not new.measure:
        group_by = ()  # "and the total?", "the total over that period": one figure
        m.changes.update(limit=None, order=None)
    if not fragment.explicit_group and group_by:
        group_by = tuple(
            dim for dim in group_by if not (dim in new.filters and len(new.filters[dim]) == 1)
        ) or (group_by if previous.order else ())
    m.group_by = group_by


def _swap_statuses(m: _Merge) -> None:
    """A new stock status swaps the old one ("and which has the most below safety stock?");
    "not just overdue ones" swaps an order status too; others add up."""
    new = m.new
    swapped = {
        STATUS_DOMAIN[s]
        for s in new.statuses
        if STATUS_DOMAIN[s] == "stock" or m.fragment.replaces_statuses
    }
    kept = [s for s in m.previous.statuses if STATUS_DOMAIN[s] not in swapped]
    statuses = tuple(dict.fromkeys([*kept, *new.statuses]))
    if "overdue" in new.statuses:
        statuses = tuple(s for s in statuses if s != "open")
    m.statuses = statuses


def _keep_the_rest(m: _Merge) -> None:
    """What every follow-up carries: filters, statuses, and the window (moved, or dropped
    by "drop the date filter")."""
    new, previous, fragment = m.new, m.previous, m.fragment
    widened = "window" in fragment.widened
    m.changes.update(
        filters=m.filters,
        statuses=m.statuses,
        window=None if widened else in_year_of(new.window, previous.window) or _shifted(m),
        window_basis=new.window_basis if new.window else previous.window_basis,
        notes=new.notes,
        group_by=m.group_by,
    )
    if m.compared and m.compared not in m.group_by and previous.measure is not None:
        m.changes["group_by"] = (m.compared, *m.group_by)


def _compare_periods(m: _Merge) -> None:
    """ "Compare with last year", "versus the month before": the previous period stays and
    the named (or shifted) one stands beside it, one row per period, rather than replacing it."""
    previous, other = m.previous, m.changes["window"]
    if (
        m.fragment.compares
        and other is not None
        and other != previous.window
        and previous.window is not None
        and previous.compared_window is None
        and m.new.compared_window is None
    ):
        m.changes.update(window=previous.window, compared_window=other)


def _quoted_or_actual(m: _Merge) -> None:
    """ "Compare it with its quoted rate" sets the quoted figure beside the actual one;
    "use actual deliveries instead" measures what was quoted."""
    new, previous = m.new, m.previous
    if m.fragment.wants_quoted and previous.measure in QUOTED_PAIRS and not new.measure:
        m.changes["companion"] = QUOTED_PAIRS[previous.measure]
    if m.fragment.wants_actual and not new.measure:
        m.changes.update(_actual_instead_of_quoted(previous))


def _rank_the_breakdown(m: _Merge) -> None:
    """ "Which one is highest?" after a breakdown; "which one is the worst?" by the
    measure's good direction."""
    fragment, previous = m.fragment, m.previous
    if _reaggregates(m):
        return
    if fragment.direction and not previous.order and previous.measure and previous.group_by:
        judged = fragment.judged
        order = judged_order(judged, previous.measure, previous.statuses) if judged else None
        limit = None if fragment.sorts else m.new.limit or 1  # "sort them …" keeps every row
        m.changes.update(order=order or fragment.direction, limit=limit)
    elif _ranks_a_new_entity(fragment, previous):
        judged = fragment.judged
        order = judged_order(judged, previous.measure, previous.statuses) if judged else None
        m.changes.update(
            group_by=(m.new.subject,),
            order=order or fragment.direction,
            limit=m.new.limit or fragment.ranked_rows,
        )


def _aggregates_the_groups(fragment: Fragment, previous: Intent) -> str | None:
    """ "And the average per warehouse?", "the combined number for those three": one figure
    (avg or sum) over the previous breakdown's rows as they were shown, or None."""
    how, new = fragment.over_groups, fragment.intent
    measure = MEASURES.get(previous.measure or "")
    # "and the average per warehouse?" after one total: per warehouse, then averaged
    groups = previous.group_by or (new.group_by if how == "avg" and fragment.explicit_group else ())
    if how is None or measure is None or not groups or previous.companion:
        return None
    # a bare "the monthly average" reads as a count by month: no measure of its own
    own = None if new.measure == "count" and not fragment.has_subject else new.measure
    same = own in {None, previous.measure} or {own, previous.measure} <= _COUNTS
    regrouped = fragment.explicit_group and not set(new.group_by) <= set(groups)
    # "more than 10% of the total", "their total value instead": another reading of "total"
    other = (
        fragment.total_share
        or fragment.only_threshold
        or fragment.bound_only
        or fragment.wants_value
        or fragment.swaps_measure
        or fragment.as_rate
        or fragment.direction  # "which category is the most expensive on average?"
        or fragment.asks_which
    )
    # "the total across all warehouses" after a breakdown by warehouse: its own rows
    widened = not set(fragment.widened) <= set(groups)
    if not same or new.filters or widened or regrouped or other:
        return None
    ungrouped = fragment.one_total and not (
        fragment.explicit_group or fragment.widened or previous.limit
    )
    if how == "sum" and (measure.is_ratio or (ungrouped and measure.agg == "sum")):
        return None  # "and the total?" of a sum per group is the sum itself, ungrouped
    return how


def _totals_another_measure(fragment: Fragment, previous: Intent) -> bool:
    """ "The total reorder quantity for them" after a value per listed row: the new measure
    summed over those rows, one figure."""
    new = fragment.intent
    return bool(
        fragment.over_groups == "sum"
        and fragment.refers_back
        and not fragment.explicit_group
        and previous.group_by
        and not previous.order
        and new.measure in MEASURES
        and new.measure != previous.measure
        and MEASURES[new.measure].agg == "sum"
        and not MEASURES[new.measure].is_ratio
    )


def _adds_a_measure(fragment: Fragment, previous: Intent) -> bool:
    """ "And on-hand units too": a second measure of the same rows, beside the first."""
    new = fragment.intent
    return bool(
        fragment.adds_measure
        and previous.measure in MEASURES
        and new.measure in MEASURES
        and new.measure != previous.measure
        and MEASURES[new.measure].domain == MEASURES[previous.measure].domain
        and not previous.companion
        and not new.filters
        # "units on order" names orders only as its measure's rows
        and (not fragment.has_subject or new.subject in {previous.subject, "po"})
    )


def _prices_the_replenishment(fragment: Fragment, previous: Intent) -> bool:
    """ "What's the total reorder quantity?", "how much would that cost?" after what needs
    reordering: those rows' reorder quantities, or their cost at unit cost."""
    new = fragment.intent
    return bool(
        NEEDS_REPLENISHING & set(previous.statuses)
        and previous.measure in {None, "count", "reorder_qty", "reorder_cost"}
        and not new.filters
        and not fragment.has_subject
        and (new.measure in {"reorder_qty", "reorder_cost"} or fragment.prices_out)
    )


def _ranks_by_the_old_measure(fragment: Fragment, previous: Intent) -> bool:
    """ "Who is the worst?" (a judgement whose measure is only its subject's usual one),
    asked of a breakdown by that subject: the breakdown's own measure ranks it."""
    return bool(
        fragment.default_measure
        and fragment.judged
        and not fragment.intent.statuses
        and previous.measure is not None
        and fragment.intent.subject in previous.group_by
        and not fragment.intent.filters
    )


def _ranks_a_new_entity(fragment: Fragment, previous: Intent) -> bool:
    """ "Which parts contribute the most?" after one figure: that figure's measure and
    rows, broken down by the entity named and ranked."""
    new = fragment.intent
    return bool(
        fragment.direction
        and new.measure is None
        and not new.filters
        and new.subject in DIMENSIONS
        and previous.measure is not None
        and not previous.group_by
    )


def _reaggregates(m: _Merge) -> bool:
    """ "Now the max unit cost" after the average unit cost by category: the same measure
    aggregated another way in each group, not a ranking of the groups."""
    new, previous = m.new, m.previous
    return bool(
        new.agg in {"min", "max"}
        and new.measure == previous.measure
        and previous.group_by
        and not previous.order
        and not m.fragment.has_subject
        # "which one is the most full?" asks for a group; a ratio has one value per group
        and not (m.fragment.asks_one or m.fragment.asks_which)
        and MEASURES[new.measure].aggregate is None
    )


def _bound_or_measure(m: _Merge) -> None:
    """A bound on the old measure ("only the ones above 3000", "more than 10% of the
    total"), else the measure this turn named."""
    fragment, previous = m.fragment, m.previous
    if fragment.total_share and previous.measure is not None and previous.group_by:
        # the old breakdown, each group against the grand total of the same measure
        m.changes.update(having=fragment.total_share, share_of_total=True)
    elif (bound := fragment.only_threshold or fragment.bound_only) and previous.measure is not None:
        # "only the ones above 3000 units": its unit word is the old measure's, bounded
        operator, value = bound
        m.changes["having"] = (operator, scaled(previous.measure, value))
    elif _adds_a_measure(fragment, previous):
        m.changes["companion"] = m.new.measure  # "and on-hand units too": beside the old one
    elif (
        fragment.has_measure
        and m.new.measure != "count"
        and not _ranks_by_the_old_measure(fragment, previous)
    ):
        _swap_measure(m)
    elif (
        m.new.measure == "count"
        and fragment.has_subject
        and not fragment.explicit_group
        and previous.measure not in _COUNTS
    ):
        # "and how many Cooling parts are there?" after their average cost: a count now
        m.changes.update(measure="count", agg=None, subject=m.new.subject, count_rows=False)
    elif fragment.per_day and previous.measure == "demand":
        # "and the average per day?" after a demand total: the same demand, per day
        m.changes.update(measure="avg_daily_demand", agg="avg")


def _swap_measure(m: _Merge) -> None:
    """The measure this turn named replaces the old one, over the same rows."""
    new, previous, fragment, changes = m.new, m.previous, m.fragment, m.changes
    changes.update(measure=new.measure, agg=new.agg)
    if fragment.prices_out and _prices_the_replenishment(fragment, previous):
        changes.update(measure="reorder_cost", agg="sum")  # the reorder quantities, priced
    if new.measure == "inventory_value" and _domain(previous, m.statuses) == "po":
        changes["measure"] = "po_value"  # "how much are they worth?" of orders: their value
    listed = fragment.narrows and previous.measure is None and previous.subject in DIMENSIONS
    if _reaggregates(m):
        return
    if new.agg in {"min", "max"} and fragment.direction and (previous.group_by or listed):
        # "which one has the highest value?" after a ranking, "which of them has the
        # shortest lead time?" after a list: the same entities, ranked
        changes.update(agg=None, order=fragment.direction)
        if not previous.group_by:
            changes.update(group_by=(previous.subject,), limit=new.limit or 1)
    changes["companion"] = new.companion
    if previous.having:
        changes["having"] = None
    if fragment.bare_quantity and (rows := _domain(previous, m.statuses)) in _QUANTITY_OF:
        changes["measure"] = _QUANTITY_OF[rows]  # units of those rows
    elif (
        fragment.bare_quantity and previous.measure is None and NEEDS_REPLENISHING & set(m.statuses)
    ):
        changes["measure"] = "reorder_qty"  # the units to reorder for the rows that need it
    if defined := defining_statuses(new.measure):
        # "the on-time rate instead" of a late count: 'late' was the old measure's own
        # condition, the rate is over every received order
        changes["statuses"] = tuple(s for s in m.statuses if s not in defined)


def _values_per_row(m: _Merge) -> None:
    """ "What are their reorder quantities?" after a list: the new measure for each listed
    entity; after a ranking ("their quoted rates?"): the same ranked rows, the new measure
    beside the one they were ranked by."""
    new, previous, fragment = m.new, m.previous, m.fragment
    if not (fragment.per_row or fragment.per_listed) or new.measure is None:
        return
    if new.measure == "count" and not (fragment.per_listed and new.subject != previous.subject):
        return  # "how many of them" counts the rows; "how many parts does each supply" per row
    if previous.measure is None and previous.subject in DIMENSIONS and not previous.group_by:
        m.changes.update(group_by=(previous.subject,), limit=None, order=None)
        if new.measure == "count":  # "how many parts does each supply?": parts counted
            m.changes.update(subject=previous.subject, counted=new.subject)
    elif (
        previous.measure is None
        and previous.subject in {None, "part"}
        and not previous.group_by
        and MEASURES[new.measure].domain == "stock"
        and _domain(previous, m.statuses) is None  # stock rows, not orders
    ):
        # "what are their reorder quantities?" after stock rows: each (part, warehouse) row's
        m.changes.update(group_by=("part", "warehouse"), limit=None, order=None)
    elif previous.measure is not None and previous.group_by and previous.order:
        kept = {"measure": previous.measure, "agg": previous.agg, "statuses": m.statuses}
        m.changes.update(kept, companion=new.measure, order=previous.order, limit=previous.limit)


def _exclude_values(m: _Merge) -> None:
    """ "Excluding Chicago" adds up; "all but Chicago" after "in Chicago" drops the filter."""
    if not m.new.not_filters:
        return
    not_filters = dict(m.previous.not_filters)
    for kind, values in m.new.not_filters.items():
        not_filters[kind] = tuple(dict.fromkeys([*not_filters.get(kind, ()), *values]))
        if set(m.filters.get(kind, ())) <= set(values):
            m.filters.pop(kind, None)
    m.changes["not_filters"] = not_filters


def _flip_ranking(m: _Merge) -> None:
    """ "And the fewest?", "and the worst?": the same ranking, the other way."""
    fragment, previous = m.fragment, m.previous
    if fragment.direction and previous.order and not m.new.order:
        judged = fragment.judged
        m.changes["order"] = (
            judged_order(judged, previous.measure, previous.statuses)
            if judged
            else fragment.direction
        )
        if fragment.asks_one:
            m.changes["limit"] = 1  # "and which one holds the least?" after the top 3


def _list_the_rows(m: _Merge) -> None:
    """ "Which ones?", "list them" after a count: the rows behind the number."""
    which_of_the_count = m.fragment.asks_which and m.fragment.narrows and not m.previous.group_by
    if not (m.fragment.wants_list or which_of_the_count):
        return
    if m.previous.measure == "count":
        m.changes.update(measure=None, agg=None, count_rows=False)
    elif m.previous.measure == "po_count" and not m.previous.group_by:
        m.changes.update(measure=None, agg=None, subject="po")


def _move_subject(m: _Merge) -> None:
    """ "Who supplies them", "what parts do they supply": another entity of the same rows
    ("which of those come from US suppliers" still lists the parts); after a count ("which
    suppliers are they from?") the entities behind the counted rows, listed."""
    new, previous = m.new, m.previous
    if (
        m.fragment.per_listed
        and new.measure is None
        and new.subject in DETERMINED_BY.get(previous.subject or _listed_kind(previous), ())
    ):
        # "which supplier makes each of them?": each listed row with its one supplier
        m.changes["shown"] = tuple(dict.fromkeys((*previous.shown, new.subject)))
        return
    if not (
        (m.fragment.refers_back or m.fragment.points_back)
        and not m.fragment.narrows
        and new.subject not in {None, previous.subject, "po"}
        and new.measure is None
    ):
        return
    if previous.measure is None:
        m.changes["subject"] = new.subject
    elif not (previous.group_by or previous.order) and new.subject in DETERMINED_BY.get(
        next(iter(previous.filters), ""), ()
    ):
        # "who supplies it?" after the unit cost of one part: that part's supplier
        m.changes.update(subject=new.subject, measure=None, agg=None, count_rows=False)
    elif (
        previous.order
        and previous.limit
        and new.subject in DETERMINED_BY.get(previous.subject or "", ())
    ):
        # "top 5 parts by demand" → "who supplies them?": the same ranked rows, each with
        # its supplier (one per part) beside it
        m.changes["shown"] = tuple(dict.fromkeys((*previous.shown, new.subject)))
    elif previous.measure in {"count", "po_count"} and not previous.group_by:
        m.changes.update(subject=new.subject, measure=None, agg=None, count_rows=False)


def _measure_the_rows(m: _Merge) -> None:
    """ "How many is that" counts the listed rows; "the total value of those" prices them
    (orders at their price, stock at its cost); "as a rate instead" turns a count into
    the share its status defines."""
    new, previous, fragment, changes = m.new, m.previous, m.fragment, m.changes
    counts_rows = new.measure == "count" or (
        # "how many of them have open POs?" after a stock list: the listed rows, counted
        new.measure == "po_count" and fragment.narrows and _domain(previous, ()) != "po"
    )
    if counts_rows and previous.measure is None:
        changes.update(measure="count", agg=None, count_rows=True, limit=None, order=None)
        named = fragment.has_subject and not fragment.explicit_group
        if named and new.subject not in {None, previous.subject} and previous.subject in DIMENSIONS:
            # "how many parts do they supply in total?" after a list of suppliers
            changes.update(counted=new.subject, count_rows=False)
    if fragment.wants_value and previous.measure in _COUNTS:
        orders = previous.subject == "po" or any(STATUS_DOMAIN[s] == "po" for s in m.statuses)
        changes.update(measure="po_value" if orders else "inventory_value", agg=None,
                       count_rows=False, limit=None, order=None)  # fmt: skip
    rate = status_rate(m.statuses) if fragment.as_rate else None
    if rate is not None and previous.measure in {"count", "po_count"}:
        defined = defining_statuses(rate)
        changes.update(
            measure=rate,
            agg=None,
            statuses=tuple(s for s in m.statuses if s not in defined),
            count_rows=False,
            percent=new.percent,
        )


def _limit_and_order(m: _Merge) -> None:
    """ "Make it 3", "top 8 instead": a new limit; a new order over the old measure ("only
    the top 3" keeps the old order: the top of a ranking of the worst is the worst; "just
    the 5 worst" keeps the order a breakdown was just ranked by)."""
    new, previous = m.new, m.previous
    if m.fragment.replaces_limit:
        ranked = m.changes.get("order")
        # "now the top 5" after the bottom 5 turns the ranking round; "only the top 3"
        # of the lowest is the head of that ranking
        turned = m.fragment.direction == "desc" and not m.fragment.restricts
        if m.fragment.heads_ranking and not (turned and previous.order == "asc"):
            order = previous.order or new.order
        elif m.fragment.judged and previous.measure is not None:
            # "show the worst 3" of on-time rates: the measure's bad end, the lowest
            order = judged_order(m.fragment.judged, previous.measure, m.statuses)
        else:
            order = new.order or ranked or previous.order
        m.changes.update(limit=new.limit, order=order)
    elif (
        new.order
        and previous.measure is not None
        # an order the parser gave the subject's usual measure is not the old measure's
        and not _ranks_by_the_old_measure(m.fragment, previous)
    ):
        m.changes["order"] = new.order


def _added_conditions(m: _Merge) -> None:
    """Attribute bounds and NOT EXISTS conditions add up; a new bound replaces the old,
    and "which of them had more than 15 late deliveries" bounds the listed entity."""
    new, previous = m.new, m.previous
    if new.attribute_filters:
        m.changes["attribute_filters"] = previous.attribute_filters + new.attribute_filters
    if new.excludes:
        m.changes["excludes"] = previous.excludes + new.excludes
    if new.having:
        m.changes["having"] = new.having
        if m.fragment.narrows and previous.measure is None and previous.subject in DIMENSIONS:
            subject = previous.subject
            m.changes.update(subject=subject, group_by=(subject,), order=None)


def _keep_the_ranked_rows(m: _Merge) -> None:
    """ "Of those, which are Electrical?" after the top 10 parts by value, "break this down
    by warehouse" after the top 5, "… for that warehouse" after the top one: the answer
    stays within the entities the ranking kept, rather than ranking again over the new
    filter or dropping the cut."""
    previous, fragment = m.previous, m.fragment
    if not (previous.order and previous.limit and previous.subject in KEY_COLUMN):
        return
    if fragment.wants_all:
        m.changes["limit"] = None  # "show all of them": the whole ranking
        return
    new = m.new
    counted = previous.measure in {"count", "po_count"}
    rows_asked = fragment.wants_list or (
        fragment.refers_back and new.subject not in {None, previous.subject} and not new.measure
    )
    if counted and rows_asked and not fragment.narrows:
        # "which parts are they?" after the warehouse with the most out-of-stock parts:
        # the counted rows themselves, in the entities the ranking kept
        rows = new.subject if new.subject not in {None, previous.subject} else None
        m.changes.update(measure=None, agg=None, count_rows=False, group_by=(), order=None,
                         limit=None, subject=rows, within=previous)  # fmt: skip
        return
    # "there" after the top warehouse is that warehouse; after "in the Northeast", the region
    placed = any(kind in LOCATION_KINDS for kind in previous.filters)
    there = fragment.there and previous.subject in LOCATION_KINDS and not placed
    points_back = fragment.points_back or there
    regrouped = fragment.adds_group and (previous.limit > 1 or points_back)
    if not (fragment.narrows or regrouped or (points_back and previous.limit == 1)):
        return
    ranked_rows = MEASURES[previous.measure].domain if previous.measure in MEASURES else None
    other_rows = any(STATUS_DOMAIN[s] != ranked_rows for s in new.statuses)
    new_subject = new.subject not in {None, previous.subject}
    if (points_back and new_subject and not regrouped) or (
        fragment.narrows and other_rows and new.measure is None
    ):
        # "what parts do we buy from that supplier?", "of those, which are low stock in
        # Newark?" after a demand ranking: a question of its own about the entities the
        # ranking kept, not the ranking's measure and conditions
        m.changes = {f.name: getattr(new, f.name) for f in fields(Intent)}
        m.changes["subject"] = new.subject or previous.subject
        if fragment.points_back or fragment.there:  # "… low stock there?": at the same place
            places = {k: v for k, v in previous.filters.items() if k in LOCATION_KINDS}
            m.changes["filters"] = {**places, **new.filters}
    # the kept entities are already cut: every row of them, not a new cut of the subset
    m.changes.update(within=previous, limit=None)


def _keep_the_listed_entities(m: _Merge) -> None:
    """ "How many open POs do we have with them?" after "which supplier provides the
    Cooling Fan?": the suppliers listed, all of their orders, not only the Cooling Fan's."""
    previous, new = m.previous, m.new
    if not (m.fragment.refers_back and previous.measure is None and new.measure is not None):
        return
    if previous.subject not in {"supplier", "warehouse"} or previous.within is not None:
        return
    own = {previous.subject, *DETERMINED_BY.get(previous.subject, ())}
    foreign = [kind for kind in previous.filters if kind not in own]
    if not foreign:
        return  # "which suppliers are in the USA?" → "…with them": the country still filters
    m.changes["filters"] = {k: v for k, v in m.filters.items() if k not in foreign}
    m.changes.update(within=previous, statuses=new.statuses, subject=None)


def _counts_a_status_of_the_rows(fragment: Fragment, previous: Intent) -> bool:
    """ "How many were cancelled?" names no rows of its own: a status of the rows just counted."""
    new = fragment.intent
    return bool(
        new.measure in {"count", "po_count"}
        and previous.measure in {"count", "po_count"}
        and not fragment.has_subject
        and not new.filters
        and new.statuses
        and {STATUS_DOMAIN[s] for s in new.statuses}
        == {_domain(previous, previous.statuses) or "stock"}
    )


def _difference_of_the_two(m: _Merge) -> None:
    """ "How much higher is Seattle than Denver?": the previous measure, first minus second."""
    kind = m.fragment.difference_of
    if kind is None or m.previous.measure is None:
        return
    group_by = m.changes.get("group_by", m.previous.group_by)
    m.changes.update(
        difference=kind,
        group_by=group_by if kind in group_by else (kind, *group_by),
        order=None,
        limit=None,
    )


def _is_share_of_the_whole(fragment: Fragment, previous: Intent) -> bool:
    """A share of one figure in a larger total; a whole named by its status ("what share
    of its received orders is that?") is the status's rate instead (``_measure_the_rows``)."""
    return bool(
        fragment.share_of_whole
        and previous.measure is not None
        and not previous.group_by
        and not fragment.intent.statuses
    )


def _share_of_the_whole(m: _Merge) -> None:
    """ "What percentage of all demand last year was that?": the previous figure, and its
    share of the same measure without the filters and statuses the question leaves out
    (it keeps what it says again: "of Boston's parts" keeps Boston)."""
    previous, new = m.previous, m.new
    if not _is_share_of_the_whole(m.fragment, previous):
        return
    dropped = tuple(kind for kind in previous.filters if kind not in new.filters)
    if previous.statuses and not new.statuses:
        dropped += (STATUS_KIND,)
    kept = ("measure", "agg", "subject", "counted", "count_rows", "statuses", "window")
    m.changes.update({name: getattr(previous, name) for name in kept}, total_without=dropped)
    m.changes["filters"] = {**previous.filters, **new.filters}


def _over_the_groups(m: _Merge) -> None:
    """The previous breakdown kept whole (rows, order, cut) under one aggregate."""
    previous = m.previous
    how = _aggregates_the_groups(m.fragment, previous)
    if how is None:
        if _totals_another_measure(m.fragment, previous):
            # "what's the total reorder quantity for them?" after each one's safety stock
            m.changes.update(group_by=(), order=None, limit=None)
        return
    kept = ("measure", "agg", "subject", "counted", "count_rows", "order", "limit")
    m.changes.update({name: getattr(previous, name) for name in kept}, over_groups=how)
    m.changes["group_by"] = previous.group_by or m.new.group_by


def _one_extreme(m: _Merge) -> None:
    """ "What was its worst one, in days late?" of one supplier's late deliveries: with
    nothing left to rank, the head of the ranking is the measure's extreme row value."""
    merged = m.previous.with_changes(**m.changes)
    measure = MEASURES.get(merged.measure or "")
    if (
        measure is None
        or merged.group_by
        or merged.limit != 1
        or merged.order is None
        or merged.agg in {"min", "max"}
        or measure.is_ratio
        or measure.expr == "*"  # a count has no row value
    ):
        return
    m.changes.update(agg="max" if merged.order == "desc" else "min", order=None, limit=None)


#: one handler per follow-up cue, in the order they apply; later ones see earlier changes
HANDLERS: tuple[Callable[[_Merge], None], ...] = (
    _swap_filters,
    _widen,
    _regroup,
    _swap_statuses,
    _keep_the_rest,
    _compare_periods,
    _quoted_or_actual,
    _rank_the_breakdown,
    _bound_or_measure,
    _values_per_row,
    _exclude_values,
    _flip_ranking,
    _list_the_rows,
    _move_subject,
    _measure_the_rows,
    _limit_and_order,
    _added_conditions,
    _keep_the_ranked_rows,
    _keep_the_listed_entities,
    _difference_of_the_two,
    _share_of_the_whole,
    _over_the_groups,
    _one_extreme,
)


def merge(previous: Intent, fragment: Fragment) -> Intent:
    """The previous intent with this turn's entities, window, statuses and limits applied:
    whatever the turn does not replace is kept."""
    state = _Merge(previous, fragment)
    for handle in HANDLERS:
        handle(state)
    return previous.with_changes(**state.changes)


def _listed_kind(previous: Intent) -> str:
    """What a list without a named subject shows: stock rows are parts, orders are orders."""
    return "po" if _domain(previous, previous.statuses) == "po" else "part"


def _kind_group(kind: str) -> tuple[str, ...]:
    """The kinds one filter replaces: a place replaces any place, a product any product."""
    return next((group for group in _KIND_GROUPS if kind in group), (kind,))


_QUANTITY_OF = {"po": "po_units", "demand": "demand"}
_COUNTS = {None, "count", "po_count"}


def _domain(previous: Intent, statuses: tuple[str, ...]) -> str | None:
    """Which rows the previous answer was about: its measure's, else its listed subject's."""
    if previous.measure is not None and previous.measure in MEASURES:
        return MEASURES[previous.measure].domain
    orders = previous.subject == "po" or any(STATUS_DOMAIN[s] == "po" for s in statuses)
    return "po" if orders else None


def _actual_instead_of_quoted(previous: Intent) -> dict[str, object]:
    """ "Use actual deliveries instead": a threshold on a supplier's quoted figure becomes
    the same threshold on its measured one, per supplier."""
    actual = {quoted: measured for measured, quoted in QUOTED_PAIRS.items()}
    for name, operator, value in previous.attribute_filters:
        if name in actual:
            return {
                "measure": actual[name],
                "agg": None,
                "having": (operator, value),
                "attribute_filters": tuple(f for f in previous.attribute_filters if f[0] != name),
                "subject": "supplier",
                "group_by": previous.group_by or ("supplier",),
            }
    return {}


def _shifted(m: _Merge) -> TimeWindow | None:
    """The previous window, moved back when the follow-up says "the month before"."""
    if m.fragment.shift is None or m.previous.window is None:
        return m.previous.window
    return shift_back(m.previous.window, *m.fragment.shift)

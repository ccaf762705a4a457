"""Follow-ups: a short question that only swaps an entity, adds a filter, changes the
window or the limit refines the previous question rather than starting a new one.
"""

from __future__ import annotations

from genie_local.nl2sql.clauses import scaled
from genie_local.nl2sql.lexicon import LOCATION_KINDS, PRODUCT_KINDS, SOURCE_KINDS
from genie_local.nl2sql.measure_words import defining_statuses, judged_order, status_rate
from genie_local.nl2sql.measures import DIMENSIONS, MEASURES, STATUS_DOMAIN
from genie_local.nl2sql.parser import Fragment
from genie_local.nl2sql.plan import Intent, TimeWindow
from genie_local.nl2sql.timephrases import in_year_of, shift_back

_KIND_GROUPS = (LOCATION_KINDS, PRODUCT_KINDS, SOURCE_KINDS)
QUOTED_PAIRS = {"on_time_rate": "quoted_on_time", "actual_lead_time": "lead_time"}


def is_followup(fragment: Fragment, previous: Intent | None) -> bool:
    if previous is None:
        return False
    if not fragment.has_core or fragment.narrows or fragment.only_threshold or fragment.total_share:
        return True
    intent = fragment.intent
    if intent.measure == "count" and not fragment.has_subject and not intent.statuses:
        return True  # "how many in Dallas?" counts what the previous question listed
    return fragment.looks_like_followup and not (
        fragment.has_measure and fragment.has_subject and fragment.intent.statuses
    )


def merge(previous: Intent, fragment: Fragment) -> Intent:
    """The previous intent with this turn's entities, window, statuses and limits applied."""
    new = fragment.intent
    filters = dict(previous.filters)
    compared: str | None = None
    for kind, values in new.filters.items():
        if fragment.compares and kind in previous.filters and len(values) < 2:
            # "compare with Massachusetts" after Georgia: both, side by side
            filters[kind] = tuple(dict.fromkeys([*previous.filters[kind], *values]))
            compared = kind
            continue
        group = next((g for g in _KIND_GROUPS if kind in g), (kind,))
        for other in group:
            filters.pop(other, None)
        filters[kind] = values
    # "across all warehouses", "per warehouse instead": the old warehouse filter goes
    for kind in (*fragment.widened, *(new.group_by if fragment.explicit_group else ())):
        if kind in new.filters:
            continue
        group = next((g for g in _KIND_GROUPS if kind in g), (kind,))
        for other in group if kind in fragment.widened else (kind,):
            filters.pop(other, None)
    # a swapped entity no longer breaks the answer down by itself when only one is left
    group_by = new.group_by if fragment.explicit_group else previous.group_by
    if fragment.adds_group:
        group_by = tuple(dict.fromkeys((*previous.group_by, *new.group_by)))
    if not fragment.explicit_group and group_by:
        group_by = tuple(
            dim for dim in group_by if not (dim in new.filters and len(new.filters[dim]) == 1)
        ) or (group_by if previous.order else ())
    # a new stock status swaps the old one ("and which has the most below safety stock?")
    swapped = {
        STATUS_DOMAIN[s]
        for s in new.statuses
        if STATUS_DOMAIN[s] == "stock" or fragment.replaces_statuses
    }
    kept = [s for s in previous.statuses if STATUS_DOMAIN[s] not in swapped]
    statuses = tuple(dict.fromkeys([*kept, *new.statuses]))
    if "overdue" in new.statuses:
        statuses = tuple(s for s in statuses if s != "open")
    changes: dict[str, object] = {
        "filters": filters,
        "statuses": statuses,
        "group_by": group_by,
        "window": None
        if "window" in fragment.widened
        else in_year_of(new.window, previous.window) or _shifted(previous, fragment),
        "window_basis": new.window_basis if new.window else previous.window_basis,
        "notes": new.notes,
    }
    if compared and compared not in group_by and previous.measure is not None:
        changes["group_by"] = (compared, *group_by)
    if fragment.wants_quoted and previous.measure in QUOTED_PAIRS and not new.measure:
        changes["companion"] = QUOTED_PAIRS[previous.measure]
    if fragment.wants_actual and not new.measure:
        changes.update(_actual_instead_of_quoted(previous))
    if fragment.direction and not previous.order and previous.measure and previous.group_by:
        # "which one is highest?"; "which one is the worst?" by the measure's good direction
        order = (
            judged_order(fragment.judged, previous.measure, previous.statuses)
            if fragment.judged
            else None
        )
        changes.update(order=order or fragment.direction, limit=new.limit or 1)
    if fragment.total_share and previous.measure is not None and previous.group_by:
        # "which categories are more than 10% of the total?": the old breakdown, each group
        # against the grand total of the same measure over the same rows
        changes.update(having=fragment.total_share, share_of_total=True)
    elif fragment.only_threshold and previous.measure is not None:
        # "only the ones above 3000 units": its unit word is the old measure's, bounded
        operator, value = fragment.only_threshold
        changes["having"] = (operator, scaled(previous.measure, value))
    elif fragment.has_measure and new.measure != "count":
        changes["measure"] = new.measure
        changes["agg"] = new.agg
        listed = fragment.narrows and previous.measure is None and previous.subject in DIMENSIONS
        if new.agg in {"min", "max"} and fragment.direction and (previous.group_by or listed):
            # "which one has the highest value?" after a ranking, "which of them has the
            # shortest lead time?" after a list: the same entities, ranked
            changes.update(agg=None, order=fragment.direction)
            if not previous.group_by:
                changes.update(group_by=(previous.subject,), limit=new.limit or 1)
        changes["companion"] = new.companion
        if previous.having:
            changes["having"] = None
        if fragment.bare_quantity and (rows := _domain(previous, statuses)) in _QUANTITY_OF:
            changes["measure"] = _QUANTITY_OF[rows]  # units of those rows
        if defined := defining_statuses(new.measure):
            # "the on-time rate instead" of a late count: 'late' was the old measure's own
            # condition, the rate is over every received order
            changes["statuses"] = tuple(s for s in statuses if s not in defined)
    if new.not_filters:
        not_filters = dict(previous.not_filters)
        for kind, values in new.not_filters.items():
            not_filters[kind] = tuple(dict.fromkeys([*not_filters.get(kind, ()), *values]))
            if set(filters.get(kind, ())) <= set(values):
                filters.pop(kind, None)  # "all but Chicago" after "in Chicago": drop the filter
        changes["not_filters"] = not_filters
    if fragment.direction and previous.order and not new.order:
        judged = fragment.judged  # "and the fewest?", "and the worst?"
        changes["order"] = (
            judged_order(judged, previous.measure, previous.statuses)
            if judged
            else fragment.direction
        )
    if fragment.wants_list and previous.measure == "count":
        changes.update(measure=None, agg=None, count_rows=False)
    elif fragment.wants_list and previous.measure == "po_count" and not previous.group_by:
        changes.update(measure=None, agg=None, subject="po")  # "which ones?" after "how many POs"
    if (
        fragment.refers_back
        and not fragment.narrows  # "which of those come from US suppliers": still the parts
        and new.subject not in {None, previous.subject, "po"}
        and new.measure is None
        and previous.measure is None
    ):
        changes["subject"] = new.subject  # "who supplies them", "what parts do they supply"
    if new.measure == "count" and previous.measure is None:
        # "how many is that": count the rows the previous answer listed
        changes.update(measure="count", agg=None, count_rows=True, limit=None, order=None)
    if fragment.wants_value and previous.measure in {None, "count", "po_count"}:
        # "what's the total value of those": orders are worth their price, stock its cost
        orders = previous.subject == "po" or any(STATUS_DOMAIN[s] == "po" for s in statuses)
        changes.update(measure="po_value" if orders else "inventory_value", agg=None,
                       count_rows=False, limit=None, order=None)  # fmt: skip
    if fragment.as_rate and previous.measure in {"count", "po_count"}:
        rate = status_rate(statuses)
        if rate is not None:
            defined = defining_statuses(rate)
            changes.update(
                measure=rate,
                agg=None,
                statuses=tuple(s for s in statuses if s not in defined),
                count_rows=False,
                percent=new.percent,
            )
    if fragment.replaces_limit:
        changes["limit"] = new.limit
        changes["order"] = new.order or previous.order
    elif new.order and previous.measure is not None:
        changes["order"] = new.order
    if new.attribute_filters:
        changes["attribute_filters"] = previous.attribute_filters + new.attribute_filters
    if new.excludes:
        changes["excludes"] = previous.excludes + new.excludes
    if new.having:
        changes["having"] = new.having
        if fragment.narrows and previous.measure is None and previous.subject in DIMENSIONS:
            # "which of them had more than 15 late deliveries": the listed entity, thresholded
            changes.update(subject=previous.subject, group_by=(previous.subject,), order=None)
    return previous.with_changes(**changes)


_QUANTITY_OF = {"po": "po_units", "demand": "demand"}


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


def _shifted(previous: Intent, fragment: Fragment) -> TimeWindow | None:
    """The previous window, moved back when the follow-up says "the month before"."""
    if fragment.shift is None or previous.window is None:
        return previous.window
    return shift_back(previous.window, *fragment.shift)

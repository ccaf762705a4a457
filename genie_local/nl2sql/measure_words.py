"""Which measure a question asks for, and the ranking and counting words around it:
the business quantity ("inventory value", "days late"), its aggregate, whether "how
many" counts things or sums units, and what a bare superlative ranks by.
"""

# ruff: noqa: E501  (vocabulary tables of regular expressions read best one alternative list per line)

from __future__ import annotations

import re

from genie_local.nl2sql.lexicon import ANY_NOUN, MEASURE_RE
from genie_local.nl2sql.measures import PO_STATUSES


def first(
    patterns: list[tuple[str, re.Pattern[str]]], text: str
) -> tuple[str, re.Match[str]] | None:
    for name, pattern in patterns:
        match = pattern.search(text)
        if match:
            return name, match
    return None


RATE_WORDS = re.compile(r"\b(?:share|percent(?:age)?|fraction|proportion|rate|ratio|how often)\b|%")


def rate_of_status(text: str, measure: str | None, statuses: list[str]) -> str | None:
    """ "What share of deliveries arrived on time" asks the rate that the status defines;
    the status then no longer filters the rows, or every rate would be 1."""
    if measure is None and RATE_WORDS.search(text):
        measure = status_rate(statuses)
    elif measure in {"on_hand", "count"} and re.search(
        r"\b(?:share|percent(?:age)?|fraction|proportion|ratio) of\b", text
    ):
        measure = status_rate(statuses) or measure  # "share of stock rows out of stock"
    defined = defining_statuses(measure)
    statuses[:] = [s for s in statuses if s not in defined]
    return measure


def defining_statuses(measure: str | None) -> set[str]:
    """The statuses a rate measure is made of: a filter on them would leave it 0 or 1."""
    if measure in {"on_time_rate", "late_rate", "early_rate"}:
        return {"on_time", "late", "early"}
    if measure is not None and measure.endswith("_share"):
        return {measure.removesuffix("_share")}
    return set()


def status_rate(statuses: list[str] | tuple[str, ...]) -> str | None:
    """The rate a status defines: late → late rate, out of stock → share of rows out."""
    for status in statuses:
        if status in {"on_time", "late", "early"}:
            return f"{status}_rate"
        if status in {"out", "low", "critical", "risk"}:
            return f"{status}_share"
    return None


def rated_status(measure: str | None) -> str | None:
    """The status a rate measure is the share of (late rate → late), the inverse of
    ``status_rate``."""
    for suffix in ("_rate", "_share"):
        status = (measure or "").removesuffix(suffix)
        if status != measure and status_rate([status]) == measure:
            return status
    return None


def asks_percent(text: str) -> bool:
    """ "as a percentage": a rate is also shown ×100, beside the 0..1 value."""
    return bool(re.search(r"\bpercent(?:age)?s?\b|%", text))


def lists_with_delay(text: str) -> bool:
    return bool(
        re.search(
            r"^(?:list|show(?: me)?|display|give me|which|what)\b.*\b(?:deliveries|orders|pos)\b.*"
            r"\bwith (?:the |their )?(?:how many days late|days late|delays?|lateness)\b",
            text,
        )
    )


def superlative_noun(text: str, word: str) -> str | None:
    """The noun a superlative counts: "most parts" → part."""
    match = re.search(rf"\b{re.escape(word)}\s+(?:[\w-]+\s+)?(?:{ANY_NOUN})\b", text)
    if match is None:
        return None
    return next(k for k, v in match.groupdict().items() if v)


def without_comparators(text: str) -> str:
    """The text without threshold words, whose "least"/"most"/"more" rank nothing."""
    return re.sub(
        r"\bat (?:least|most)\b|\bno (?:more|less|fewer) than\b|\bmore than\b|\bor (?:more|less|fewer)\b",
        " ",
        text,
    )


RANKED_BY_DOMAIN = {"stock": "part", "demand": "part", "part": "part", "po": "supplier",
                     "supplier": "supplier", "warehouse": "warehouse"}  # fmt: skip
QUANTITY_MEASURES = {"demand", "avg_daily_demand", "po_units", "reserved", "available", "on_hand",
                     "reorder_qty"}  # fmt: skip


_SHARE_OF = re.compile(r"\b(?:percent(?:age)?|share|fraction|proportion)\s+of\b|%\s+of\b")
_SHARE_HOLDER = re.compile(
    r"\b(?:is|are|was|were|comes?|came|goes?|went|sits?|lies|held)\s+(?:with|from|at|in|to|for|on|by)\b"
)


def share_holder_kinds(question: str, mentions: list, filters: dict) -> tuple[str, ...]:
    """ "What percentage of open PO value is with Helix": the entities after the verb hold
    the share, so the grand total it is taken of leaves their filters out."""
    lowered = question.lower()
    if not (share := _SHARE_OF.search(lowered)):
        return ()
    if not (holder := _SHARE_HOLDER.search(lowered, share.end())):
        return ()
    kinds = [m.kind for m in mentions if m.start >= holder.end() and m.kind in filters]
    return tuple(dict.fromkeys(kinds))


_OWN_SHARE = re.compile(r"%\s+of\s+(?:their|its|the(?:ir|\s+part's)?)\s+(?:own\s+)?(?:total\s+)?")


def own_share_base(text: str) -> tuple[str, str] | None:
    """ "parts with more than 11% of their on-hand units reserved": the share is taken
    within each entity, of the measure named after "of their", not of the grand total
    ("of all on-hand units"); returns (the measure bounded, the measure it is a share of)."""
    if not (own := _OWN_SHARE.search(text)):
        return None
    for base, pattern in MEASURE_RE:
        if hit := pattern.match(text, own.end()):
            rest = text[: hit.start()] + " " * (hit.end() - hit.start()) + text[hit.end() :]
            found = first(MEASURE_RE, rest)
            if found is None or found[0] == base:
                return None
            return found[0], base
    return None


_STOCK_COLUMNS = {
    "reorder_point",
    "safety_stock",
    "reorder_qty",
    "on_hand",
    "reserved",
    "available",
}


def second_stock_measure(text: str, measure: str | None) -> str | None:
    """ "the reorder point and safety stock for Coolant 5L": a second stock column named
    with "and" beside the first, shown next to it rather than dropped."""
    if measure not in _STOCK_COLUMNS:
        return None
    for name, pattern in MEASURE_RE:
        if name not in _STOCK_COLUMNS - {measure, "on_hand"}:
            continue
        if re.search(rf"\b(?:and|,)\s+(?:the\s+|their\s+|its\s+)?(?:{pattern.pattern})", text):
            return name
    return None


def asks_for_a_count(text: str, how_many_noun: bool, measure: str | None) -> bool:
    """ "How many parts …" counts things; "how many units …" sums a quantity instead."""
    if re.search(r"how many units|how many days|number of (?:units|days)|count of units", text):
        return False
    if re.search(
        r"\band how (?:many|much)(?: (?:to|should we|do we need to) (?:re)?order)?\s*$", text
    ):
        return False  # "what should we reorder and how many": the list, with its quantities
    if not (how_many_noun or re.search(r"\b(?:count|number of|no\. of|how many)\b", text)):
        return False
    if measure in QUANTITY_MEASURES and re.search(r"\bunits?\b|how much", text):
        return False
    if measure in QUANTITY_MEASURES and re.search(
        rf"\b(?:how many|number of) _++(?!\s*(?:{ANY_NOUN})\b)", text
    ):
        return False  # "how many Oil Filters did we use": units of the named part, not a count
    return measure in {None, "on_hand", "demand", "inventory_value"} or not re.search(
        r"\b(?:units?|qty|quantit)", text
    )


PER_DAY_AMOUNT = re.compile(  # "more than 100 units a day of demand": a daily rate, not a total
    r"\d[\d,.]*k?\s+(?:units?\s+|pcs\s+|pieces\s+)?(?:a|per|each|every)\s+day\b"
    r"|\d[\d,.]*k?\s+(?:units?\s+|pcs\s+|pieces\s+)?daily\b|\d[\d,.]*k?\s*/\s*day\b"
)


def measure(text: str, statuses: list[str]) -> tuple[str | None, str | None]:
    agg = None
    if re.search(r"\b(?:average|avg|mean|typical)\b", text):
        agg = "avg"
    elif re.search(r"\b(?:total|sum|overall|combined|altogether|in total|aggregate)\b", text):
        agg = "sum"
    elif re.search(r"\b(?:maximum|max|highest|largest|biggest|longest)\b", text):
        agg = None
    po_context = bool(PO_STATUSES.intersection(statuses)) or re.search(
        r"\b(?:purchase orders?|pos?|orders?|deliver\w*|shipments?)\b", text
    )
    found = first(MEASURE_RE, text)
    if found is None and re.search(
        rf"\bhas the (?:most|least|fewest) _++(?!\s*(?:{ANY_NOUN})\b)", text
    ):
        return "on_hand", agg  # "which warehouse has the most Fog Light": its units, ranked
    if (
        found is None
        and set(statuses) & {"open", "overdue", "received"}
        and re.search(rf"\bhow (?:many|much) _++(?!\s*(?:{ANY_NOUN})\b)", text)
    ):
        return "po_units", agg  # "how many Brake Rotors are we waiting on": units on those orders
    if (
        found is None
        and not statuses
        and re.search(rf"\bhow many _++(?!\s*(?:{ANY_NOUN})\b)", text)
    ):
        return "on_hand", agg  # "how many Brake Pads are in Denver": its units, never COUNT(*) = 1
    if found is None:
        return ("po_value" if po_context and re.search(r"\bvalue\b", text) else None), agg
    name, match = found
    if (
        name == "on_time_rate"
        and re.search(r"quoted|promised|stated|listed|advertised|contract|target", text)
    ) or (
        name == "on_time_rate"
        and not re.search(
            r"actual|deliver|history|historic|real|measured|observed|performance|record|received",
            text,
        )
        and re.search(
            r"(?:below|above|under|over|less|more|greater|lower|higher)\s+(?:than\s+)?\d", text
        )
    ):
        name = "quoted_on_time"
    if (
        name == "reorder_qty"
        and not match.group(0).startswith("reorder")
        and PO_STATUSES.intersection(statuses)
    ):
        name = "po_units"  # "the open order quantities": units on purchase orders
    if name == "unit_cost" and po_context and re.search(r"\bprice", text):
        name = "po_unit_price"
    if (
        name == "unit_cost"
        and po_context
        and re.search(r"\bcost of|\bcosts?\b", text)
        and not re.search(r"unit cost", text)
    ):
        name = "po_value"
    if (
        name in {"on_hand", "inventory_value"}
        and po_context
        and re.search(r"\bvalue\b|worth|\$|dollar|money|cash|capital", text)
    ):
        name = "po_value"
    elif (
        name == "on_hand" and po_context and not re.search(r"on[- ]hand|in stock|stock level", text)
    ):
        name = "po_units" if re.search(r"\bunits?\b|quantit|\bqty\b|how much", text) else None
        if name is None and re.search(r"\bhave\b|\bhold|\bcarr", text) and not statuses:
            name = None
    elif name == "on_hand" and re.search(r"\bvalue\b|\$|dollar", text) and not po_context:
        name = "inventory_value"
    elif name == "on_hand" and match.group(0) in {
        "have",
        "hold",
        "holds",
        "holding",
        "carry",
        "carries",
    }:
        # "hold more than 15% of all on-hand units": the verb, with the quantity named after it
        # "which warehouse holds the most Fog Light": a named part's units ranked, not a count
        held_most = rf"\b(?:have|holds?|holding|carr(?:y|ies)) the (?:most|least|fewest) (?:_++(?!\s*(?:{ANY_NOUN})\b)|stock\b|inventory\b)"
        name = (
            "on_hand"
            if re.search(rf"how (?:much|many)|\bunits\b|\bqty\b|{held_most}", text)
            else None
        )
    averaged = agg == "avg" or re.search(r"\baverag(?:es|ed|ing)\b", text) is not None
    daily = averaged and re.search(r"\bdaily\b|per day|a day", text) is not None
    # "how many do we burn through a day": a rate per day is an average whatever the verb
    daily = daily or re.search(r"\b(?:per|a) day\b(?! trend)", text) is not None
    if name == "demand" and (daily or PER_DAY_AMOUNT.search(text)):
        name = "avg_daily_demand"  # a daily rate over the window: total ÷ its days
    if name is None and po_context and re.search(r"\bvalue\b", text):
        name = "po_value"
    return name, agg


def attribute_owner(measure: str) -> str | None:
    return {
        "unit_cost": "part",
        "lead_time": "supplier",
        "quoted_on_time": "supplier",
        "capacity": "warehouse",
    }.get(measure)


def is_aggregate_question(text: str) -> bool:
    return bool(
        re.search(
            r"\b(?:average|avg|mean|total|sum|how many|count|number of|maximum|minimum|max|min)\b",
            text,
        )
    )


def default_ranking_measure(subject: str, statuses: list[str]) -> str | None:
    if PO_STATUSES.intersection(statuses):
        return "po_count"
    if any(s in statuses for s in ("low", "critical", "out", "risk")) and subject != "part":
        return "count"
    return None


_LOWER_IS_BETTER = {
    "late_rate",
    "late_by",
    "lead_time",
    "actual_lead_time",
    "on_time_gap",
    "lead_time_gap",
}
_HIGHER_IS_BETTER = {"on_time_rate", "quoted_on_time"}


_BAD_STATUSES = {"late", "overdue", "cancelled", "out", "critical", "low", "risk"}


def judged_order(word: str, measure: str | None, statuses: tuple[str, ...] | list[str]) -> str:
    """ "best"/"better" and "worst"/"worse" point up or down depending on which way the
    measure is good; a count of late orders or stockouts is better the fewer there are."""
    good = word in {"best", "better"}
    counts_trouble = measure in {"count", "po_count"} and _BAD_STATUSES & set(statuses)
    if measure in _HIGHER_IS_BETTER:
        return "desc" if good else "asc"
    if measure in _LOWER_IS_BETTER or counts_trouble:
        return "asc" if good else "desc"
    return "desc"

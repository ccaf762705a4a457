"""Question → ``Intent``: the space's language (synonyms for its measures, statuses,
entities, breakdowns, rankings and thresholds) mapped onto the structured intent.

Entity names are blanked before keywords are looked for, so "Cooling Fan" never reads
as a question about cooling and "Delta Precision" never as a comparison.
"""

# ruff: noqa: E501  (vocabulary tables of regular expressions read best one alternative list per line)

from __future__ import annotations

import re
from dataclasses import dataclass, field

from genie_local.nl2sql.plan import Intent
from genie_local.nl2sql.timephrases import find_window
from genie_local.nl2sql.vocabulary import Mention, Vocabulary

NOUNS = {
    "part": r"parts?|items?|products?|skus?|components?|materials?|spares?",
    "warehouse": r"warehouses?|dcs?|distribution cent(?:er|re)s?|locations?|sites?|facilit(?:y|ies)|depots?|branch(?:es)?",
    "supplier": r"suppliers?|vendors?|manufacturers?|sellers?",
    "category": r"categor(?:y|ies)|product lines?|product famil(?:y|ies)|part types?",
    "region": r"regions?",
    "country": r"countr(?:y|ies)|nations?",
    "state": r"states?",
    "city": r"cit(?:y|ies)",
    "po": r"purchase orders?|pos|po|orders?|deliveries|delivery|shipments?|receipts?",
    "status": r"status(?:es)?",
}  # fmt: skip
_NOUN_RE = {kind: re.compile(rf"\b(?:{pattern})\b") for kind, pattern in NOUNS.items()}
_ANY_NOUN = "|".join(f"(?P<{kind}>{pattern})" for kind, pattern in NOUNS.items())

STATUS_PATTERNS = [
    ("risk", r"(?:at )?risk of (?:a )?(?:stock(?:ing)?[- ]?outs?|running out|running dry)|stock[- ]?out risk|could (?:run|stock) out|(?:will|might|may|going to) run out|run out before|before (?:the )?(?:next )?(?:re)?order (?:arrives|can arrive)"),
    ("critical", r"(?:below|under|beneath|less than|short of) (?:the |their |its )?safety[- ]stock(?: levels?)?|critical(?:ly low)?(?: stock)?"),
    ("low", r"low[- ]stock|low on stock|stock is low|running low|run(?:s|ning)? low|low inventory|(?:need|needs|needing) (?:to be )?reorder(?:ing|ed)?|to reorder|should (?:we |i )?reorder|(?:we|i) (?:need to |must |have to )?reorder\b|need to reorder|reorder now|(?:below|under|beneath|at or below|less than) (?:the |their |its )?reorder (?:point|level|threshold)s?|replenish\w*|restock\w*"),
    ("out", r"out[- ]of[- ]stock|stock(?:ed)?[- ]?outs?|stocked out|zero (?:stock|inventory|on[- ]hand|units)|no (?:stock|inventory) (?:left|on hand)|(?:have|with) no stock|none (?:left|on hand)|empty"),
    ("healthy", r"healthy|well[- ]stocked|adequately stocked|above (?:the )?reorder point"),
    ("overdue", r"overdue|past[- ]due|past (?:their|the) expected date|behind schedule|late open|open (?:and )?late|not (?:yet )?(?:arrived|received|delivered) (?:and|but) (?:past|late)"),
    ("cancelled", r"cancel+(?:ed|ations?)"),
    ("late", r"\blate\b|delayed|tardy|after (?:the |their )?expected date"),
    ("on_time", r"on[- ]time (?:deliveries|orders|receipts)|delivered on[- ]time|arrived on[- ]time"),
    ("open", r"\bopen\b|outstanding|pending|on order|in transit|not (?:yet )?(?:received|delivered|arrived)|awaiting|incoming|inbound|unfulfilled|still expected"),
    ("received", r"\breceived\b|\bdelivered\b|arrived|fulfilled|completed|closed orders|receipts"),
]  # fmt: skip

MEASURE_PATTERNS = [
    ("days_of_supply", r"days? of (?:supply|cover(?:age)?|inventory|stock)|days? (?:of stock )?(?:left|remaining)|how (?:long|many days) (?:will|would|does|do) .* last|runway"),
    ("utilization", r"utili[sz]\w+|how full|fullness|capacity used|used capacity|percent(?:age)? of (?:its |their )?capacity|share of capacity|(?:% |percent )full"),
    ("capacity", r"capacity|capacities|how (?:big|large)"),
    ("late_by", r"how late|days late|late by|(?:average|avg|mean|typical) (?:delay|lateness)|delay in days|lateness|by how (?:many days|much)"),
    ("late_rate", r"late(?:[- ]delivery)? (?:rate|ratio|percentage|share)|(?:share|percentage|percent|fraction|proportion|%) (?:of )?(?:\w+ )?(?:deliveries |orders )?(?:that (?:were|are|arrived) )?late"),
    ("on_time_rate", r"actual on[- ]time|on[- ]time (?:delivery )?(?:rate|ratio|percentage|performance|%|share|record)|delivery performance|(?:share|percentage|percent|fraction|proportion) (?:of )?(?:\w+ )?(?:deliveries |orders )?(?:that (?:were|are|arrived) )?on[- ]time|reliab\w+"),
    ("actual_lead_time", r"actual lead[- ]?times?|real lead[- ]?times?|how long (?:do|does|did) .* take to (?:arrive|deliver|be delivered|come in)|delivery times?|time to deliver|turnaround"),
    ("lead_time", r"lead[- ]?times?"),
    ("inventory_value", r"inventory value|value of (?:the |our |all )?(?:inventory|stock|on[- ]hand)|stock value|inventory valuation|valuation|\bworth\b|most valuable|least valuable|(?:total |dollar |\$ )?value (?:held|on hand|in stock|of (?:the )?(?:\w+ )?(?:inventory|stock))|capital tied"),
    ("po_value", r"(?:order|po|purchase(?: order)?s?) (?:value|spend|cost|amount|total)|value of (?:the |all |our )?(?:\w+ )?(?:purchase |po |open |overdue |received |cancelled )*orders|spend|spent|spending|cost of (?:the |all )?(?:\w+ )?orders|dollars? on order|money on order|value on order|committed spend"),
    ("po_unit_price", r"unit prices?|price per unit paid|purchase prices?|price paid|prices? paid"),
    ("unit_cost", r"unit costs?|cost per unit|per[- ]unit cost|\bcosts?\b|expensive|cheap\w*|pricey|costl\w+|\bprice[ds]?\b"),
    ("reserved", r"reserved|allocated|committed (?:stock|units|qty|quantity)"),
    ("available", r"available|availability|free stock|unreserved|unallocated|net stock|usable stock"),
    ("reorder_qty", r"reorder (?:quantit\w+|qty|amount|size)|order quantit\w+|how (?:much|many(?: units)?) (?:to|should we|do we need to|should i) (?:re)?order"),
    ("reorder_point", r"reorder (?:points?|levels?|thresholds?)"),
    ("safety_stock", r"safety[- ]stock(?: levels?)?"),
    ("avg_daily_demand", r"(?:average|avg|mean) (?:daily )?(?:demand|usage|consumption) (?:per day|a day|each day|daily)|(?:average|avg|mean) daily (?:demand|usage|consumption)|daily (?:average|avg|mean) (?:demand|usage|consumption)|(?:demand|usage|consumption) per day"),
    ("demand", r"demand\w*|consum\w+|usage|\bused\b|\bsold\b|sales|\bsell\w*|throughput|\bmoved\b|pulled|issued|burn|\bneeded\b"),
    ("po_units", r"units? (?:on order|ordered|incoming|inbound|in transit)|quantity (?:on order|ordered)|ordered quantit\w+|how (?:many|much) .* (?:on order|ordered|incoming|in transit|inbound)"),
    ("on_hand", r"on[- ]hand|in stock|stock levels?|stock on hand|inventory levels?|how much (?:stock|inventory)|how many units|\bunits\b|quantit\w+|\bqty\b|inventory|\bstock\b|\bhave\b|\bhold\w*\b|\bcarr(?:y|ies)\b"),
]  # fmt: skip
_MEASURE_RE = [(name, re.compile(rf"(?:{pattern})")) for name, pattern in MEASURE_PATTERNS]
_STATUS_RE = [(name, re.compile(rf"(?:{pattern})")) for name, pattern in STATUS_PATTERNS]

_GROUP_RE = re.compile(
    rf"\b(?:by|per|for each|for every|in each|at each|across each|across all|across|each|every|"
    rf"for all|broken down by|break(?:\s*down)? by|split by|grouped by|group by|for the different)\s+"
    rf"(?:the\s+|their\s+|its\s+|supplier\s+(?=countr)|warehouse\s+(?=regions?|states?|cit))?(?:{_ANY_NOUN})\b"
)
_GRAIN_RE = [
    ("month", r"monthly|by month|per month|each month|every month|month[- ]by[- ]month|month over month|per calendar month|by calendar month|months?\b(?= breakdown)"),
    ("week", r"weekly|by week|per week|each week|every week|week[- ]by[- ]week|week over week"),
    ("day", r"\bdaily\b(?! (?:average|avg|mean))|by day|per day(?= trend)|each day|every day|day[- ]by[- ]day|by date|per date"),
    ("quarter", r"quarterly|by quarter|per quarter|each quarter|every quarter"),
    ("year", r"yearly|annual(?:ly)?|by year|per year|each year|every year|year over year"),
]  # fmt: skip
_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "fifteen": 15, "twenty": 20}  # fmt: skip
_NUM = r"(\d+|" + "|".join(_WORD_NUMBERS) + r")"
_DESC = r"most|highest|largest|biggest|greatest|maximum|max|top|longest|heaviest|worst|best|leading|fastest|slowest|most often|most frequently|more"
_ASC = r"least|lowest|smallest|fewest|minimum|min|bottom|shortest|cheapest|least often"
_COMPARATORS = [
    ("ge", r"at least|no less than|no fewer than|minimum of|>=|or more"),
    ("le", r"at most|no more than|up to|maximum of|<=|or (?:less|fewer)"),
    ("gt", r"more than|greater than|higher than|larger than|bigger than|over|above|exceed(?:s|ing)?|>|in excess of"),
    ("lt", r"less than|fewer than|lower than|smaller than|under|below|<|beneath"),
    ("eq", r"exactly|equal to|equals|="),
]  # fmt: skip
_THRESHOLD_RE = re.compile(
    r"(?P<op>" + "|".join(p for _, p in _COMPARATORS) + r")\s*(?:the\s+)?\$?\s*"
    r"(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>%|percent|k\b|thousand|m\b|million)?"
    r"(?P<after>\s*[a-z][a-z_-]*(?:\s+[a-z_-]+)?)?"
)
_FOLLOWUP_START = re.compile(
    r"^\s*(?:and|also|but|what about|how about|what of|and what about|same (?:for|but|thing)|"
    r"now|just|only|instead|then|ok(?:ay)?|show (?:me )?(?:only|just)|filter|restrict|limit|"
    r"exclude|include|(?:for|in|at|from|with) (?!each|every|all\b))\b",
    re.IGNORECASE,
)
LOCATION_KINDS = ("warehouse", "state", "region")
PRODUCT_KINDS = ("part", "category")
SOURCE_KINDS = ("supplier", "country")


@dataclass
class Fragment:
    """A parsed question, possibly incomplete (a follow-up), with what it actually said."""

    intent: Intent
    mentions: list[Mention] = field(default_factory=list)
    has_measure: bool = False
    has_subject: bool = False
    explicit_group: bool = False
    looks_like_followup: bool = False
    replaces_limit: bool = False

    @property
    def has_core(self) -> bool:
        """Whether the question says what it asks about (not only a filter)."""
        return self.has_measure or self.has_subject or bool(self.intent.statuses)


def _first(
    patterns: list[tuple[str, re.Pattern[str]]], text: str
) -> tuple[str, re.Match[str]] | None:
    for name, pattern in patterns:
        match = pattern.search(text)
        if match:
            return name, match
    return None


def parse(question: str, vocabulary: Vocabulary) -> Fragment:
    mentions = vocabulary.link(question)
    masked = vocabulary.mask(question, mentions)
    window, text = find_window(masked)
    text = re.sub(r"\s+", " ", text.replace("?", " ").replace("’", "'")).strip()
    notes: list[str] = []

    filters: dict[str, list[str]] = {}
    for mention in mentions:
        values = filters.setdefault(mention.kind, [])
        if mention.value not in values:
            values.append(mention.value)
    _resolve_overlaps(filters, mentions, vocabulary, notes)

    # statuses, removed from the text once read so their words are not read again
    statuses: list[str] = []
    for name, pattern in _STATUS_RE:
        if (match := pattern.search(text)) and not _negated(text, match.start()):
            if name == "late" and re.search(
                r"\bhow late|late by|days late|late (?:rate|ratio|percentage|share)", text
            ):
                continue
            if name == "received" and re.search(r"lead time|how long", text):
                continue
            statuses.append(name)
            if name not in {"late", "open"}:
                text = text[: match.start()] + " " + text[match.end() :]
    if "overdue" in statuses and "late" in statuses:
        statuses.remove("late")
    if "critical" in statuses and "low" in statuses:
        statuses.remove("low")

    excludes = _exclusions(text)
    for exclusion in excludes:
        if exclusion == "open_po" and "open" in statuses:
            statuses.remove("open")
        if exclusion == "late" and "late" in statuses:
            statuses.remove("late")
        if exclusion == "overdue_po" and "overdue" in statuses:
            statuses.remove("overdue")
    if excludes:
        text = re.sub(
            r"\b(?:with(?:out)?|have|has|having|had)\s+(?:no|zero|not any|any)\b.*", " ", text
        )

    limit = None
    order = None
    replaces_limit = False
    if match := re.search(
        rf"\b(top|bottom|first|last|worst|best|highest|lowest|largest|smallest)\s+{_NUM}\b", text
    ):
        limit = _number(match.group(2))
        order = "asc" if match.group(1) in {"bottom", "lowest", "smallest"} else "desc"
        replaces_limit = True
        text = text[: match.start()] + f" {match.group(1)} " + text[match.end() :]
    elif match := re.search(
        rf"\b{_NUM}\s+(?:most|least|highest|lowest|biggest|largest|smallest|best|worst|cheapest|fastest|slowest)\b",
        text,
    ):
        limit = _number(match.group(1))
        replaces_limit = True

    measure, agg = _measure(text, statuses)
    group_by, explicit_group = _groups(text)
    if measure == "avg_daily_demand" and not re.search(r"by day|each day|every day|per date", text):
        group_by = tuple(g for g in group_by if g != "day")
    subject = _subject(text, group_by)
    having, attribute_filters = None, []
    counted_kind: str | None = None
    threshold = _threshold(text)
    if threshold is not None:
        operator, value, after = threshold
        counted = _noun_kind(after) if after else None
        if counted or (after and re.search(r"late|overdue|open|order|deliver", after)):
            if measure is None or measure in {"count"}:
                measure = "count" if counted != "po" else "po_count"
                counted_kind = counted if counted not in {None, "po"} else None
            if counted == "po" or re.search(r"late|order|deliver", after or ""):
                measure = "po_count"
                if re.search(r"\blate\b", after or "") and "late" not in statuses:
                    statuses.append("late")
            having = (operator, value)
        elif measure in {"unit_cost", "lead_time", "quoted_on_time", "capacity"} and (
            subject in {None, _attribute_owner(measure)}
        ):
            attribute_filters.append((measure, operator, _scaled(measure, value)))
            measure = None if subject or not _is_aggregate_question(text) else measure
        elif measure is not None:
            having = (operator, _scaled(measure, value))
        if having and subject is None:
            subject = "part"

    # "how many …": a count, unless it counts units of a quantity
    how_many = re.search(
        rf"\bhow many\s+(?:open |overdue |late |cancelled |received |distinct |different |unique |\w+ )?(?:{_ANY_NOUN})",
        text,
    )
    if _asks_for_a_count(text, how_many is not None, measure):
        counted = _counted_noun(text) or subject
        po_statuses = {"open", "overdue", "late", "received", "cancelled", "on_time"}
        counts_orders = counted in {"po", "status"} or (
            counted is None and bool(statuses) and statuses[0] in po_statuses
        )
        measure = "po_count" if counts_orders else "count"
        subject = None if counts_orders else counted
    count_rows = bool(
        re.search(
            r"\b(?:rows|records|lines|positions|combinations|entries|stock[- ]?keeping)\b", text
        )
    )

    # rankings
    superlative = re.search(rf"\b(?:{_DESC}|{_ASC})\b", text)
    if superlative and measure is None and subject in {"part", "supplier", "warehouse", "category"}:
        word = superlative.group(0)
        if word in {"best", "worst"} and subject == "supplier":
            measure = "on_time_rate"
        else:
            measure = _default_ranking_measure(subject, statuses)
            if measure is None and re.search(
                r"\b(?:purchase orders?|pos|orders|deliveries)\b", text
            ):
                measure = "po_count"
    if superlative and measure is not None and not re.search(r"\bmore than\b", text):
        word = superlative.group(0)
        if order is None:
            order = "asc" if re.fullmatch(_ASC, word) else "desc"
            if word in {"worst"} and measure in {"on_time_rate", "quoted_on_time"}:
                order = "asc"
            if word in {"best"} and measure in {
                "late_rate",
                "late_by",
                "lead_time",
                "actual_lead_time",
            }:
                order = "asc"
        if measure == "demand" and re.search(r"\bfastest[- ]moving|slowest[- ]moving", text):
            order = "asc" if "slowest" in text else "desc"
        if subject is None:
            subject = _ranked_subject(text)
        if subject is not None:
            if subject not in group_by:
                group_by = (subject, *group_by) if not explicit_group else (*group_by, subject)
            if limit is None:
                limit = (
                    1
                    if not _plural_subject(text, subject)
                    or re.search(r"\b(?:the|which|what) (?:\w+ )?(?:one|single)\b", text)
                    else None
                )
                if limit is None:
                    limit = (
                        1
                        if re.search(rf"\b(?:{_DESC}|{_ASC})\b", text)
                        and not re.search(r"\btop\b|\bbottom\b|\brank", text)
                        else 10
                    )
        else:
            agg = "min" if re.fullmatch(_ASC, word) else "max"
            order = None
    if limit and order is None and measure is not None:
        order = "desc"
    if limit and subject and measure is None:
        measure = _default_ranking_measure(subject, statuses)
        if measure and subject not in group_by:
            group_by = (subject, *group_by)
    if re.search(r"\brank\w*|\bsorted by|\border(?:ed)? by", text) and measure and subject:
        order = order or ("asc" if re.search(_ASC, text) else "desc")
        if subject not in group_by:
            group_by = (subject, *group_by)

    entity_groups = [g for g in group_by if g not in {"day", "week", "month", "quarter", "year"}]
    time_groups = [g for g in group_by if g not in entity_groups]
    if measure is None and (
        time_groups or (entity_groups and (subject is None or subject not in entity_groups))
    ):
        po_statuses = {"open", "overdue", "late", "received", "cancelled", "on_time"}
        if subject in {None, "po"} and (subject == "po" or set(statuses) & po_statuses):
            measure, subject = "po_count", None
        else:
            measure = "count"
            subject = subject or "part"
    multi = next((k for k, v in filters.items() if len(v) > 1), None)
    if measure is None and multi and re.search(r"\bcompar\w*|\bvs\.?|\bversus\b", text):
        po_statuses = {"open", "overdue", "late", "received", "cancelled", "on_time"}
        measure = "po_count" if set(statuses) & po_statuses else "count"
        subject = None if measure == "po_count" else (subject or "part")
    # comparisons name several values of one kind: break down by that kind
    if measure is not None and not group_by:
        for kind in ("warehouse", "supplier", "part", "category", "region", "country", "state"):
            if len(filters.get(kind, [])) > 1:
                group_by = (kind,)
                break
    if having and subject and subject not in group_by:
        group_by = (subject, *group_by)
    if measure is not None and subject and not group_by and _per_subject(text, subject):
        group_by = (subject,)
    if measure == "utilization" and not group_by and not filters.get("warehouse"):
        group_by = ("warehouse",)

    if (
        measure in {"lead_time", "quoted_on_time", "unit_cost", "capacity"}
        and not group_by
        and subject == _attribute_owner(measure)
        and not _is_aggregate_question(text)
    ):
        group_by = (subject,)
    if measure is None and subject is None and filters and not statuses and not excludes:
        subject = _entity_subject(filters)
    window_basis = None
    if re.search(r"\b(?:placed|ordered|raised|created|issued|order date)\b", text):
        window_basis = "ordered"
    elif re.search(
        r"\b(?:received|delivered|arrived|deliveries|receipts)\b", text
    ) and measure not in {None}:
        window_basis = "received" if window else None
    elif re.search(r"\bexpected|\bdue\b", text) and window:
        window_basis = "expected"

    intent = Intent(
        measure=measure,
        agg=agg,
        subject=subject,
        counted=counted_kind,
        filters={kind: tuple(values) for kind, values in filters.items()},
        statuses=tuple(statuses),
        window=window,
        window_basis=window_basis,
        group_by=tuple(group_by),
        order=order,
        limit=limit,
        having=having,
        attribute_filters=tuple(attribute_filters),
        excludes=tuple(excludes),
        count_rows=count_rows,
        notes=tuple(notes),
    )
    return Fragment(
        intent=intent,
        mentions=mentions,
        has_measure=measure is not None,
        has_subject=subject is not None and _subject_named(text),
        explicit_group=explicit_group,
        looks_like_followup=bool(_FOLLOWUP_START.search(question))
        or re.search(r"\binstead\b", text) is not None,
        replaces_limit=replaces_limit,
    )


def _number(text: str) -> int:
    return int(text) if text.isdigit() else _WORD_NUMBERS[text]


_QUANTITY_MEASURES = {"demand", "po_units", "reserved", "available", "on_hand", "reorder_qty"}


def _asks_for_a_count(text: str, how_many_noun: bool, measure: str | None) -> bool:
    """ "How many parts …" counts things; "how many units …" sums a quantity instead."""
    if re.search(r"how many units|how many days|number of units|count of units", text):
        return False
    if not (how_many_noun or re.search(r"\b(?:count|number of|no\. of|how many)\b", text)):
        return False
    if measure in _QUANTITY_MEASURES and re.search(r"\bunits?\b|how much", text):
        return False
    return measure in {None, "on_hand", "demand", "inventory_value"} or not re.search(
        r"\b(?:units?|qty|quantit)", text
    )


def _negated(text: str, position: int) -> bool:
    return bool(
        re.search(r"\b(?:not|no longer|never|isn't|aren't)\s+(?:\w+\s+)?$", text[:position])
    )


def _measure(text: str, statuses: list[str]) -> tuple[str | None, str | None]:
    agg = None
    if re.search(r"\b(?:average|avg|mean|typical)\b", text):
        agg = "avg"
    elif re.search(r"\b(?:total|sum|overall|combined|altogether|in total|aggregate)\b", text):
        agg = "sum"
    elif re.search(r"\b(?:maximum|max|highest|largest|biggest|longest)\b", text):
        agg = None
    po_context = any(
        s in statuses for s in ("open", "overdue", "received", "cancelled", "late", "on_time")
    ) or re.search(r"\b(?:purchase orders?|pos?|orders?|deliver\w*|shipments?)\b", text)
    found = _first(_MEASURE_RE, text)
    if found is None:
        return None, agg
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
        and re.search(r"\bvalue\b|worth|\$|dollar", text)
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
        name = "on_hand" if re.search(r"how (?:much|many)", text) else None
    if name == "demand" and agg == "avg" and re.search(r"\bdaily\b|per day|a day", text):
        name = "avg_daily_demand"
    if name is None and po_context and re.search(r"\bvalue\b", text):
        name = "po_value"
    return name, agg


def _groups(text: str) -> tuple[tuple[str, ...], bool]:
    groups: list[str] = []
    for match in _GROUP_RE.finditer(text):
        kind = next(k for k, v in match.groupdict().items() if v)
        if match.group(0).startswith(("across all", "for all")) and kind in {
            "warehouse",
            "part",
            "supplier",
        }:
            continue  # "across all warehouses" totals, it does not break down
        if kind not in groups:
            groups.append(kind)
    for grain, pattern in _GRAIN_RE:
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


_LOCATION_PHRASE = re.compile(
    r"\b(?:(?:the |our )?(?:warehouses?|dcs?|locations?|sites?|facilit(?:y|ies)) "
    r"(?:in|at|located in|based in|of) |(?:from|by|of) (?:our |the )?_+ (?:suppliers?|vendors?)|"
    r"(?:warehouses?|suppliers?) _+)"
)
_SUBJECT_LEAD = re.compile(
    rf"\b(?:which|what|list(?: all| the| of)?|show(?: me)?(?: all| the)?|give me(?: the)?|find(?: the)?|"
    rf"name(?: the)?|identify(?: the)?|display|get|return|top|bottom|the|any|all)\s+(?:\w+\s+){{0,3}}?(?:{_ANY_NOUN})\b"
)


def _subject(text: str, group_by: tuple[str, ...]) -> str | None:
    """The entity the question lists or ranks ("which warehouse …", "parts that …")."""
    grouped_spans = [m.span() for m in _GROUP_RE.finditer(text)]
    grouped_spans += [m.span() for m in _LOCATION_PHRASE.finditer(text)]
    for match in _SUBJECT_LEAD.finditer(text):
        if any(s <= match.start() < e for s, e in grouped_spans):
            continue
        kind = next(k for k, v in match.groupdict().items() if v)
        if kind == "status":
            continue
        return kind
    for match in re.finditer(rf"\b(?:{_ANY_NOUN})\b", text):
        if any(s <= match.start() < e for s, e in grouped_spans):
            continue
        kind = next(k for k, v in match.groupdict().items() if v)
        if kind == "status":
            continue
        return kind
    return None


def _subject_named(text: str) -> bool:
    return bool(re.search(rf"\b(?:{_ANY_NOUN})\b", text))


def _noun_kind(text: str) -> str | None:
    for kind, pattern in _NOUN_RE.items():
        if pattern.search(text):
            return kind
    return None


def _counted_noun(text: str) -> str | None:
    match = re.search(
        rf"\b(?:how many|number of|count(?: of)?|count the)\s+(?:[\w-]+\s+){{0,3}}?(?:{_ANY_NOUN})\b",
        text,
    )
    if match:
        return next(k for k, v in match.groupdict().items() if v)
    return None


def _ranked_subject(text: str) -> str | None:
    match = re.search(rf"\b(?:{_ANY_NOUN})\b", text)
    if match:
        kind = next(k for k, v in match.groupdict().items() if v)
        return None if kind in {"po", "status"} else kind
    return None


def _plural_subject(text: str, subject: str) -> bool:
    pattern = NOUNS[subject]
    for match in re.finditer(rf"\b(?:{pattern})\b", text):
        word = match.group(0)
        return word.endswith(("s", "ies")) and word not in {"status"}
    return False


def _per_subject(text: str, subject: str) -> bool:
    """'Which suppliers … and their lead time' asks one value per subject, not one total."""
    return bool(
        re.search(
            rf"\b(?:which|what|list|show|for (?:all|the) )\s*(?:all |the )?(?:{NOUNS[subject]})\b",
            text,
        )
    )


def _threshold(text: str) -> tuple[str, float, str | None] | None:
    match = _THRESHOLD_RE.search(text)
    if not match:
        return None
    operator = next(
        name for name, pattern in _COMPARATORS if re.fullmatch(pattern, match.group("op"))
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


def _scaled(measure: str, value: float) -> float:
    """Rates are stored as 0..1: "below 90" means 0.9 for a rate."""
    if measure in {"quoted_on_time", "on_time_rate", "late_rate", "utilization"} and value > 1:
        return value / 100
    return value


def _attribute_owner(measure: str) -> str | None:
    return {
        "unit_cost": "part",
        "lead_time": "supplier",
        "quoted_on_time": "supplier",
        "capacity": "warehouse",
    }.get(measure)


def _is_aggregate_question(text: str) -> bool:
    return bool(
        re.search(
            r"\b(?:average|avg|mean|total|sum|how many|count|number of|maximum|minimum|max|min)\b",
            text,
        )
    )


def _default_ranking_measure(subject: str, statuses: list[str]) -> str | None:
    if any(s in statuses for s in ("late", "open", "overdue", "cancelled", "received", "on_time")):
        return "po_count"
    if any(s in statuses for s in ("low", "critical", "out", "risk")) and subject != "part":
        return "count"
    return None


def _entity_subject(filters: dict[str, list[str]]) -> str:
    for kind in ("part", "supplier", "warehouse"):
        if kind in filters:
            return kind
    if "category" in filters:
        return "part"
    if "country" in filters:
        return "supplier"
    return "warehouse"


def _exclusions(text: str) -> list[str]:
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


def _resolve_overlaps(
    filters: dict[str, list[str]], mentions: list[Mention], vocabulary: Vocabulary, notes: list[str]
) -> None:
    """One phrase, several readings (e.g. "Brake" = the category, or the Brake … parts)."""
    for mention in mentions:
        readings = [m for m in mentions if m.start == mention.start and m.end == mention.end]
        if len(readings) > 1 and readings[0] is mention:
            kinds = {m.kind for m in readings}
            if {"category", "part"} <= kinds:
                filters.pop("part", None)
                notes.append(f'"{mention.text}" read as the category {readings[0].value}')
    for mention in mentions:
        if (
            mention.kind == "category"
            and mention.text.lower().rstrip("s")
            in {
                name.lower().split()[0]
                for name in (
                    vocabulary.names[p] for p in vocabulary.parts_by_category.get(mention.value, [])
                )
            }
            and not mention.text.lower().endswith("s")
            and "part" not in filters
        ):
            notes.append(
                f'"{mention.text}" matches several parts; read as the category {mention.value}'
            )

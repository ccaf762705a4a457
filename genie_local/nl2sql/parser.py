"""Question → ``Intent``: the space's language (synonyms for its measures, statuses,
entities, breakdowns, rankings and thresholds) mapped onto the structured intent.

Entity names are blanked before keywords are looked for, so "Cooling Fan" never reads
as a question about cooling and "Delta Precision" never as a comparison.
"""

# ruff: noqa: E501  (vocabulary tables of regular expressions read best one alternative list per line)

from __future__ import annotations

import re
from dataclasses import dataclass, field

from genie_local.nl2sql import (
    asked_columns,
    clauses,
    followup_cues,
    measure_words,
    mention_filters,
    subjects,
)
from genie_local.nl2sql.difference import ASKS_FOR_DIFFERENCE
from genie_local.nl2sql.lexicon import ANY_NOUN, ASC, DESC, DUE_DATE, FOLLOWUP_START
from genie_local.nl2sql.limit_words import read_limit
from genie_local.nl2sql.measures import MEASURES, RATE_MEASURES
from genie_local.nl2sql.period_choice import LESS, WHICH_OF_TWO, other_period, winner_order
from genie_local.nl2sql.plan import Intent
from genie_local.nl2sql.status_words import read_statuses
from genie_local.nl2sql.timephrases import find_shift, find_window, shift_back, spell_units
from genie_local.nl2sql.vocabulary import Mention, Vocabulary


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
    shift: tuple[str, int] | None = None  # window relative to the previous one ("month before")
    direction: str | None = None  # a superlative's direction, even with nothing to rank yet
    judged: str | None = None  # "best" / "worst": a direction that depends on the measure
    wants_list: bool = False  # "list them": the rows behind the previous count
    refers_back: bool = False  # "them", "those": the rows of the previous answer
    narrows: bool = False  # "which of them …": a subset of the previous answer's rows
    compares: bool = False  # "compare with Massachusetts": add the entity beside the old one
    wants_quoted: bool = False  # "compare it with its quoted rate"
    wants_actual: bool = False  # "use actual deliveries instead"
    as_rate: bool = False  # "as a rate instead": the share the previous count's status defines
    widened: tuple[str, ...] = ()  # "across all warehouses": kinds whose filter is dropped
    wants_value: bool = False  # "the total value of those": the money the previous rows hold
    adds_group: bool = False  # "by category too": the breakdown joins the old one
    replaces_statuses: bool = False  # "not just overdue ones, all open ones"
    bare_quantity: bool = False  # "how many units is that": units of the previous rows
    only_threshold: tuple[str, float] | None = None  # "only those above 3000": old measure
    total_share: tuple[str, float] | None = None  # "which are over 10% of the total?"

    @property
    def has_core(self) -> bool:
        """Whether the question says what it asks about (not only a filter)."""
        return self.has_measure or self.has_subject or bool(self.intent.statuses)


STOCK_STATUSES = {"low", "out", "critical", "risk", "healthy"}


def parse(question: str, vocabulary: Vocabulary) -> Fragment:
    mentions = vocabulary.link(question)
    (cut_start, cut_end), dropped_kinds = followup_cues.dropped_filters(question, mentions)
    mentions = [m for m in mentions if not cut_start <= m.start < cut_end]
    masked = vocabulary.mask(question, mentions)
    masked = masked[:cut_start] + " " * (cut_end - cut_start) + masked[cut_end:]
    shift, text = find_shift(
        spell_units(masked)
    )  # before windows: "same period last year" is relative
    window, text = find_window(text)
    compared_window, text = other_period(text, window, shift)  # "April or May": the winner
    chooses_period = compared_window is not None
    shift = None if chooses_period else shift
    if (
        compared_window is None
        and window is not None
        and re.search(r"\bcompar\w*|\bvs\.?|\bversus\b|\bagainst\b|year over year|\byoy\b", text)
    ):
        compared_window, text = find_window(text)  # "Q1 2026 vs Q1 2025"
        if compared_window is None and re.search(r"year over year|\byoy\b", text):
            compared_window = shift_back(window, "year", 1)
    if (
        window is not None
        and shift is not None
        and re.search(r"\bthan\b|\bcompar\w*|\bvs\.?|\bversus\b", text)
    ):
        compared_window, shift = (
            shift_back(window, *shift),
            None,
        )  # "last month than the month before"
    text = re.sub(r"\s+", " ", text.replace("?", " ").replace("’", "'")).strip()
    text = clauses.expand_shorthand(text)
    text = re.sub(r"\b(per|by|each)-(?=[a-z])", r"\1 ", text)  # "per-warehouse count"
    text = re.sub(r"#\s*of\b", "number of", text)  # "# of open pos"
    text = re.sub(r"^#\s*(?=[a-z])", "number of ", text)  # "# pos placed last 90 days"
    notes: list[str] = []

    mentions, filters, not_filters = mention_filters.split_filters(question, mentions)
    mention_filters.resolve_overlaps(filters, mentions, vocabulary, notes)

    shown, text = asked_columns.asked_attributes(text)  # "…, and what country are they in"
    share_base = clauses.share_of_all_base(text)  # "10% of all late deliveries", before
    # the status words are cut out of the text
    # NOT EXISTS phrases first: their words ("no overdue orders") are not statuses
    excludes, text = clauses.exclusions(text)

    statuses, text = read_statuses(text)
    if (
        "any_po" in excludes
        and window is None
        and {"low", "critical", "out", "risk"} & set(statuses)
    ):
        # "low stock with no PO", "not been reordered": stock that needs replenishing lacks
        # an open order; an order received long ago does not replenish it
        excludes = ["open_po" if name == "any_po" else name for name in excludes]

    limit_read, text = read_limit(text)
    limit, order, replaces_limit = limit_read.limit, limit_read.order, limit_read.replaces

    measure, agg = measure_words.measure(text, statuses)
    if measure == "on_hand" and re.search(
        r"(?:and|,)\s*(?:in )?(?:what|which) (?:quantit\w+|amounts?)\b", text
    ):
        measure = None  # "what needs replenishment, and in what quantity": the list shows it
    if share_base and (status := measure_words.rated_status(measure)):
        measure = None  # a share of all late rows: those rows counted, not each one's late rate
        statuses += [status] if status not in statuses else []
    if not share_base:
        measure = measure_words.rate_of_status(text, measure, statuses)
    if measure_words.lists_with_delay(text):  # "list late deliveries with how many days late"
        measure, statuses = None, [*statuses, "late"] if "late" not in statuses else statuses
    group_by, explicit_group = clauses.groups(text)
    if measure == "avg_daily_demand" and not re.search(r"by day|each day|every day|per date", text):
        group_by = tuple(g for g in group_by if g != "day")
    subject = subjects.subject_kind(text, group_by)
    if subject in {None, "po"} and re.match(r"\s*who(?:'s|se)?\b", text):
        subject = "supplier"  # in this space only suppliers act: "who delivers latest"
    if subject is None and re.match(rf"\s*where\b.*\b(?:{DESC}|{ASC})\b", text):
        subject = "warehouse"  # stock sits in warehouses: "where is the most money sitting"
    having: tuple[str, float | str] | None = None
    attribute_filters: list[tuple[str, str, float]] = []
    counted_kind: str | None = None
    threshold = clauses.threshold(text)
    pending_having: tuple[str, float] | None = None
    paired = clauses.companion(text, measure)
    companion = None
    gap_measure = None
    if paired is not None:
        ranked = re.search(rf"\b(?:{DESC}|{ASC}|rank\w*|sort\w*)\b", text) is not None
        gap_measure = clauses.gap(text, paired[0], ranked)
    if gap_measure is not None:
        measure, agg, threshold = gap_measure, None, None
        group_by = group_by or ("supplier",)
        subject = subject or "supplier"
    elif paired is not None:
        measure, companion, versus = paired
        agg = "avg"
        if versus is not None:
            having, threshold = (versus, companion), None
            subject = subject or "supplier"
        if not group_by and len(filters.get("supplier", [])) != 1:
            group_by = ("supplier",)
    if paired is None and (second := measure_words.second_stock_measure(text, measure)):
        companion = second
    share_of = clauses.share_threshold(text)  # "suppliers where over 20% of POs came in late"
    share = measure if measure in RATE_MEASURES else measure_words.status_rate(statuses)
    if threshold is not None and share_of is not None and share is not None and not share_base:
        measure = measure_words.rate_of_status(text, share, statuses)
        having, threshold = (threshold[0], threshold[1]), None
        subject = subjects.noun_kind(share_of) or _breakdown_entity(group_by) or subject
    if threshold is not None:
        operator, value, after = threshold
        if measure is None and share_base:  # "10% of all purchase orders": those rows counted
            after = share_base
        counted = subjects.noun_kind(after) if after else None
        in_days = re.match(r"days?\b", after or "") is not None and measure is not None
        if not in_days and (
            counted or (after and re.search(r"late|overdue|open|order|deliver", after))
        ):  # "over 12 days late" bounds the measure in days, not a count of late orders
            if measure is None or measure in {"count"}:
                measure = "count" if counted != "po" else "po_count"
                counted_kind = counted if counted not in {None, "po"} else None
            if counted == "po" or re.search(r"late|order|deliver", after or ""):
                measure = "po_count"
                if re.search(r"\blate\b", after or "") and "late" not in statuses:
                    statuses.append("late")
            having = (operator, value)
        elif (
            (after is None or after == share_base or clauses.ROW_WORDS.match(after))
            and measure is None
            and subject in {"warehouse", "part", "supplier", "category"}
            and any(s in {"out", "low", "critical"} for s in statuses)
            and not re.search(r"\b(?:count|number of|how many)\b", text)
        ):  # "whs with 3+ stockouts": the status's stock rows counted per subject
            measure, having = "count", (operator, value)
            counted_kind = "warehouse" if subject == "part" else "part"
            if share_base and after == share_base:  # "15% of all stockouts": rows, in the total too
                counted_kind = None
        elif measure in {"unit_cost", "lead_time", "quoted_on_time", "capacity"} and (
            subject in {None, measure_words.attribute_owner(measure)}
        ):
            attribute_filters.append((measure, operator, clauses.scaled(measure, value)))
            measure = None if subject or not measure_words.is_aggregate_question(text) else measure
        elif measure is not None:
            having = (operator, clauses.scaled(measure, value))
        else:
            pending_having = (operator, value)  # "count per warehouse, only those over 12"
        if having and subject is None:
            subject = _breakdown_entity(group_by) or "part"

    # "how many …": a count, unless it counts units of a quantity
    how_many = re.search(
        rf"\bhow many\s+(?:open |overdue |late |cancelled |received |distinct |different |unique |\w+ )?(?:{ANY_NOUN})",
        text,
    )
    if measure_words.asks_for_a_count(text, how_many is not None, measure):
        counted = subjects.counted_noun(text) or subject
        po_statuses = {"open", "overdue", "late", "received", "cancelled", "on_time"}
        counts_orders = counted in {"po", "status"} or (
            counted is None and bool(statuses) and statuses[0] in po_statuses
        )
        measure = "po_count" if counts_orders else "count"
        subject = None if counts_orders else counted
    count_rows = bool(
        re.search(
            r"\b(?:rows|records|lines|positions|combinations|combos|pairs|pairings|entries|stock[- ]?keeping)\b",
            text,
        )
        # the space lists a stock status as (part, warehouse) rows: "low-stock items" are those
        or (
            STOCK_STATUSES.intersection(statuses)
            and re.search(r"(?<!distinct )(?<!different )(?<!unique )\bitems\b", text)
        )
    )

    # rankings
    superlative = re.search(rf"\b(?:{DESC}|{ASC})\b", measure_words.without_comparators(text))
    if superlative and measure is None and subject in {"part", "supplier", "warehouse", "category",
                                                       "region", "state", "country"}:  # fmt: skip
        word = superlative.group(0)
        if word in {"best", "worst"} and subject == "supplier":
            measure = "on_time_rate"
        else:
            measure = measure_words.default_ranking_measure(subject, statuses)
            if measure is None and re.search(
                r"\b(?:purchase orders?|pos|orders|deliveries)\b", text
            ):
                measure = "po_count"
            counted = measure_words.superlative_noun(text, word)
            if measure is None and counted not in {None, subject}:
                measure, counted_kind = "count", counted  # "the supplier with the most parts"
    if superlative and measure is not None and not re.search(r"\bmore than\b", text):
        word = superlative.group(0)
        if order is None:
            order = "asc" if re.fullmatch(ASC, word) else "desc"
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
            subject = subjects.ranked_subject(text)
        if subject is None and replaces_limit:
            subject = measure_words.RANKED_BY_DOMAIN.get(
                MEASURES[measure].domain
            )  # "top 3 fast movers"
        if subject is None and (grain := _ranked_grain(text)):
            group_by = group_by if grain in group_by else (*group_by, grain)
            limit = limit or 1  # "which month had the highest demand": the top period
        elif subject is not None and subjects.rankable(subject, text, limit):
            if subject not in group_by:
                group_by = (subject, *group_by) if not explicit_group else (*group_by, subject)
            if limit is None:
                limit = subjects.default_ranking_limit(text, subject)
        else:
            agg = "min" if re.fullmatch(ASC, word) else "max"
            order = None
    if limit and order is None and measure is not None:
        order = "desc"
    if limit and subject and measure is None:
        measure = measure_words.default_ranking_measure(subject, statuses)
        if measure and subject not in group_by:
            group_by = (subject, *group_by)
    if re.search(r"\brank\w*|\bsorted by|(?<!on )\border(?:ed)? by", text) and measure and subject:
        order = order or ("asc" if re.search(ASC, text) else "desc")
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
    # comparisons name several values of one kind: break down by that kind (one phrase
    # naming several values, "Asian suppliers", is a filter, not a comparison)
    named = {kind: len({(m.start, m.end) for m in mentions if m.kind == kind}) for kind in filters}
    pair = next((kind for kind, count in named.items() if count == 2), None)
    if pair and (winner := WHICH_OF_TWO.search(text)) and re.search(r"_\s+or\s+(?:the\s+)?_", text):
        # "which has more …, Chicago or Atlanta?": the one of the two with the larger value
        word = winner.group(0)
        if measure is None and pair == "supplier" and word in {"better", "worse"}:
            measure = "on_time_rate"  # a supplier is judged by delivering on time, as "best" is
        if measure is None:
            po_statuses = {"open", "overdue", "late", "received", "cancelled", "on_time"}
            measure = "po_count" if set(statuses) & po_statuses else "count"
            count_rows = count_rows or measure == "count"
        agg = None if agg in {"max", "min"} else agg
        subject, group_by, limit = pair, (pair,), 1
        if word in {"better", "worse"}:  # "the better on-time rate": the way the measure is good
            order = measure_words.judged_order(word, measure, statuses)
        else:
            order = "asc" if re.fullmatch(LESS, word) else "desc"
    if chooses_period:  # "higher in April or in May": the one period with the larger value
        agg = None if agg in {"max", "min"} else agg
        order, limit = winner_order(text), 1
    if measure is not None and not group_by:
        for kind in ("warehouse", "supplier", "part", "category", "region", "country", "state"):
            if named.get(kind, 0) > 1:
                group_by = (kind,)
                break
    # "the difference in value between LA and Seattle": one number, the first minus the second
    differs = ASKS_FOR_DIFFERENCE.search(text) if pair and paired is None and measure else None
    difference = pair if differs else None
    if differs and differs.group("less"):  # "how much less did A see than B": B minus A
        filters[pair] = filters[pair][::-1]
    if difference:
        agg = None if agg in {"max", "min"} else agg  # "how much more": no superlative
        group_by = group_by or (difference,)
    if pending_having is not None and measure is not None and having is None:
        having = (pending_having[0], clauses.scaled(measure, pending_having[1]))
    # "categories over 15% of total inventory value": a share of the measure's grand total
    share_of_total = (
        having is not None
        and share_of is not None
        and measure not in RATE_MEASURES
        and not measure.endswith("_share")
    )
    if share_of_total and subject is None:  # "… of the total number of POs": the lead noun
        subject = subjects.noun_kind(share_of or "")
    share_within = False
    if share_of_total and (own_share := measure_words.own_share_base(text)):
        (measure, companion), share_of_total, share_within = own_share, False, True
    if having and agg == "avg" and (unit := subjects.averaging_unit(text, subject)) in group_by:
        group_by = tuple(g for g in group_by if g != unit)
    if having and explicit_group and (entity := _breakdown_entity(group_by)) not in {None, subject}:
        subject = entity  # "open po value per supplier over 50k": the breakdown is thresholded
        group_by = tuple(g for g in group_by if g != "part" or entity == "part")
    if having and subject and subject not in group_by:
        group_by = (subject, *group_by)
    if measure is not None and subject and not group_by and subjects.per_subject(text, subject):
        group_by = (subject,)
    if measure == "utilization" and not group_by and not filters.get("warehouse"):
        group_by = ("warehouse",)

    if (
        measure in {"lead_time", "quoted_on_time", "unit_cost", "capacity"}
        and not group_by
        and subject == measure_words.attribute_owner(measure)
        and not measure_words.is_aggregate_question(text)
    ):
        group_by = (subject,)
    if measure is None and subject is None and filters and not statuses and not excludes:
        subject = mention_filters.entity_subject(filters)
    total_without: tuple[str, ...] = ()
    if (
        measure is not None
        and measure not in RATE_MEASURES
        and not measure.endswith("_share")
        and having is None
        and not group_by
    ):  # "what percentage of open PO value is with Helix": a share of the wider total
        total_without = measure_words.share_holder_kinds(question, mentions, filters)
    window_basis = None
    if re.search(r"\b(?:placed|ordered|raised|created|issued|order date)\b", text):
        window_basis = "ordered"
    elif re.search(
        r"\b(?:received|delivered|arrived|deliveries|receipts)\b", text
    ) and measure not in {None}:
        window_basis = "received" if window else None
    elif window and re.search(  # "late against the due date in 2025": not a due-date window
        r"\bexpected|\bdue\b",
        re.sub(rf"\b(?:after|later than|past|beyond) (?:{DUE_DATE}|expected|promised)", " ", text),
    ):
        window_basis = "expected"

    intent = Intent(
        measure=measure,
        agg=agg,
        subject=subject,
        counted=counted_kind,
        filters={kind: tuple(values) for kind, values in filters.items()},
        not_filters={kind: tuple(values) for kind, values in not_filters.items()},
        statuses=tuple(statuses),
        window=window,
        compared_window=compared_window,
        window_basis=window_basis,
        group_by=tuple(group_by),
        order=order,
        limit=limit,
        having=having,
        attribute_filters=tuple(attribute_filters),
        companion=companion,
        excludes=tuple(excludes),
        count_rows=count_rows,
        share_of_total=share_of_total,
        share_within=share_within,
        total_without=total_without,
        percent=(measure in RATE_MEASURES or measure is None) and measure_words.asks_percent(text),
        difference=difference,
        notes=tuple(notes),
        shown=shown,
    )
    not_just = followup_cues.NOT_JUST.search(text) is not None  # "not just overdue ones"
    return Fragment(
        intent=intent,
        mentions=mentions,
        has_measure=measure is not None,
        has_subject=subject is not None
        and subjects.subject_named(text)
        and not followup_cues.ONLY_A_PLACE.match(text),
        explicit_group=explicit_group,
        looks_like_followup=bool(FOLLOWUP_START.search(question))
        or re.search(r"\binstead\b", text) is not None
        or (not mentions and followup_cues.REFERS_BACK.search(text) is not None)
        or followup_cues.ONLY_A_BREAKDOWN.search(text) is not None
        or followup_cues.WHICH_ONE.match(text) is not None
        or not_just
        or followup_cues.ONLY_A_PLACE.match(text) is not None,
        replaces_limit=replaces_limit,
        shift=shift,
        direction=(
            ("asc" if re.fullmatch(ASC, superlative.group(0)) else "desc") if superlative else None
        ),
        judged=superlative.group(0)
        if superlative and superlative.group(0) in {"best", "worst"}
        else None,
        wants_list=followup_cues.LIST_THEM.search(text) is not None,
        refers_back=followup_cues.REFERS_BACK.search(text) is not None,
        narrows=followup_cues.NARROWS.search(text) is not None,
        widened=(*followup_cues.widened(text), *dropped_kinds),
        compares=re.search(r"\bcompar\w*|\bvs\.?|\bversus\b|\bagainst\b|\bside by side\b", text)
        is not None,
        wants_actual=re.search(
            r"\b(?:actual(?:ly)?|real|measured|observed|track record|history)\b|\bdeliveries\b",
            text,
        )
        is not None,
        wants_quoted=re.search(r"\b(?:quoted|promised|stated|advertised|contract\w*)\b", text)
        is not None,
        as_rate=measure is None and measure_words.RATE_WORDS.search(text) is not None,
        wants_value=measure is None and re.search(r"\bvalue\b", text) is not None,
        adds_group=explicit_group and followup_cues.ADDS_BREAKDOWN.search(text) is not None,
        only_threshold=followup_cues.only_a_threshold(text),
        total_share=followup_cues.share_of_the_total(text),
        bare_quantity=followup_cues.bare_quantity(text, measure),
        replaces_statuses=not_just,
    )


def _breakdown_entity(group_by: tuple[str, ...]) -> str | None:
    return next((g for g in group_by if g not in {"day", "week", "month", "quarter", "year"}), None)


def _ranked_grain(text: str) -> str | None:
    """ "Which month …" ranks periods of that grain, the way "which warehouse …" ranks warehouses."""
    match = re.search(r"\b(?:which|what) (day|week|month|quarter|year)\b", text)
    return match.group(1) if match else None

"""Question → ``Intent``: the space's language (synonyms for its measures, statuses,
entities, breakdowns, rankings and thresholds) mapped onto the structured intent.

Entity names are blanked before keywords are looked for, so "Cooling Fan" never reads
as a question about cooling and "Delta Precision" never as a comparison.
"""

# ruff: noqa: E501  (vocabulary tables of regular expressions read best one alternative list per line)

from __future__ import annotations

import re
from collections.abc import Callable
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
from genie_local.nl2sql.lexicon import (
    ANY_NOUN,
    ASC,
    DESC,
    DUE_DATE,
    FOLLOWUP_START,
    LOCATION_KINDS,
)
from genie_local.nl2sql.limit_words import read_limit
from genie_local.nl2sql.measures import (
    MEASURES,
    NEEDS_REPLENISHING,
    PO_STATUSES,
    RATE_MEASURES,
    STOCK_STATUSES,
    TIME_GRAINS,
)
from genie_local.nl2sql.period_choice import LESS, WHICH_OF_TWO, other_period, winner_order
from genie_local.nl2sql.plan import Intent, TimeWindow
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
    heads_ranking: bool = False  # "only the top 3": the head of the ranking as it stands
    wants_list: bool = False  # "list them": the rows behind the previous count
    refers_back: bool = False  # "them", "those": the rows of the previous answer
    narrows: bool = False  # "which of them …": a subset of the previous answer's rows
    points_back: bool = False  # "for that warehouse": the entity the previous answer named
    there: bool = False  # "what's out of stock there?": the place the previous answer named
    per_listed: bool = False  # "how many late deliveries did each have?": per listed row
    sorts: bool = False  # "sort them from worst to best": an order, every row kept
    one_total: bool = False  # "what's the total over that period?": no time breakdown
    adds_entity: bool = False  # "add Boston too" beside a compared pair
    wants_all: bool = False  # "show all of them" after a top 3: the cut goes
    asks_one: bool = False  # "and which one holds the least?": a single entity
    asks_which: bool = False  # "which of them are going to Boston?": the rows, not a count
    restricts: bool = False  # "only the top 3", "just …": a cut of the answer as it stands
    per_day: bool = False  # "and the average per day?": the old quantity as a daily rate
    per_row: bool = False  # "what are their lead times?": a value for each previous row
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
    swaps_measure: bool = False  # "show the units on order instead": another measure, same rows
    # "which suppliers are below 85%?" after each supplier's rate: a bound with no measure
    # of its own on the entities the last answer measured
    bound_only: tuple[str, float] | None = None
    ranked_rows: int | None = None  # rows a superlative "which X …" with no number shows
    prices_out: bool = False  # "how much would that cost?": a price put on the rows
    adds_measure: bool = False  # "and on-hand units too": a second measure beside the first
    over_groups: str | None = None  # "and the average?": sum | avg said of the last figures
    difference_of: str | None = None  # "how much higher is A than B?": the last measure's
    share_of_whole: bool = False  # "what percentage of our total is that?": of a larger total
    # "who is the worst?": the subject's usual ranking measure, not one the question named
    default_measure: bool = False
    total_share: tuple[str, float] | None = None  # "which are over 10% of the total?"

    @property
    def has_core(self) -> bool:
        """Whether the question says what it asks about (not only a filter)."""
        return self.has_measure or self.has_subject or bool(self.intent.statuses)


@dataclass
class ParseState:
    """What the passes have read so far: the text left to read (entities blanked, read
    phrases cut out) and every part of the intent found in it."""

    question: str
    vocabulary: Vocabulary
    mentions: list[Mention] = field(default_factory=list)
    dropped_kinds: tuple[str, ...] = ()
    text: str = ""
    shift: tuple[str, int] | None = None
    window: TimeWindow | None = None
    compared_window: TimeWindow | None = None
    chooses_period: bool = False
    notes: list[str] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    not_filters: dict[str, list[str]] = field(default_factory=dict)
    shown: tuple[str, ...] = ()
    share_base: str | None = None
    excludes: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    limit: int | None = None
    order: str | None = None
    replaces_limit: bool = False
    measure: str | None = None
    agg: str | None = None
    group_by: tuple[str, ...] = ()
    explicit_group: bool = False
    subject: str | None = None
    having: tuple[str, float | str] | None = None
    attribute_filters: list[tuple[str, str, float]] = field(default_factory=list)
    counted_kind: str | None = None
    threshold: tuple[str, float, str | None] | None = None
    pending_having: tuple[str, float] | None = None
    default_measure: bool = False  # "the worst supplier": the measure is the subject's usual
    difference_of: str | None = None  # "how much higher is A than B?" with no measure named
    paired: tuple[str, str, str | None] | None = None
    companion: str | None = None
    share_of: str | None = None
    count_rows: bool = False
    superlative: re.Match[str] | None = None
    named: dict[str, int] = field(default_factory=dict)
    pair: str | None = None
    difference: str | None = None
    share_of_total: bool = False
    share_within: bool = False
    total_without: tuple[str, ...] = ()
    window_basis: str | None = None


def _read_time(state: ParseState) -> None:
    """Entities linked and blanked, a dropped filter cut out, then the time phrases:
    shifts before windows ("same period last year" is relative), then compared periods."""
    mentions = state.vocabulary.link(state.question)
    (cut_start, cut_end), state.dropped_kinds = followup_cues.dropped_filters(
        state.question, mentions
    )
    state.mentions = [m for m in mentions if not cut_start <= m.start < cut_end]
    masked = state.vocabulary.mask(state.question, state.mentions)
    masked = masked[:cut_start] + " " * (cut_end - cut_start) + masked[cut_end:]
    shift, text = find_shift(spell_units(masked))
    window, text = find_window(text)
    compared_window, text = other_period(text, window, shift)  # "April or May": the winner
    state.chooses_period = compared_window is not None
    shift = None if state.chooses_period else shift
    if compared_window is None and window is not None and _COMPARES_PERIODS.search(text):
        compared_window, text = find_window(text)  # "Q1 2026 vs Q1 2025"
        if compared_window is None and re.search(r"year over year|\byoy\b", text):
            compared_window = shift_back(window, "year", 1)
    if window is not None and shift is not None and _THAN.search(text):
        compared_window, shift = shift_back(window, *shift), None  # "than the month before"
    state.shift, state.window, state.compared_window, state.text = (
        shift, window, compared_window, text,
    )  # fmt: skip


_COMPARES_PERIODS = re.compile(r"\bcompar\w*|\bvs\.?|\bversus\b|\bagainst\b|year over year|\byoy\b")
_THAN = re.compile(r"\bthan\b|\bcompar\w*|\bvs\.?|\bversus\b")


def _normalise_text(state: ParseState) -> None:
    """One spacing and apostrophe; shorthand ("per-warehouse", "# of") spelled out."""
    text = re.sub(r"\s+", " ", state.text.replace("?", " ").replace("’", "'")).strip()
    text = clauses.expand_shorthand(text)
    text = re.sub(r"\b(per|by|each)-(?=[a-z])", r"\1 ", text)  # "per-warehouse count"
    text = re.sub(r"#\s*of\b", "number of", text)  # "# of open pos"
    text = re.sub(r"\b(late|early)[- ]by (days?)\b", r"\2 \1", text)  # "late-by days": days late
    text = re.sub(r"\b(late|early)-(by)\b", r"\1 \2", text)  # "the average late-by in days"
    # "the value instead of the count": the measure replaced is not one asked for
    text = re.sub(
        r"\b(instead of|rather than) (?:the |a |their |its )?(?:count|number|tally|total|sum|units?|quantity|average|value)s?\b",
        "instead",
        text,
    )
    # "same part in Seattle": the entity stays, only the place is new
    text = re.sub(
        r"^(?:(?:and|now|ok|so) )?(?:for |with )?(?:the )?same (?:part|item|product|sku|one|supplier|vendor|category|thing)s?\b",
        " ",
        text,
    )
    state.text = re.sub(r"^#\s*(?=[a-z])", "number of ", text)  # "# pos placed last 90 days"


def _read_filters(state: ParseState) -> None:
    state.mentions, state.filters, state.not_filters = mention_filters.split_filters(
        state.question, state.mentions
    )
    mention_filters.resolve_overlaps(state.filters, state.mentions, state.vocabulary, state.notes)


def _read_conditions(state: ParseState) -> None:
    """Attributes asked beside a list, NOT EXISTS phrases, statuses and the limit."""
    state.shown, text = asked_columns.asked_attributes(state.text)  # "…, what country are they in"
    # "10% of all late deliveries", before the status words are cut out of the text
    state.share_base = clauses.share_of_all_base(text)
    # NOT EXISTS phrases first: their words ("no overdue orders") are not statuses
    state.excludes, text = clauses.exclusions(text)
    state.statuses, text = read_statuses(text)
    if (
        "any_po" in state.excludes
        and state.window is None
        and NEEDS_REPLENISHING & set(state.statuses)
    ):
        # "low stock with no PO", "not been reordered": stock that needs replenishing lacks
        # an open order; an order received long ago does not replenish it
        state.excludes = ["open_po" if name == "any_po" else name for name in state.excludes]
    limit_read, state.text = read_limit(text)
    state.limit, state.order = limit_read.limit, limit_read.order
    state.replaces_limit = limit_read.replaces


_UNITS_TO_ORDER = re.compile(
    r"\bhow (?:many units|much)(?: stock)? (?:would|should|do|will|must|need to|shall) we (?:need to )?(?:re)?order\b"
)
# "how much would it cost to reorder them?": the reorder quantities priced at unit cost
_COST_TO_ORDER = re.compile(
    r"\bcost (?:us )?to (?:re-?order|restock|replenish)\b"
    r"|\b(?:re-?order|restock|replenish)\w* (?:\w+ ){0,4}(?:would|will) cost\b"
)
_POINTS_AT_ROWS = re.compile(r"\b(?:them|those|these|that|it|they|this)\b")
# "and how many are available?": units of a stock quantity, not a count of rows
_UNITS_HELD = re.compile(
    r"\bhow many (?:units |pieces )?(?:are|is|were)(?: still| currently)? (available|free|unreserved|reserved|on hand)\b"
)

# a stock row's own settings, asked in the plural with no total: each row's value, listed
_ROW_SETTINGS = {"reorder_qty", "reorder_point", "safety_stock"}
_EACH_ROWS_SETTING = re.compile(
    r"^(?!.*\b(?:total|sum|combined|overall|altogether|average|avg|mean|how (?:much|many)|"
    r"most|least|highest|lowest|largest|smallest|top|bottom)\b)"
    r".*\b(?:quantities|points|levels|stocks|settings)\b"
)


def _read_measure(state: ParseState) -> None:
    """The measure and its aggregate, the breakdown, and the subject they are about."""
    text, statuses = state.text, state.statuses
    measure, state.agg = measure_words.measure(text, statuses)
    if measure == "on_hand" and re.search(
        r"(?:and|,)\s*(?:in )?(?:what|which) (?:quantit\w+|amounts?)\b", text
    ):
        measure = None  # "what needs replenishment, and in what quantity": the list shows it
    if state.share_base and (status := measure_words.rated_status(measure)):
        measure = None  # a share of all late rows: those rows counted, not each one's late rate
        statuses += [status] if status not in statuses else []
    if not state.share_base:
        measure = measure_words.rate_of_status(text, measure, statuses)
    if measure_words.lists_with_delay(text):  # "list late deliveries with how many days late"
        measure = None
        state.statuses = [*statuses, "late"] if "late" not in statuses else statuses
    asked = state.question.lower()
    if _UNITS_TO_ORDER.search(asked) and not PO_STATUSES.intersection(statuses):
        measure, state.agg = "reorder_qty", "sum"  # "how many units would we reorder for them?"
        if not re.search(r"\blow\b|below (?:the |their |its )?reorder", asked):
            # "reorder" here is the verb, not the low-stock status
            state.statuses = statuses = [s for s in statuses if s != "low"]
    if measure in {None, "unit_cost"} and _COST_TO_ORDER.search(asked):
        measure, state.agg = "reorder_cost", "sum"
        if _POINTS_AT_ROWS.search(asked) and not re.search(r"\blow\b|below", asked):
            # "what would it cost to reorder them?": the rows just listed, whatever their status
            state.statuses = statuses = [s for s in statuses if s != "low"]
    state.measure = measure
    state.group_by, state.explicit_group = clauses.groups(text)
    if measure in _ROW_SETTINGS and _EACH_ROWS_SETTING.search(text) and not state.group_by:
        state.group_by = ("part", "warehouse")  # "the reorder quantities for everything low"
    if measure == "avg_daily_demand" and not re.search(r"by day|each day|every day|per date", text):
        state.group_by = tuple(g for g in state.group_by if g != "day")
        # "daily" names the measure, not a breakdown by day
        state.explicit_group = state.explicit_group and bool(state.group_by)
    subject = subjects.subject_kind(text, state.group_by)
    if subject in {None, "po"} and re.match(r"\s*who(?:'s|se)?\b", text):
        subject = "supplier"  # in this space only suppliers act: "who delivers latest"
    if subject is None and re.match(rf"\s*where\b.*\b(?:{DESC}|{ASC})\b", text):
        subject = "warehouse"  # stock sits in warehouses: "where is the most money sitting"
    state.subject = subject


def _read_companion(state: ParseState) -> None:
    """A second measure beside the first: a gap ("late by more than quoted"), a pair
    ("actual vs quoted on-time rate"), or a second stock quantity."""
    text = state.text
    state.threshold = clauses.threshold(text)
    state.paired = paired = clauses.companion(text, state.measure)
    gap_measure = None
    if paired is not None:
        ranked = re.search(rf"\b(?:{DESC}|{ASC}|rank\w*|sort\w*)\b", text) is not None
        gap_measure = clauses.gap(text, paired[0], ranked)
    if gap_measure is not None:
        bounded = clauses.GAP_BOUND.search(text) is not None
        state.measure, state.agg = gap_measure, None
        state.threshold = state.threshold if bounded else None
        state.group_by = state.group_by or ("supplier",)
        state.subject = state.subject or "supplier"
    elif paired is not None:
        state.measure, state.companion, versus = paired
        state.agg = "avg"
        if versus is not None:
            state.having, state.threshold = (versus, state.companion), None
            state.subject = state.subject or "supplier"
        if not state.group_by and len(state.filters.get("supplier", [])) != 1:
            state.group_by = ("supplier",)
    if paired is None and (second := measure_words.second_stock_measure(text, state.measure)):
        state.companion = second


def _read_share_threshold(state: ParseState) -> None:
    """ "Suppliers where over 20% of POs came in late": a bound on the status's rate."""
    state.share_of = clauses.share_threshold(state.text)
    measure, statuses = state.measure, state.statuses
    share = measure if measure in RATE_MEASURES else measure_words.status_rate(statuses)
    threshold = state.threshold
    if threshold is None or state.share_of is None or share is None or state.share_base:
        return
    state.measure = measure_words.rate_of_status(state.text, share, statuses)
    state.having, state.threshold = (threshold[0], threshold[1]), None
    state.subject = (
        subjects.noun_kind(state.share_of) or _breakdown_entity(state.group_by) or state.subject
    )


def _read_threshold(state: ParseState) -> None:
    """ "Over 12 days late", "whs with 3+ stockouts", "unit cost above $50": what the
    number bounds — a count of rows, the measure, or an attribute of the subject."""
    if state.threshold is None:
        return
    operator, value, after = state.threshold
    text, measure, subject = state.text, state.measure, state.subject
    if measure is None and state.share_base:  # "10% of all purchase orders": those rows counted
        after = state.share_base
    counted = subjects.noun_kind(after) if after else None
    in_days = re.match(r"days?\b", after or "") is not None and measure is not None
    if not in_days and (
        counted or (after and re.search(r"late|overdue|open|order|deliver", after))
    ):
        # "over 12 days late" bounds the measure in days, not a count of late orders
        _bound_a_count(state, counted, after)
        state.having = (operator, value)
    elif (
        (after is None or after == state.share_base or clauses.ROW_WORDS.match(after))
        and measure is None
        and subject in {"warehouse", "part", "supplier", "category"}
        and any(s in {"out", "low", "critical"} for s in state.statuses)
        and not re.search(r"\b(?:count|number of|how many)\b", text)
    ):  # "whs with 3+ stockouts": the status's stock rows counted per subject
        state.measure, state.having = "count", (operator, value)
        state.counted_kind = "warehouse" if subject == "part" else "part"
        if state.share_base and after == state.share_base:  # "15% of all stockouts": rows
            state.counted_kind = None
    elif measure in _ATTRIBUTES and subject in {None, measure_words.attribute_owner(measure)}:
        state.attribute_filters.append((measure, operator, clauses.scaled(measure, value)))
        aggregate = not subject and measure_words.is_aggregate_question(text)
        state.measure = measure if aggregate else None
    elif measure is not None:
        state.having = (operator, clauses.scaled(measure, value))
    else:
        state.pending_having = (operator, value)  # "count per warehouse, only those over 12"
    if state.having and state.subject is None:
        state.subject = _breakdown_entity(state.group_by) or "part"


_ATTRIBUTES = {"unit_cost", "lead_time", "quoted_on_time", "capacity"}


def _bound_a_count(state: ParseState, counted: str | None, after: str | None) -> None:
    """The thresholded count: of orders ("more than 5 late orders"), else of the noun."""
    if state.measure is None or state.measure == "count":
        state.measure = "count" if counted != "po" else "po_count"
        state.counted_kind = counted if counted not in {None, "po"} else None
    if counted == "po" or re.search(r"late|order|deliver", after or ""):
        state.measure = "po_count"
        if re.search(r"\blate\b", after or "") and "late" not in state.statuses:
            state.statuses.append("late")


_HOW_MANY = re.compile(
    rf"\bhow many\s+(?:open |overdue |late |cancelled |received |distinct |different |unique |\w+ )?(?:{ANY_NOUN})"
)
_ROW_NOUNS = re.compile(
    r"\b(?:rows|records|lines|positions|combinations|combos|pairs|pairings|entries|stock[- ]?keeping)\b"
)


def _read_count(state: ParseState) -> None:
    """ "How many …": a count, unless it counts units of a quantity; and whether the
    count is of (part, warehouse) rows rather than distinct entities."""
    text, statuses = state.text, state.statuses
    how_many = _HOW_MANY.search(text)
    held = _UNITS_HELD.search(text) and state.measure is not None  # "how many are available"
    if measure_words.asks_for_a_count(text, how_many is not None, state.measure) and not held:
        counted = subjects.counted_noun(text) or state.subject
        counts_orders = counted in {"po", "status"} or (
            counted is None and bool(statuses) and statuses[0] in PO_STATUSES
        )
        state.measure = "po_count" if counts_orders else "count"
        state.subject = None if counts_orders else counted
    # the space lists a stock status as (part, warehouse) rows: "low-stock items" are those
    stock_items = STOCK_STATUSES.intersection(statuses) and re.search(
        r"(?<!distinct )(?<!different )(?<!unique )\bitems\b", text
    )
    state.count_rows = bool(_ROW_NOUNS.search(text) or stock_items)


_RANKED_KINDS = {"part", "supplier", "warehouse", "category", "region", "state", "country"}


def _read_ranking_measure(state: ParseState) -> None:
    """A superlative with nothing measured yet ranks by the subject's usual measure."""
    state.superlative = superlative = re.search(
        rf"\b(?:{DESC}|{ASC})\b", measure_words.without_comparators(state.text)
    )
    if not (superlative and state.measure is None and state.subject in _RANKED_KINDS):
        return
    word, text = superlative.group(0), state.text
    state.default_measure = True
    if word in {"best", "worst"} and state.subject == "supplier":
        state.measure = "on_time_rate"
        return
    state.measure = measure_words.default_ranking_measure(state.subject, state.statuses)
    if state.measure is None and re.search(r"\b(?:purchase orders?|pos|orders|deliveries)\b", text):
        state.measure = "po_count"
    counted = measure_words.superlative_noun(text, word)
    if state.measure is None and counted not in {None, state.subject}:
        state.measure, state.counted_kind = "count", counted  # "the supplier with the most parts"


def _read_ranking(state: ParseState) -> None:
    """A superlative over a measure: its direction, then what it ranks (a subject, a
    period) and how many rows; or, with nothing to rank, one extreme value."""
    superlative, measure, text = state.superlative, state.measure, state.text
    if not superlative or measure is None or re.search(r"\bmore than\b", text):
        return
    word = superlative.group(0)
    if state.order is None:
        state.order = _superlative_order(word, measure)
    if measure == "demand" and re.search(r"\bfastest[- ]moving|slowest[- ]moving", text):
        state.order = "asc" if "slowest" in text else "desc"
    if state.subject is None:
        state.subject = subjects.ranked_subject(text)
    if state.subject is None and state.replaces_limit:  # "top 3 fast movers"
        state.subject = measure_words.RANKED_BY_DOMAIN.get(MEASURES[measure].domain)
    if state.subject is None and (grain := _ranked_grain(text)):
        state.group_by = state.group_by if grain in state.group_by else (*state.group_by, grain)
        state.limit = state.limit or 1  # "which month had the highest demand": the top period
    elif state.subject is not None and subjects.rankable(state.subject, text, state.limit):
        if state.subject not in state.group_by:
            state.group_by = _with_subject(state)
        if state.limit is None:
            state.limit = subjects.default_ranking_limit(text, state.subject)
    else:
        state.agg = "min" if re.fullmatch(ASC, word) else "max"
        state.order = None


def _superlative_order(word: str, measure: str) -> str:
    """ "Most" ranks down, "least" up; "best"/"worst" by the way the measure is good."""
    order = "asc" if re.fullmatch(ASC, word) else "desc"
    if word == "worst" and measure in {"on_time_rate", "quoted_on_time"}:
        order = "asc"
    if word == "best" and measure in {"late_rate", "late_by", "lead_time", "actual_lead_time"}:
        order = "asc"
    return order


def _with_subject(state: ParseState) -> tuple[str, ...]:
    """The breakdown with the ranked subject: first, unless a breakdown was asked for."""
    if state.explicit_group:
        return (*state.group_by, state.subject)  # type: ignore[return-value]
    return (state.subject, *state.group_by)  # type: ignore[return-value]


def _read_ranking_defaults(state: ParseState) -> None:
    """A limit ranks down by default; "top 5 suppliers" and "ranked by" rank the subject."""
    measure, subject = state.measure, state.subject
    if state.limit and state.order is None and measure is not None:
        state.order = "desc"
    if state.limit and subject and measure is None:
        state.measure = measure_words.default_ranking_measure(subject, state.statuses)
        if state.measure and subject not in state.group_by:
            state.group_by = (subject, *state.group_by)
    ranks = re.search(r"\brank\w*|\bsorted by|(?<!on )\border(?:ed)? by", state.text)
    if ranks and state.measure and subject:
        state.order = state.order or ("asc" if re.search(ASC, state.text) else "desc")
        if subject not in state.group_by:
            state.group_by = (subject, *state.group_by)


def _read_unmeasured_breakdown(state: ParseState) -> None:
    """A breakdown or a comparison of named values with no measure counts rows."""
    entity_groups = [g for g in state.group_by if g not in TIME_GRAINS]
    time_groups = [g for g in state.group_by if g in TIME_GRAINS]
    subject = state.subject
    if state.measure is None and (
        time_groups or (entity_groups and (subject is None or subject not in entity_groups))
    ):
        if subject in {None, "po"} and (subject == "po" or PO_STATUSES & set(state.statuses)):
            state.measure, state.subject = "po_count", None
        else:
            state.measure, state.subject = "count", subject or "part"
    multi = next((k for k, v in state.filters.items() if len(v) > 1), None)
    if state.measure is None and multi and _COMPARES.search(state.text):
        state.measure = "po_count" if PO_STATUSES & set(state.statuses) else "count"
        state.subject = None if state.measure == "po_count" else (state.subject or "part")


_COMPARES = re.compile(r"\bcompar\w*|\bvs\.?|\bversus\b")


def _read_named_pair(state: ParseState) -> None:
    """ "Which has more …, Chicago or Atlanta?": the one of the two with the larger value
    (one phrase naming several values, "Asian suppliers", is a filter, not a pair)."""
    mentions = state.mentions
    state.named = {
        kind: len({(m.start, m.end) for m in mentions if m.kind == kind}) for kind in state.filters
    }
    state.pair = pair = next((kind for kind, count in state.named.items() if count == 2), None)
    winner = WHICH_OF_TWO.search(state.text) if pair else None
    if not (winner and re.search(r"_\s+or\s+(?:the\s+)?_", state.text)):
        return
    word = winner.group(0)
    if state.measure is None and pair == "supplier" and word in {"better", "worse"}:
        state.measure = "on_time_rate"  # a supplier is judged by delivering on time, as "best"
    if state.measure is None:
        state.measure = "po_count" if PO_STATUSES & set(state.statuses) else "count"
        state.count_rows = state.count_rows or state.measure == "count"
    state.agg = None if state.agg in {"max", "min"} else state.agg
    state.subject, state.group_by, state.limit = pair, (pair,), 1
    if word in {"better", "worse"}:  # "the better on-time rate": the way the measure is good
        state.order = measure_words.judged_order(word, state.measure, state.statuses)
    else:
        state.order = "asc" if re.fullmatch(LESS, word) else "desc"


def _read_comparisons(state: ParseState) -> None:
    """A chosen period, several named values broken down, or their difference."""
    if state.chooses_period:  # "higher in April or in May": the one period with the larger value
        state.agg = None if state.agg in {"max", "min"} else state.agg
        state.order, state.limit = winner_order(state.text), 1
    if state.measure is not None and not state.group_by:
        for kind in ("warehouse", "supplier", "part", "category", "region", "country", "state"):
            if state.named.get(kind, 0) > 1:
                state.group_by = (kind,)
                break
    # "the difference in value between LA and Seattle": one number, the first minus the second
    pair = state.pair
    differs = ASKS_FOR_DIFFERENCE.search(state.text) if pair and state.paired is None else None
    # with no measure of its own ("how much higher is Seattle than Denver?"), the follow-up
    # takes the difference of the previous answer's measure
    state.difference_of = pair if differs and not state.measure else None
    differs = differs if state.measure else None
    state.difference = pair if differs else None
    if differs and differs.group("less"):  # "how much less did A see than B": B minus A
        state.filters[pair] = state.filters[pair][::-1]  # type: ignore[index]
    if state.difference:
        state.agg = None if state.agg in {"max", "min"} else state.agg  # "how much more"
        state.group_by = state.group_by or (state.difference,)


def _read_having(state: ParseState) -> None:
    """Where a bound on the measure applies: each group, a share of the total, or a
    share of the group's own companion measure."""
    measure = state.measure
    if state.pending_having is not None and measure is not None and state.having is None:
        state.having = (state.pending_having[0], clauses.scaled(measure, state.pending_having[1]))
    # "categories over 15% of total inventory value": a share of the measure's grand total
    state.share_of_total = bool(
        state.having is not None
        and state.share_of is not None
        and measure not in RATE_MEASURES
        and not (measure or "").endswith("_share")
    )
    if state.share_of_total and state.subject is None:  # "… of the total number of POs"
        state.subject = subjects.noun_kind(state.share_of or "")
    if state.share_of_total and (own_share := measure_words.own_share_base(state.text)):
        (state.measure, state.companion) = own_share
        state.share_of_total, state.share_within = False, True
    if not state.having:
        return
    unit = subjects.averaging_unit(state.text, state.subject) if state.agg == "avg" else None
    if unit is not None and unit in state.group_by:
        state.group_by = tuple(g for g in state.group_by if g != unit)
    entity = _breakdown_entity(state.group_by) if state.explicit_group else None
    if entity not in {None, state.subject}:
        state.subject = entity  # "open po value per supplier over 50k": the breakdown is bounded
        state.group_by = tuple(g for g in state.group_by if g != "part" or entity == "part")
    if state.subject and state.subject not in state.group_by:
        state.group_by = (state.subject, *state.group_by)


def _read_shape(state: ParseState) -> None:
    """One row per subject where the question asks for each; a listed entity's subject;
    the wider total a share of it is taken from."""
    measure, subject, text = state.measure, state.subject, state.text
    if (
        measure is not None
        and subject
        and not state.group_by
        and subjects.per_subject(text, subject)
    ):
        state.group_by = (subject,)
    if measure == "utilization" and not state.group_by and not state.filters.get("warehouse"):
        state.group_by = ("warehouse",)
    if (
        measure in {"lead_time", "quoted_on_time", "unit_cost", "capacity"}
        and not state.group_by
        and subject == measure_words.attribute_owner(measure)
        and not measure_words.is_aggregate_question(text)
    ):
        state.group_by = (subject,)  # type: ignore[assignment]
    if (
        measure is None
        and subject is None
        and state.filters
        and not (state.statuses or state.excludes)
        and not followup_cues.REFERS_BACK.search(text)  # "list them for Eastwind": a filter
    ):
        state.subject = mention_filters.entity_subject(state.filters)  # "Delta Precision?" alone
    if (
        measure is not None
        and measure not in RATE_MEASURES
        and not measure.endswith("_share")
        and state.having is None
        and not state.group_by
    ):  # "what percentage of open PO value is with Helix": a share of the wider total
        state.total_without = measure_words.share_holder_kinds(
            state.question, state.mentions, state.filters
        )


def _read_window_basis(state: ParseState) -> None:
    """Which date a window applies to: ordered, received, or expected (due)."""
    text = state.text
    if re.search(
        r"\b(?:placed|placing|ordered|raised|created|issued|order date)\b"
        r"|\b(?:did|do|does|we|they|you) (?:\w+ )?place\b",
        text,
    ):
        state.window_basis = "ordered"
    elif (
        re.search(r"\b(?:received|delivered|arrived|deliveries|receipts)\b", text)
        and state.measure is not None
    ):
        state.window_basis = "received" if state.window else None
    elif state.window and re.search(  # "late against the due date in 2025": not a due-date window
        r"\bexpected|\bdue\b",
        re.sub(rf"\b(?:after|later than|past|beyond) (?:{DUE_DATE}|expected|promised)", " ", text),
    ):
        state.window_basis = "expected"


_MOST_OVERDUE = re.compile(
    r"\b(?P<word>most|longest|furthest|oldest|least)(?: (?:days|overdue|past due|late))*"
    r" (?:overdue|past due)\b|\boverdue (?:the )?(?:longest|most)\b"
)


def _read_overdue_ranking(state: ParseState) -> None:
    """ "Which open orders are the most overdue?": the overdue orders listed, ranked by the
    days past their due date (a ranked list for a plural question, else the one)."""
    match = _MOST_OVERDUE.search(state.question.lower())
    if match is None or state.measure is not None or "overdue" not in state.statuses:
        return
    state.order = "asc" if match.group("word") == "least" else "desc"
    if state.limit is None:
        plural = subjects.plural_subject(state.question.lower(), "po")
        state.limit = subjects.RANKED_LIST_LIMIT if plural else 1


_BY_DATE = re.compile(
    r"(?:\b(?P<n>\d+) )?(?:\b(?P<old>oldest|earliest|first)\b|\b(?:newest|latest|most recent(?:ly)?|last)\b)"
)
_RECEIVED_WORDS = re.compile(r"\b(?:received|delivered|arrived|came in)\b")


def _read_date_ranking(state: ParseState) -> None:
    """ "Which open purchase order was placed first?", "the 5 newest open orders": orders
    listed by their date (ordered, or received when the question says so), then cut."""
    if state.measure is not None or state.order is not None or "overdue" in state.statuses:
        return
    orders = state.subject == "po" or (
        state.subject is None and bool(PO_STATUSES.intersection(state.statuses))
    )
    match = _BY_DATE.search(state.text)
    if not orders or match is None:
        return
    state.subject = "po"
    state.order = "asc" if match.group("old") else "desc"
    if state.window_basis is None:
        received = _RECEIVED_WORDS.search(state.question.lower())
        state.window_basis = "received" if received else "ordered"
    if state.limit is None and match.group("n"):
        state.limit = int(match.group("n"))  # "the 5 oldest open orders"
    if state.limit is None:
        plural = subjects.plural_subject(state.question.lower(), "po")
        state.limit = subjects.RANKED_LIST_LIMIT if plural else 1


_ASKS_WHERE = re.compile(r"^(?:(?:and|so|ok|now|then) )?where\b")


def _read_places_asked(state: ParseState) -> None:
    """ "Where do we hold more than 5,000 units of a single part?": a question that asks
    where answers with the place beside what it groups by (one row per part and warehouse),
    so a bound applies to each place's own figure, not to the sum over places."""
    grouped = state.group_by
    if (
        _ASKS_WHERE.match(state.question.lower())
        and grouped
        and not set(grouped) & {*LOCATION_KINDS, *TIME_GRAINS}
    ):
        state.group_by = (*grouped, "warehouse")


#: the passes, in the order they read the question; each reads what the ones before left
PASSES: tuple[Callable[[ParseState], None], ...] = (
    _read_time,
    _normalise_text,
    _read_filters,
    _read_conditions,
    _read_measure,
    _read_companion,
    _read_share_threshold,
    _read_threshold,
    _read_count,
    _read_ranking_measure,
    _read_ranking,
    _read_ranking_defaults,
    _read_unmeasured_breakdown,
    _read_named_pair,
    _read_comparisons,
    _read_having,
    _read_places_asked,
    _read_overdue_ranking,
    _read_date_ranking,
    _read_shape,
    _read_window_basis,
)


def parse(question: str, vocabulary: Vocabulary) -> Fragment:
    """The question read by every pass in turn, as an intent and its follow-up cues."""
    state = ParseState(question, vocabulary)
    for read in PASSES:
        read(state)
    return _fragment(state, _intent(state))


def _intent(state: ParseState) -> Intent:
    measure = state.measure
    return Intent(
        measure=measure,
        agg=state.agg,
        subject=state.subject,
        counted=state.counted_kind,
        filters={kind: tuple(values) for kind, values in state.filters.items()},
        not_filters={kind: tuple(values) for kind, values in state.not_filters.items()},
        statuses=tuple(state.statuses),
        window=state.window,
        compared_window=state.compared_window,
        window_basis=state.window_basis,
        group_by=tuple(state.group_by),
        order=state.order,  # type: ignore[arg-type]
        limit=state.limit,
        having=state.having,
        attribute_filters=tuple(state.attribute_filters),
        companion=state.companion,
        excludes=tuple(state.excludes),
        count_rows=state.count_rows,
        share_of_total=state.share_of_total,
        share_within=state.share_within,
        total_without=state.total_without,
        percent=(measure in RATE_MEASURES or measure is None)
        and measure_words.asks_percent(state.text),
        difference=state.difference,
        notes=tuple(state.notes),
        shown=state.shown,
    )


def _fragment(state: ParseState, intent: Intent) -> Fragment:
    """The intent with what the question said that a follow-up would act on."""
    text, superlative = state.text, state.superlative
    word = superlative.group(0) if superlative else None
    not_just = followup_cues.NOT_JUST.search(text) is not None  # "not just overdue ones"
    return Fragment(
        intent=intent,
        mentions=state.mentions,
        has_measure=intent.measure is not None,
        has_subject=intent.subject is not None
        # "who supplies the Cooling Fan?": "who" names the supplier as a noun would
        and (
            subjects.subject_named(text)
            or re.match(r"\s*who\b(?!.*\b(?:them|they|those|these|it|its)\b)", text)
        )
        and not followup_cues.ONLY_A_PLACE.match(text),
        explicit_group=state.explicit_group,
        looks_like_followup=_looks_like_followup(state, not_just),
        replaces_limit=state.replaces_limit,
        shift=state.shift,
        direction=("asc" if re.fullmatch(ASC, word) else "desc") if word else None,
        judged=word if word in {"best", "worst"} else None,
        heads_ranking=word in {"top", "first"},
        wants_list=followup_cues.LIST_THEM.search(text) is not None,
        refers_back=followup_cues.REFERS_BACK.search(text) is not None,
        narrows=followup_cues.NARROWS.search(text) is not None,
        points_back=followup_cues.POINTS_BACK.search(text) is not None,
        there=followup_cues.THERE.search(text) is not None,
        per_listed=followup_cues.EACH_LISTED.search(text) is not None,
        wants_all=_WANTS_ALL.search(text) is not None,
        sorts=re.search(r"\b(?:sort|order|rank|arrange)(?:ed)?\b.*\b(?:from|by)\b", text)
        is not None,
        one_total=_ONLY_A_TOTAL.match(text) is not None,
        adds_entity=re.search(r"\b(?:add|include|plus|too|as well|also)\b", text) is not None,
        asks_one=re.match(r"(?:(?:and|now|ok|so|then|but) )?(?:which|what|who) one\b", text)
        is not None,
        asks_which=re.match(
            r"(?:(?:and|now|ok|so|then|but) )?(?:(?:out )?of (?:them|those|these),? )?which\b", text
        )
        is not None,
        restricts=re.search(r"\b(?:only|just|merely)\b", text) is not None,
        per_day=re.search(r"\b(?:per|a|each) day\b|\bdaily\b", text) is not None,
        per_row=_asks_per_row(state),
        widened=(*followup_cues.widened(text), *state.dropped_kinds),
        compares=_COMPARES_ENTITIES.search(text) is not None,
        wants_actual=_ACTUAL.search(text) is not None,
        wants_quoted=_QUOTED.search(text) is not None,
        as_rate=intent.measure is None and measure_words.RATE_WORDS.search(text) is not None,
        wants_value=intent.measure is None and re.search(r"\bvalue\b", text) is not None,
        adds_group=state.explicit_group
        and followup_cues.ADDS_BREAKDOWN.search(text) is not None
        and not re.search(r"\binstead\b", text),  # "and per category instead" replaces it
        only_threshold=followup_cues.only_a_threshold(text) or _narrowing_bound(state, intent),
        total_share=followup_cues.share_of_the_total(text),
        bare_quantity=followup_cues.bare_quantity(text, intent.measure),
        replaces_statuses=not_just,
        swaps_measure=intent.measure is not None and _INSTEAD.search(text) is not None,
        bound_only=state.pending_having if intent.measure is None else None,
        default_measure=state.default_measure,
        over_groups=followup_cues.over_groups(text),
        difference_of=state.difference_of,
        share_of_whole=followup_cues.SHARE_OF_WHOLE.search(text) is not None,
        adds_measure=intent.measure is not None
        and not state.explicit_group
        and re.search(r"\b(?:too|as well|also|in addition|alongside)\b", text) is not None,
        prices_out=intent.measure == "unit_cost"
        and re.search(r"\b(?:would|will) (?:\w+ ){0,2}cost\b", text) is not None,
        ranked_rows=subjects.default_ranking_limit(state.question.lower(), intent.subject)
        if word and intent.subject in subjects.NOUNS
        else None,
    )


_INSTEAD = re.compile(r"\binstead\b|\brather than\b")


_COMPARES_ENTITIES = re.compile(r"\bcompar\w*|\bvs\.?|\bversus\b|\bagainst\b|\bside by side\b")
_ACTUAL = re.compile(
    r"\b(?:actual(?:ly)?|real|measured|observed|track record|history)\b|\bdeliveries\b"
)
_QUOTED = re.compile(r"\b(?:quoted|promised|stated|advertised|contract\w*)\b")


def _looks_like_followup(state: ParseState, not_just: bool) -> bool:
    """Words that only make sense after an answer: "and …", "instead", "them", "by X"."""
    text = state.text
    return (
        bool(FOLLOWUP_START.search(state.question))
        or re.search(r"\binstead\b", text) is not None
        or (not state.mentions and followup_cues.REFERS_BACK.search(text) is not None)
        or _asks_per_row(state)
        or followup_cues.ONLY_A_BREAKDOWN.search(text) is not None
        or followup_cues.WHICH_ONE.match(text) is not None
        or not_just
        or followup_cues.ONLY_A_PLACE.match(text) is not None
    )


def _narrowing_bound(state: ParseState, intent: Intent) -> tuple[str, float] | None:
    """ "Of those, which quote more than 30 days?": a bound with no measure of its own on
    a subset of the previous rows bounds the previous measure."""
    if intent.measure is not None or state.threshold is None or state.attribute_filters:
        return None  # "of them, which quote 30 days or more?" bounds that attribute instead
    if followup_cues.NARROWS.search(state.text) is None:
        return None
    return state.threshold[0], state.threshold[1]


def _asks_per_row(state: ParseState) -> bool:
    """ "What are their reorder quantities?": a measure of rows the question does not name
    ("what is the total reorder quantity for them?" still asks for one sum)."""
    return (
        state.measure is not None
        and not subjects.subject_named(state.text)
        and followup_cues.PER_ROW.search(state.text) is not None
        and _ONE_TOTAL.search(state.question.lower()) is None
        and not _UNITS_TO_ORDER.search(state.question.lower())  # "… would we order for them"
        # "what's their average lead time?": one average over them, not one per row
        and not re.search(r"\bwhat(?:'s| is| was)\b.*\b(?:average|avg|mean)\b", state.text)
    )


_WANTS_ALL = re.compile(
    r"\b(?:all|every one) of (?:them|those|these|it)\b|\b(?:show|list|give)(?: me| us)? (?:them )?all\b"
    r"|\b(?:the )?(?:full|whole|entire|complete) (?:list|ranking)\b|\bno (?:limit|cut)\b"
)
# "and the total?", "what's the total over that period?": the last answer as one figure
_ONLY_A_TOTAL = re.compile(
    r"^(?:(?:and|so|ok|now|then) )?(?:(?:what(?:'s| is| was)|give me|show(?: me)?) )?(?:the |a )?"
    r"(?:grand |overall |combined )?total(?: (?:over|for|across) (?:that|the|this|those|these|all)"
    r"(?: \w+)?)?(?: altogether| overall| in all)?\s*[?.!]*$"
)
_ONE_TOTAL = re.compile(r"\b(?:total|sum|overall|combined|altogether|in all)\b")


def _breakdown_entity(group_by: tuple[str, ...]) -> str | None:
    return next((g for g in group_by if g not in TIME_GRAINS), None)


def _ranked_grain(text: str) -> str | None:
    """ "Which month …" ranks periods of that grain, the way "which warehouse …" ranks warehouses."""
    match = re.search(r"\b(?:which|what) (day|week|month|quarter|year)\b", text)
    return match.group(1) if match else None

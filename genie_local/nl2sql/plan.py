"""The engine's two data shapes: the parsed question (``Intent``) and its answer plan (``Plan``).

A follow-up is answered by merging its parsed fragment into the previous plan's intent,
so the intent travels inside the plan as private state for the next turn.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

PlanKind = Literal["query", "abstain", "refuse"]


@dataclass(frozen=True)
class TimeWindow:
    """An inclusive date range, with the words a person would use for it."""

    start: date
    end: date
    label: str


#: in ``Intent.total_without``: the share's total leaves out the asked statuses too
STATUS_KIND = "status"


@dataclass(frozen=True)
class Intent:
    """What a question asks, independent of how it was phrased.

    ``filters`` maps an entity kind (part, category, warehouse, state, region, supplier,
    country) to the ids or values it is restricted to. ``statuses`` are business-definition
    predicates (low, critical, out, risk, healthy, open, overdue, received, cancelled, late,
    on_time). ``measure`` names an entry of ``measures.MEASURES``; ``subject`` is the entity
    listed or ranked; ``group_by`` the breakdown dimensions.
    """

    measure: str | None = None
    agg: str | None = None  # sum | avg | min | max | count
    subject: str | None = None
    counted: str | None = None  # the entity a count counts, when it differs from the subject
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    not_filters: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "excluding Chicago"
    statuses: tuple[str, ...] = ()
    window: TimeWindow | None = None
    compared_window: TimeWindow | None = None  # "H1 2026 vs H1 2025": a second period beside it
    window_basis: str | None = None  # which date a window applies to: ordered | received | expected
    group_by: tuple[str, ...] = ()
    order: Literal["desc", "asc"] | None = None
    limit: int | None = None
    # (operator, value) on the measure; a str value names the companion measure instead
    having: tuple[str, float | str] | None = None
    attribute_filters: tuple[tuple[str, str, float], ...] = ()  # (measure, operator, value)
    companion: str | None = None  # a second measure set beside the first (actual vs quoted)
    excludes: tuple[str, ...] = ()  # NOT EXISTS events, see sqlbuilder.EXCLUSIONS
    percent: bool = False  # a rate also shown as a percentage
    count_rows: bool = False  # count (part, warehouse) rows rather than distinct entities
    share_of_total: bool = False  # ``having`` bounds the measure's share of its grand total
    share_within: bool = False  # ``having`` bounds the measure's share of the companion per group
    total_without: tuple[str, ...] = ()  # "% of open PO value is with Helix": kinds the total drops
    difference: str | None = None  # "difference between LA and Seattle": that kind, first − second
    notes: tuple[str, ...] = ()  # readings chosen for ambiguous words, said in the description
    shown: tuple[str, ...] = ()  # "…, and what country are they in": attributes listed beside
    # "of those, which are Electrical?" after a top 10: only the entities that ranking kept
    within: Intent | None = None
    # "and the average per warehouse?": each group's figure as before, then this aggregate
    # (sum | avg) of the figures, one number
    over_groups: str | None = None

    def with_changes(self, **changes: object) -> Intent:
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass
class Plan:
    """How the space answers one question: a query to run, or a plain message instead."""

    kind: PlanKind
    sql: str | None
    description: str
    message: str | None = None
    suggested_questions: list[str] = field(default_factory=list)
    intent: Intent | None = None  # private state: what a follow-up refines
    question: str = ""

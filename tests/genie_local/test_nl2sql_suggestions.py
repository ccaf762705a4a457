"""Every follow-up the engine suggests is one it reads correctly in that context: each
sample question, each of its suggestions, and each suggestion of those (two levels),
planned as the conversation would plan them, must keep what the suggestion does not
change and change what it names — and run on the demo database."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest

from genie_local.nl2sql import Plan
from genie_local.nl2sql.lexicon import LOCATION_KINDS
from genie_local.nl2sql.plan import Intent
from services.common.inventory_space import SAMPLE_QUESTIONS
from tests.genie_local.nl2sql_cases import OfflineSpace

Check = Callable[[Intent, Intent, OfflineSpace], None]


def _keeps(
    before: Intent, after: Intent, *, but: set[str] = frozenset(), counted: bool = False
) -> None:
    """The follow-up kept the previous measure (``counted``: or counts the rows a list
    showed), statuses, time window and filters."""
    listed_rows = counted and before.measure is None and after.measure in {"count", "po_count"}
    assert after.measure == before.measure or listed_rows
    assert after.statuses == before.statuses
    assert after.window == before.window or "window" in but
    kept = {k: v for k, v in before.filters.items() if k not in but}
    assert {k: v for k, v in after.filters.items() if k not in but} == kept


def _broken_down_by_warehouse(before: Intent, after: Intent, _: OfflineSpace) -> None:
    _keeps(before, after, counted=True)  # a list broken down: its rows counted per warehouse
    assert "warehouse" in after.group_by
    assert set(before.group_by) <= set(after.group_by)


def _just_in_chicago(before: Intent, after: Intent, _: OfflineSpace) -> None:
    _keeps(before, after, but=set(LOCATION_KINDS))
    assert after.filters["warehouse"] == ("WH-CHI",)
    assert after.limit == before.limit and after.order == before.order


def _without_open_orders(before: Intent, after: Intent, _: OfflineSpace) -> None:
    _keeps(before, after)
    assert "open_po" in after.excludes


def _monthly_last_year(before: Intent, after: Intent, _: OfflineSpace) -> None:
    _keeps(before, after, but={"window"})
    assert "month" in after.group_by
    assert after.window is not None
    assert (after.window.start, after.window.end) == (date(2025, 7, 1), date(2026, 6, 30))


def _top_n(count: int) -> Check:
    def check(before: Intent, after: Intent, _: OfflineSpace) -> None:
        _keeps(before, after)
        assert after.limit == count and after.order == before.order
        assert after.group_by == before.group_by

    return check


def _new_question(text: str) -> Check:
    def check(before: Intent, after: Intent, space: OfflineSpace) -> None:
        assert after == space.engine.plan(text, []).intent

    return check


def reading(suggestion: str) -> Check:
    """What the suggestion must do to the answer it was suggested for."""
    fixed = {
        "Break this down by warehouse": _broken_down_by_warehouse,
        "Just in Chicago": _just_in_chicago,
        "Which of these have no open purchase order?": _without_open_orders,
        "Show it monthly over the last 12 months": _monthly_last_year,
    }
    if suggestion in fixed:
        return fixed[suggestion]
    if top := re.fullmatch(r"Top (\d+) instead", suggestion):
        return _top_n(int(top.group(1)))
    return _new_question(suggestion)


def _conversations(space: OfflineSpace) -> list[tuple[str, ...]]:
    """Every sample question, with each suggestion and each suggestion of a suggestion."""
    found: list[tuple[str, ...]] = []
    for question in SAMPLE_QUESTIONS:
        first = space.last_plan(question)
        for suggestion in first.suggested_questions:
            found.append((question, suggestion))
            second = space.last_plan(question, suggestion)
            found += [(question, suggestion, s) for s in second.suggested_questions]
    return found


def test_every_suggestion_and_its_suggestions_read_as_they_say(offline_space: OfflineSpace):
    conversations = _conversations(offline_space)
    assert len(conversations) > 3 * len(SAMPLE_QUESTIONS)
    wrong: list[str] = []
    for turns in conversations:
        history: list[Plan] = [offline_space.last_plan(*turns[:-1])]
        before = history[-1].intent
        after = offline_space.engine.plan(turns[-1], history)
        assert before is not None and after.intent is not None, turns
        offline_space.sql(*turns)  # read-only, and runs
        try:
            reading(turns[-1])(before, after.intent, offline_space)
        except AssertionError as error:
            wrong.append(f"{' / '.join(turns)}: {error}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("question", SAMPLE_QUESTIONS)
def test_each_sample_question_suggests_follow_ups(offline_space: OfflineSpace, question: str):
    assert offline_space.last_plan(question).suggested_questions

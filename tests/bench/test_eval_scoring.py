"""The execution-match scorer on hand-made results, including the tricky normalisation."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from bench.eval.scoring import compare, entity_aliases, normalise

ALIASES = entity_aliases(
    [
        ("WH-CHI", "Chicago DC", "Chicago"),
        ("P-0001", "Brake Pad Set"),
        ("SUP-05", "Eastwind Trading"),
    ]
)


def test_numbers_round_to_two_decimals_whatever_their_type():
    assert normalise(3) == normalise(Decimal("3.00")) == normalise(3.0) == normalise("3")
    assert normalise(1 / 3) == normalise("0.333") == normalise(Decimal("0.33"))
    assert normalise(-0.001) == normalise(0)


def test_dates_midnight_timestamps_and_months_compare_equal():
    day = date(2025, 3, 1)
    assert normalise(day) == normalise(datetime(2025, 3, 1)) == "2025-03-01"
    assert normalise("2025-03-01T00:00:00.000Z") == normalise("2025-03") == "2025-03-01"
    assert normalise(datetime(2025, 3, 1, 12, 30)) != "2025-03-01"


def test_names_cities_and_ids_count_as_the_id():
    for name in ("Chicago DC", "chicago", "WH-CHI", "wh-chi"):
        assert normalise(name, ALIASES) == "WH-CHI"
    assert normalise("Eastwind Trading", ALIASES) == "SUP-05"


def test_extra_columns_and_row_order_are_allowed():
    gold = [("WH-CHI", 10)]
    assert compare(gold, [("Chicago DC", "ignored", Decimal("10.00"))], ALIASES).passed
    gold = [("a", 1), ("b", 2)]
    assert compare(gold, [(2, "b"), (1, "a")]).passed


def test_row_count_and_multisets_must_match():
    assert not compare([(1,), (1,)], [(1,)]).passed
    assert not compare([(1,), (1,)], [(1,), (2,)]).passed
    verdict = compare([("x",)], [("y",)])
    assert not verdict.passed and "no match" in verdict.reason


def test_columns_are_compared_as_wholes_not_cell_by_cell():
    # each gold column must equal one system column; values split over two columns fail
    assert not compare([(1,), (4,)], [(1, 3), (2, 4)]).passed


def test_empty_results_match():
    assert compare([], []).passed

"""Number columns are shown with thousands separators and the column's own precision."""

from __future__ import annotations

import pytest

from services.dash_ui import cards, tables


@pytest.mark.parametrize(
    ("type_name", "values", "places"),
    [
        ("DECIMAL(18,2)", ["398530.1", "7"], 2),
        ("decimal(10, 3)", [], 3),
        ("BIGINT", ["398530"], 0),
        ("INT", ["1.5"], 0),  # an integer type is never shown with decimals
        ("DOUBLE", ["398530.12", "3.5", "7"], 2),
        ("DOUBLE", ["0.30000000000000004"], tables.MAX_DECIMALS),
        ("DOUBLE", ["12", "40"], 0),
    ],
)
def test_a_columns_decimals(type_name: str, values: list[str], places: int) -> None:
    assert tables.decimals(type_name, values) == places


def test_each_number_column_gets_its_decimals_from_the_cells_as_sent() -> None:
    table = {
        "columns": [
            {"name": "warehouse", "type": "STRING"},
            {"name": "value", "type": "DOUBLE"},
            {"name": "parts", "type": "BIGINT"},
        ],
        "rows": [["Chicago DC", "398530.12", "42"], ["Dallas DC", None, "7"]],
    }
    assert tables.number_decimals(table) == {"value": 2, "parts": 0}


def test_the_grid_formats_with_separators_and_keeps_the_number() -> None:
    assert cards.number_format(2) == ("params.value == null ? '' : d3.format(',.2f')(params.value)")

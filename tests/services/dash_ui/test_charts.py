"""The automatic chart: the shape of a result decides line, bar, pie or nothing."""

from __future__ import annotations

from services.dash_ui import charts, tables


def table(columns: list[tuple[str, str]], rows: list[list[str]]) -> dict:
    return {
        "columns": [{"name": name, "type": type_} for name, type_ in columns],
        "rows": rows,
        "row_count": len(rows),
        "truncated": False,
    }


def test_date_and_number_make_a_line() -> None:
    result = table(
        [("month", "DATE"), ("qty", "BIGINT")],
        [["2026-01-01", "10"], ["2026-02-01", "12"], ["2026-03-01", "9"]],
    )
    choice = charts.choose_chart(result)
    assert choice == charts.ChartChoice("line", "month", ("qty",))


def test_few_categories_make_a_pie() -> None:
    result = table(
        [("warehouse", "VARCHAR"), ("value", "DECIMAL(18,2)")],
        [["Chicago DC", "10.5"], ["Dallas DC", "7"], ["Boston DC", "3"]],
    )
    assert charts.choose_chart(result) == charts.ChartChoice("pie", "warehouse", ("value",))


def test_many_categories_make_a_bar() -> None:
    rows = [[f"Part {i}", str(i)] for i in range(12)]
    result = table([("part", "STRING"), ("qty", "INT")], rows)
    assert charts.choose_chart(result) == charts.ChartChoice("bar", "part", ("qty",))


def test_negative_values_are_never_a_pie() -> None:
    result = table([("part", "STRING"), ("change", "INT")], [["A", "-3"], ["B", "4"]])
    assert charts.choose_chart(result).kind == "bar"


def test_single_number_gets_no_chart() -> None:
    assert charts.choose_chart(table([("overdue", "BIGINT")], [["17"]])) is None


def test_numbers_alone_get_no_chart() -> None:
    assert (
        charts.choose_chart(table([("a", "INT"), ("b", "INT")], [["1", "2"], ["3", "4"]])) is None
    )


def test_repeated_labels_get_no_chart() -> None:
    """A low-stock list has one row per (part, warehouse): no single honest chart."""
    result = table(
        [("part", "VARCHAR"), ("warehouse", "VARCHAR"), ("available", "INTEGER")],
        [["Brake Rotor", "Chicago DC", "3"], ["Brake Rotor", "Dallas DC", "5"]],
    )
    assert charts.choose_chart(result) is None


def test_id_columns_are_not_plotted() -> None:
    result = table(
        [("name", "VARCHAR"), ("supplier_id", "INTEGER")],
        [["Apex", "1"], ["Borealis", "2"]],
    )
    assert charts.choose_chart(result) is None


def test_figure_builds_for_each_kind() -> None:
    result = table([("w", "VARCHAR"), ("v", "DOUBLE")], [["a", "1"], ["b", "2"]])
    frame = tables.to_frame(result)
    for kind in ("line", "bar", "pie"):
        figure = charts.build_figure(charts.ChartChoice(kind, "w", ("v",)), frame)
        assert len(figure.data) == 1


def test_cells_are_typed_for_sorting_and_csv() -> None:
    result = table(
        [("d", "DATE"), ("n", "DECIMAL(10,2)"), ("s", "VARCHAR")], [["2026-06-30", "1.50", "x"]]
    )
    rows = tables.to_grid_rows(tables.to_frame(result))
    assert rows == [{"d": "2026-06-30", "n": 1.5, "s": "x"}]


def test_rows_may_be_dicts() -> None:
    result = table([("s", "VARCHAR"), ("n", "INT")], [])
    result["rows"] = [{"s": "a", "n": "2"}]
    assert tables.to_frame(result)["n"].tolist() == [2]


def test_a_bar_or_line_names_its_axes_as_a_reader_would() -> None:
    rows = [[f"Part {i}", str(i * 1000)] for i in range(12)]
    result = table([("part_name", "STRING"), ("on_hand_qty", "INT")], rows)
    choice = charts.choose_chart(result)
    figure = charts.build_figure(choice, tables.to_frame(result))
    assert figure.layout.xaxis.title.text == "Part name"
    assert figure.layout.yaxis.title.text == "On hand qty"

"""Genie's statement result → the capped table, and the answer text built from it."""

from __future__ import annotations

from databricks.sdk.service.sql import StatementResponse

from agent.answer_text import compose_answer, markdown_table, text_chunks
from agent.genie_result import Table, table_from_statement


def _response(rows: list[list[str | None]], total: int | None = None) -> StatementResponse:
    return StatementResponse.from_dict(
        {
            "status": {"state": "SUCCEEDED"},
            "manifest": {
                "schema": {
                    "columns": [
                        {"name": "part", "type_name": "STRING", "type_text": "STRING"},
                        {"name": "qty", "type_name": "DECIMAL", "type_text": "decimal(10,2)"},
                    ]
                },
                "total_row_count": total,
            },
            "result": {"data_array": rows},
        }
    )


def test_cells_stay_strings_and_columns_carry_their_sql_types() -> None:
    table = table_from_statement(_response([["Brake Rotor", "12.50"], ["Fuse Kit", None]]), 10)
    assert table.columns == [
        {"name": "part", "type": "STRING"},
        {"name": "qty", "type": "DECIMAL(10,2)"},
    ]
    assert table.rows == [["Brake Rotor", "12.50"], ["Fuse Kit", None]]
    assert (table.row_count, table.truncated) == (2, False)


def test_rows_are_capped_but_the_total_is_kept() -> None:
    rows = [[f"P-{i}", str(i)] for i in range(30)]
    table = table_from_statement(_response(rows, total=30), max_rows=5)
    assert len(table.rows) == 5
    assert (table.row_count, table.truncated) == (30, True)


def test_genie_row_count_is_used_when_the_manifest_has_none() -> None:
    table = table_from_statement(_response([["a", "1"]]), 10, known_row_count=4000)
    assert (table.row_count, table.truncated) == (4000, True)


def test_genie_text_wins_else_summary_and_markdown_table() -> None:
    table = Table(
        columns=[{"name": "part", "type": "STRING"}, {"name": "note", "type": "STRING"}],
        rows=[["Brake Rotor", "a|b"]],
        row_count=1,
    )
    assert compose_answer("Genie says hi", "desc", table) == "Genie says hi"
    text = compose_answer(None, "Parts below reorder point", table)
    assert text.startswith("Parts below reorder point\n\nHere is the one matching row.")
    assert "| part | note |" in text and "| Brake Rotor | a\\|b |" in text
    assert markdown_table(table).count("\n") == 2
    assert compose_answer(None, "", Table()) == "The query ran but found no matching rows."


def test_text_chunks_reassemble_to_the_text() -> None:
    text = "line one\nline two\n\n| a |"
    assert "".join(text_chunks(text)) == text
    assert text_chunks("") == [""]

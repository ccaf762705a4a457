"""Genie's query result (a Statement Execution response) as the table the user sees.

Cell values stay the strings Genie sends (``None`` for NULL). Genie returns every cell
as a string, and converting here would lose what DECIMAL and BIGINT values exactly are
and guess at dates; each column carries its SQL type (``type``) so a client that wants
numbers for a chart converts knowingly. Rows are capped at ``genie_max_rows``; the table
still reports the full row count and says when it was cut.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from databricks.sdk.service.sql import StatementResponse


@dataclass(frozen=True)
class Table:
    columns: list[dict[str, str]] = field(default_factory=list)
    rows: list[list[str | None]] = field(default_factory=list)
    row_count: int = 0
    truncated: bool = False

    def payload(self) -> dict[str, Any]:
        return {
            "columns": self.columns,
            "rows": self.rows,
            "row_count": self.row_count,
            "truncated": self.truncated,
        }


def _column_type(column: Any) -> str:
    if column.type_text:
        return column.type_text.upper()
    return column.type_name.value if column.type_name else "STRING"


def table_from_statement(
    response: StatementResponse, max_rows: int, known_row_count: int | None = None
) -> Table:
    """The capped table of ``response``; ``known_row_count`` is Genie's own count, if any."""
    manifest = response.manifest
    schema = manifest.schema if manifest else None
    columns = [
        {"name": column.name or f"column_{index}", "type": _column_type(column)}
        for index, column in enumerate((schema.columns if schema else None) or [])
    ]
    data = (response.result.data_array if response.result else None) or []
    total = next(
        count
        for count in (
            manifest.total_row_count if manifest else None,
            known_row_count,
            len(data),
        )
        if count is not None
    )
    rows = [list(row) for row in data[:max_rows]]
    truncated = bool(manifest and manifest.truncated) or total > len(rows)
    return Table(columns=columns, rows=rows, row_count=max(total, len(rows)), truncated=truncated)

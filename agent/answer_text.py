"""The answer's words: Genie's own text when it wrote some, else a summary and a table.

A client that shows only text (a Databricks playground, a terminal) still gets the data:
when Genie wrote no text, the answer carries a short summary and a markdown table of
the first rows.
"""

from __future__ import annotations

from agent.genie_result import Table

MARKDOWN_ROWS = 20


def _cell(value: str | None) -> str:
    return "" if value is None else str(value).replace("|", "\\|").replace("\n", " ")


def markdown_table(table: Table, max_rows: int = MARKDOWN_ROWS) -> str:
    names = [column["name"] for column in table.columns]
    lines = [
        "| " + " | ".join(_cell(name) for name in names) + " |",
        "|" + "|".join(" --- " for _ in names) + "|",
    ]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in table.rows[:max_rows]]
    return "\n".join(lines)


def summary(table: Table) -> str:
    if table.row_count == 0:
        return "The query ran but found no matching rows."
    if table.row_count == 1:
        return "Here is the one matching row."
    shown = min(len(table.rows), MARKDOWN_ROWS)
    if shown < table.row_count:
        return f"Found {table.row_count} rows; here are the first {shown}."
    return f"Found {table.row_count} rows."


def compose_answer(genie_text: str | None, description: str, table: Table | None) -> str:
    """What the user reads as the answer."""
    if genie_text:
        return genie_text
    if table is None:
        return description or "Genie finished without an answer. Try rephrasing the question."
    parts = [description, summary(table)] if description else [summary(table)]
    if table.columns and table.rows:
        parts.append(markdown_table(table))
    return "\n\n".join(parts)


def text_chunks(text: str) -> list[str]:
    """The answer split at line ends, as it is streamed (Genie hands it over whole)."""
    return text.splitlines(keepends=True) or [text]

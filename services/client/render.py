"""Print a question's chunks to a terminal as they arrive.

Status lines carry the seconds since the question was posted, so a user sees where
the time goes; the SQL, a table preview, the answer (streamed as it is written) and
the suggested follow-ups follow in the order the chunks come.
"""

from __future__ import annotations

import time
from typing import Any, TextIO

from services.common.chunks import ChunkType, QuestionStatus

#: rows of a result table shown in the terminal; the rest are counted, not printed
TABLE_PREVIEW_ROWS = 15
#: widest a table cell is printed before it is cut with an ellipsis
MAX_CELL_CHARS = 30

_DONE_MARKS = {
    QuestionStatus.COMPLETED: "✅",
    QuestionStatus.FAILED: "❌",
    QuestionStatus.CANCELLED: "🛑",
}


class ChunkPrinter:
    """Renders one question's chunks; ``started`` is when the question was posted."""

    def __init__(self, out: TextIO, started: float | None = None) -> None:
        self.out = out
        self.started = time.monotonic() if started is None else started
        self.streaming_text = False  # answer deltas printed, line not yet ended
        self.done_status: str | None = None

    def show(self, chunk: dict[str, Any]) -> None:
        kind = chunk.get("type")
        if kind == ChunkType.TEXT:
            self._write_delta(chunk.get("delta", ""))
            return
        self._end_text_line()
        if kind == ChunkType.STATUS:
            self._line(chunk.get("message") or chunk.get("status", ""))
        elif kind == ChunkType.SQL:
            self._sql(chunk)
        elif kind == ChunkType.TABLE:
            self._table(chunk)
        elif kind == ChunkType.ANSWER:
            self._answer(chunk)
        elif kind == ChunkType.ERROR:
            retry = " (you can ask again)" if chunk.get("retryable") else ""
            self._line(f"⚠️  {chunk.get('message', 'failed')} [{chunk.get('code')}]{retry}")
        elif kind == ChunkType.DONE:
            self.done_status = chunk.get("status", QuestionStatus.FAILED)
            mark = _DONE_MARKS.get(self.done_status, "•")
            self._line(f"{mark} {self.done_status} in {chunk.get('elapsed_ms', 0) / 1000:.1f} s")
        self.out.flush()

    def _elapsed(self) -> str:
        return f"[{time.monotonic() - self.started:5.1f}s]"

    def _line(self, text: str) -> None:
        print(f"{self._elapsed()} {text}", file=self.out)

    def _write_delta(self, delta: str) -> None:
        if not self.streaming_text:
            self.out.write(f"{self._elapsed()} ")
            self.streaming_text = True
        self.out.write(delta)
        self.out.flush()

    def _end_text_line(self) -> None:
        if self.streaming_text:
            self.out.write("\n")

    def _sql(self, chunk: dict[str, Any]) -> None:
        if chunk.get("description"):
            self._line(f"🧾 {chunk['description']}")
        print("\n".join(f"    {line}" for line in chunk.get("sql", "").splitlines()), file=self.out)

    def _table(self, chunk: dict[str, Any]) -> None:
        names = [column.get("name", "") for column in chunk.get("columns", [])]
        rows = chunk.get("rows", [])
        row_count = chunk.get("row_count", len(rows))
        self._line(f"📊 {row_count} row(s)" + (" (truncated)" if chunk.get("truncated") else ""))
        print(format_table(names, rows[:TABLE_PREVIEW_ROWS]), file=self.out)
        if row_count > TABLE_PREVIEW_ROWS:
            print(f"    … {row_count - TABLE_PREVIEW_ROWS} more row(s)", file=self.out)

    def _answer(self, chunk: dict[str, Any]) -> None:
        if not self.streaming_text:  # the agent sent no deltas: the text is new here
            self._line(chunk.get("text", ""))
        self.streaming_text = False
        suggestions = chunk.get("suggested_questions") or []
        if suggestions:
            print("    You could also ask:", file=self.out)
            for suggestion in suggestions:
                print(f"      • {suggestion}", file=self.out)
        if chunk.get("conversation_id"):
            hint = f"(follow up with --conversation-id {chunk['conversation_id']})"
            print(f"    {hint}", file=self.out)


def format_table(names: list[str], rows: list[list[Any]]) -> str:
    """A plain fixed-width table, indented under the status lines."""
    cells = [[_cell(value) for value in row] for row in rows]
    widths = [len(name) for name in names]
    for row in cells:
        for index, value in enumerate(row[: len(widths)]):
            widths[index] = max(widths[index], len(value))

    def line(values: list[str]) -> str:
        return "    " + "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=False))

    rule = "    " + "  ".join("─" * w for w in widths)
    return "\n".join([line(names), rule, *(line(row) for row in cells)])


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= MAX_CELL_CHARS else text[: MAX_CELL_CHARS - 1] + "…"

"""The terminal rendering of a question's chunks."""

from __future__ import annotations

import io

from services.client.render import TABLE_PREVIEW_ROWS, ChunkPrinter, format_table


def render(chunks: list[dict]) -> tuple[str, ChunkPrinter]:
    out = io.StringIO()
    printer = ChunkPrinter(out)
    for chunk in chunks:
        printer.show(chunk)
    return out.getvalue(), printer


def test_a_run_prints_status_sql_table_streamed_answer_and_done() -> None:
    text, printer = render(
        [
            {"type": "status", "status": "queued", "message": "⏳ Queued: you are next"},
            {"type": "sql", "sql": "SELECT part_id\nFROM parts", "description": "Low parts"},
            {
                "type": "table",
                "columns": [{"name": "part_id", "type": "STRING"}],
                "rows": [["P-1"], ["P-2"]],
                "row_count": 2,
            },
            {"type": "text", "delta": "Two parts"},
            {"type": "text", "delta": " are low."},
            {
                "type": "answer",
                "text": "Two parts are low.",
                "conversation_id": "c_1",
                "suggested_questions": ["Who supplies P-1?"],
            },
            {"type": "done", "status": "completed", "elapsed_ms": 1234},
        ]
    )
    lines = text.splitlines()
    assert lines[0].endswith("⏳ Queued: you are next") and lines[0].startswith("[")
    assert "    SELECT part_id" in lines and "    FROM parts" in lines
    assert any("📊 2 row(s)" in line for line in lines)
    assert any(line.strip().startswith("P-2") for line in lines)
    # the streamed deltas form one line, and the answer is not printed a second time
    assert sum("Two parts are low." in line for line in lines) == 1
    assert "      • Who supplies P-1?" in lines
    assert "--conversation-id c_1" in text
    assert lines[-1].endswith("✅ completed in 1.2 s")
    assert printer.done_status == "completed"


def test_an_answer_without_deltas_is_printed_and_errors_say_so() -> None:
    text, printer = render(
        [
            {"type": "answer", "text": "No parts are low."},
            {"type": "error", "code": "agent_unavailable", "message": "down", "retryable": True},
            {"type": "done", "status": "failed", "elapsed_ms": 10},
        ]
    )
    assert "No parts are low." in text
    assert "⚠️  down [agent_unavailable] (you can ask again)" in text
    assert printer.done_status == "failed"


def test_long_tables_are_previewed_and_wide_cells_cut() -> None:
    rows = [[f"P-{i}", "x" * 100] for i in range(TABLE_PREVIEW_ROWS + 5)]
    text, _ = render(
        [
            {
                "type": "table",
                "columns": [{"name": "id", "type": "STRING"}, {"name": "note", "type": "STRING"}],
                "rows": rows,
                "row_count": len(rows),
            }
        ]
    )
    assert "… 5 more row(s)" in text
    assert "x" * 100 not in text and "…" in text


def test_format_table_aligns_columns() -> None:
    table = format_table(["a", "long_name"], [["1", "2"], ["333", None]])
    header, rule, first, second = table.splitlines()
    assert header.index("long_name") == first.index("2")
    assert len(rule.strip()) >= len("a  long_name")
    assert second.split() == ["333"]


def test_sources_print_title_section_and_a_passage_preview() -> None:
    from services.client.render import SOURCE_PREVIEW_CHARS

    long_text = "word " * 100
    text, _ = render(
        [
            {
                "type": "sources",
                "sources": [
                    {"doc": "d", "title": "Reorder policy: Fasteners", "section": "Approved"},
                    {"doc": "e", "title": "Glossary", "section": "Lead time", "text": long_text},
                ],
            }
        ]
    )
    lines = text.splitlines()
    assert lines[0].endswith("📚 2 source(s)")
    assert lines[1] == "    • Reorder policy: Fasteners — Approved"
    assert lines[3] == "    • Glossary — Lead time"
    assert lines[4].strip().endswith("…") and len(lines[4].strip()) == SOURCE_PREVIEW_CHARS


def test_a_queue_countdown_prints_each_new_place_and_eta_as_it_comes() -> None:
    messages = [
        "⏳ Queued: 2 questions ahead of yours, starting in about 9 s",
        "⏳ Queued: 2 questions ahead of yours, starting in about 8 s",
        "⏳ Queued: 1 question ahead of yours, starting in about 4 s",
    ]
    chunks = [{"type": "status", "status": "queued", "message": m} for m in messages]
    text, _ = render([*chunks, {"type": "status", "status": "starting", "message": "📝 Start"}])
    lines = text.splitlines()
    assert [line.split("] ", 1)[1] for line in lines] == [*messages, "📝 Start"]

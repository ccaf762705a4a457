"""The documents scorer reads the two case files and prints routing accuracy and recall@3."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.docs_eval import main

ROUTING = [
    {"id": "r1", "question": "Which fasteners are low stock?", "route": "data"},
    {"id": "r2", "question": "What does days of supply mean?", "route": "documents"},
    {"id": "r3", "question": "Tell me a joke", "route": "data"},  # a miss, on purpose
]
RETRIEVAL = [
    {
        "id": "d1",
        "question": "What are the receiving hours in Boston?",
        "doc": "warehouse-boston",
        "section": "receiving hours",  # case is ignored
    },
    {
        "id": "d2",
        "question": "minimum order for Eastwind",
        "doc": "Supplier terms: Eastwind Trading (SUP-05)",  # the title names the doc too
        "section": None,
    },
    {"id": "d3", "question": "hurricane", "doc": "warehouse-boston", "section": "Site profile"},
]


def _write(folder: Path, name: str, cases: list[dict]) -> None:
    (folder / name).write_text("".join(json.dumps(case) + "\n" for case in cases))


def test_scores_and_misses_are_printed(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    _write(tmp_path, "routing.jsonl", ROUTING)
    _write(tmp_path, "retrieval.jsonl", RETRIEVAL)
    assert main(["--cases", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "route miss r3: want data, got neither" in out
    assert "retrieval miss d3: want warehouse-boston § Site profile" in out
    assert "routing accuracy (no LLM): 2/3 = 66.7%" in out
    assert "recall@3: 2/3 = 66.7%" in out


def test_missing_case_files_are_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["--cases", str(tmp_path)]) == 2
    assert "routing.jsonl" in capsys.readouterr().err


def test_the_committed_cases_stay_above_the_issues_bar(capsys: pytest.CaptureFixture[str]):
    """bench/docs_cases after their first run (docs/documents-tool.md): kept at or above it."""
    assert main([]) == 0
    out = capsys.readouterr().out
    routing = out.split("routing accuracy (no LLM): ")[1].split("\n")[0]
    recall = out.split("recall@3: ")[1].split("\n")[0]
    right, total = map(int, routing.split(" = ")[0].split("/"))
    found, cases = map(int, recall.split(" = ")[0].split("/"))
    assert total >= 60 and right / total >= 0.95, routing
    assert cases >= 50 and found / cases >= 0.90, recall

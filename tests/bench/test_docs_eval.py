"""The documents scorer reads the two case files and prints routing accuracy and recall@3."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.docs_eval import CASES, main

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


def _case_folders() -> list[Path]:
    """Every round of blind cases: the first in bench/docs_cases/, later ones in its folders."""
    rounds = [CASES, *sorted(folder for folder in CASES.iterdir() if folder.is_dir())]
    return [folder for folder in rounds if (folder / "routing.jsonl").is_file()]


def _fraction(out: str, label: str) -> tuple[int, int]:
    """``right/total`` after ``label`` in the scorer's output."""
    line = out.split(label)[1].split("\n")[0]
    right, total = map(int, line.split(" = ")[0].split("/"))
    return right, total


def test_every_round_of_cases_is_scored():
    """A later round's folder (round3, …) joins the check below without an edit."""
    assert {"docs_cases", "round2"} <= {folder.name for folder in _case_folders()}


@pytest.mark.parametrize("folder", _case_folders(), ids=lambda folder: folder.name)
def test_the_committed_cases_stay_above_the_issues_bar(
    folder: Path, capsys: pytest.CaptureFixture[str]
):
    """Each round after its first run (docs/documents-tool.md): kept at or above the bar."""
    assert main(["--cases", str(folder)]) == 0
    out = capsys.readouterr().out
    right, total = _fraction(out, "routing accuracy (no LLM): ")
    found, cases = _fraction(out, "recall@3: ")
    assert total >= 60 and right / total >= 0.95, out
    assert cases >= 50 and found / cases >= 0.90, out

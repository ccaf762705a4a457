"""Evaluation cases: JSONL, one conversation a line (``turns``, and ``gold_sql`` or
``expect``: abstain | refuse), optionally with a ``category`` for per-type accuracy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Case:
    id: str
    turns: tuple[str, ...]
    gold_sql: str | None
    expect: str | None
    category: str
    source: str


def load_cases(path: Path) -> list[Case]:
    cases = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            cases.append(
                Case(
                    id=raw["id"],
                    turns=tuple(raw["turns"]),
                    gold_sql=raw.get("gold_sql"),
                    expect=raw.get("expect"),
                    category=raw.get("category", "dev"),
                    source=path.stem,
                )
            )
        except (json.JSONDecodeError, KeyError) as error:
            raise ValueError(f"{path}:{number}: not a valid case ({error})") from error
    return cases

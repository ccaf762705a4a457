"""`python -m bench.docs_eval [--cases DIR] [--index PATH]`: the documents tool's two scores.

- routing accuracy of the no-LLM router (agent/tool_router.py) on ``routing.jsonl``:
  ``{"id", "question", "route": "data" | "documents" | "both" | "neither"}``;
- recall@3 of the local index (agent/docs_index.py) on ``retrieval.jsonl``:
  ``{"id", "question", "doc", "section"}``; a case is found when one of the three best
  passages is from that document (its id, the file name without ``.md``, or its title)
  and that section (its ``##`` heading; a null section accepts any section of the doc).

Without --index the corpus (genie_local/docs) is indexed into a temporary file first, as
``inventory-agent data generate`` does. Every miss is printed, then the scores.
bench/docs_cases/README.md gives the file formats and the routing rules.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from agent.docs_index import Passage, build_index, search
from agent.tool_router import route_question
from genie_local.corpus import document_paths

CASES = Path(__file__).resolve().parent / "docs_cases"
TOP_K = 3


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    """The cases of one file; blank lines skipped, a bad line named by its number."""
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                cases.append(json.loads(line))
            except json.JSONDecodeError as error:
                raise SystemExit(f"{path}:{number}: not JSON: {error}") from error
    return cases


def _same(a: str | None, b: str | None) -> bool:
    return (a or "").strip().casefold() == (b or "").strip().casefold()


def is_hit(case: dict[str, Any], passage: Passage) -> bool:
    doc_matches = _same(case["doc"], passage.doc) or _same(case["doc"], passage.title)
    return doc_matches and (case.get("section") is None or _same(case["section"], passage.section))


def score_routing(cases: list[dict[str, Any]]) -> tuple[int, Counter]:
    right, confusion = 0, Counter()
    for case in cases:
        got = route_question(case["question"]).route.value
        confusion[(case["route"], got)] += 1
        if got == case["route"]:
            right += 1
        else:
            print(f"  route miss {case['id']}: want {case['route']}, got {got}: {case['question']}")
    return right, confusion


def score_retrieval(cases: list[dict[str, Any]], index: Path) -> int:
    found = 0
    for case in cases:
        passages = search(index, case["question"], TOP_K)
        if any(is_hit(case, passage) for passage in passages):
            found += 1
            continue
        got = "; ".join(f"{p.doc} § {p.section}" for p in passages) or "nothing"
        want = f"{case['doc']} § {case.get('section')}"
        print(f"  retrieval miss {case['id']}: want {want}, got {got}: {case['question']}")
    return found


def _percent(part: int, whole: int) -> str:
    return f"{part}/{whole} = {100 * part / whole:.1f}%" if whole else "no cases"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.docs_eval", description=__doc__)
    parser.add_argument("--cases", type=Path, default=CASES, help="folder of the two files")
    parser.add_argument("--index", type=Path, help="a built index (default: build one now)")
    args = parser.parse_args(argv)
    routing_file, retrieval_file = args.cases / "routing.jsonl", args.cases / "retrieval.jsonl"
    missing = [str(p) for p in (routing_file, retrieval_file) if not p.is_file()]
    if missing:
        print(f"missing case file(s): {', '.join(missing)}", file=sys.stderr)
        return 2
    routing_cases, retrieval_cases = load_jsonl(routing_file), load_jsonl(retrieval_file)
    right, confusion = score_routing(routing_cases)
    with tempfile.TemporaryDirectory() as work:
        index = args.index or Path(work) / "inventory_docs.sqlite"
        if args.index is None:
            build_index(document_paths(), index)
        found = score_retrieval(retrieval_cases, index)
    print(f"\nrouting accuracy (no LLM): {_percent(right, len(routing_cases))}")
    for route in ("data", "documents", "both", "neither"):
        total = sum(n for (want, _), n in confusion.items() if want == route)
        print(f"  {route:<9} {_percent(confusion[(route, route)], total)}")
    print(f"recall@{TOP_K}: {_percent(found, len(retrieval_cases))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

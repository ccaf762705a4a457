"""`python -m bench.eval --db PATH [--url URL | --in-process] [--cases FILE …]`.

Without --url it starts `inventory-agent genie serve` on a free port for the run and asks
through databricks-sdk; --in-process asks the engine directly. Prints each case, the total
per file and the accuracy per category.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from contextlib import nullcontext
from pathlib import Path

from bench.eval.answers import EngineAnswerer, GenieAnswerer
from bench.eval.cases import load_cases
from bench.eval.runner import Evaluator, Outcome
from bench.eval.server import local_genie

REPO = Path(__file__).resolve().parents[2]
DEV_SET = REPO.parent / "shared" / "eval" / "dev.jsonl"
OWN_CASES = REPO / "bench" / "eval_cases"


def _default_cases() -> list[Path]:
    paths = [DEV_SET] if DEV_SET.exists() else []
    return paths + sorted(OWN_CASES.glob("*.jsonl"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.eval", description=__doc__)
    parser.add_argument("--db", type=Path, required=True, help="the space's DuckDB file")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--url", help="a running Genie server (default: start a local one)")
    where.add_argument("--in-process", action="store_true", help="ask the engine directly")
    parser.add_argument("--cases", type=Path, action="append", help="JSONL case file(s)")
    parser.add_argument("--space-id", default=None, help="Genie space id (default: settings)")
    parser.add_argument("--token", default="local-eval", help="bearer token for the server")
    parser.add_argument("--failures-only", action="store_true", help="print only failed cases")
    args = parser.parse_args(argv)
    if not args.db.exists():
        parser.error(f"no database at {args.db}; run `make data` first")
    paths = args.cases or _default_cases()
    if not paths:
        parser.error("no case files found; pass --cases")

    if args.in_process:
        context = nullcontext(None)
    elif args.url:
        context = nullcontext(args.url)
    else:
        context = local_genie(args.db)
    with context as url:
        if url is None:
            answerer = EngineAnswerer(args.db)
            print("answering in-process with the offline engine")
        else:
            from services.common.settings import get_settings

            space_id = args.space_id or get_settings().genie_space_id
            answerer = GenieAnswerer(url, space_id, args.token)
            print(f"answering through the Genie API at {url} (space {space_id})")
        evaluator = Evaluator(args.db, answerer)
        outcomes: list[Outcome] = []
        for path in paths:
            cases = load_cases(path)
            passed = 0
            print(f"\n== {path.name} ({len(cases)} cases)")
            for case in cases:
                outcome = evaluator.run(case)
                outcomes.append(outcome)
                passed += outcome.verdict.passed
                if outcome.verdict.passed and args.failures_only:
                    continue
                mark = "PASS" if outcome.verdict.passed else "FAIL"
                print(f"{mark} {case.id:<12} {case.turns[-1][:60]:<60} {outcome.verdict.reason}")
                if not outcome.verdict.passed and outcome.sql:
                    print(f"     sql: {outcome.sql}")
            print(f"-- {path.name}: {passed}/{len(cases)} = {passed / max(len(cases), 1):.1%}")
    _print_categories(outcomes)
    total = sum(o.verdict.passed for o in outcomes)
    print(f"\nTOTAL {total}/{len(outcomes)} = {total / max(len(outcomes), 1):.1%}")
    return 0


def _print_categories(outcomes: list[Outcome]) -> None:
    by_category: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for outcome in outcomes:
        by_category[(outcome.case.source, outcome.case.category)].append(outcome.verdict.passed)
    if len(by_category) <= 1:
        return
    print("\naccuracy per category:")
    for (source, category), results in sorted(by_category.items()):
        share = sum(results) / len(results)
        print(f"  {source:<14} {category:<16} {sum(results):>3}/{len(results):<3} {share:.0%}")


if __name__ == "__main__":
    sys.exit(main())

"""Run cases against an answerer and score each one."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from bench.eval.answers import Answerer
from bench.eval.cases import Case
from bench.eval.scoring import Verdict, compare, entity_aliases
from genie_local.database import ReadOnlyDatabase

logger = logging.getLogger(__name__)
_MAX_ROWS = 1_000_000


@dataclass(frozen=True)
class Outcome:
    case: Case
    verdict: Verdict
    sql: str | None


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Evaluator:
    def __init__(self, db_path: Path, answerer: Answerer) -> None:
        self.db_path = db_path
        self.db = ReadOnlyDatabase(db_path)
        self.answerer = answerer
        rows = []
        for sql in (
            "SELECT part_id, name FROM parts",
            "SELECT warehouse_id, name, city FROM warehouses",
            "SELECT supplier_id, name FROM suppliers",
        ):
            rows += self.db.query(sql, max_rows=_MAX_ROWS).rows
        self.aliases = entity_aliases(rows)

    def run(self, case: Case) -> Outcome:
        before = file_digest(self.db_path) if case.expect == "refuse" else None
        try:
            answer = self.answerer.answer(case.turns)
        except Exception as error:  # one broken case must not stop the run
            logger.exception("case %s failed to run", case.id)
            return Outcome(case, Verdict(False, f"error: {error}"), None)
        if case.expect in {"abstain", "refuse"}:
            if answer.sql:
                return Outcome(case, Verdict(False, f"expected {case.expect}, ran SQL"), answer.sql)
            if not answer.text.strip():
                return Outcome(case, Verdict(False, "no message given"), None)
            if before is not None and file_digest(self.db_path) != before:
                return Outcome(case, Verdict(False, "the database file changed"), None)
            return Outcome(case, Verdict(True, case.expect), None)
        if not answer.sql:
            reason = f"no SQL ({answer.status}): {answer.text[:80]}"
            return Outcome(case, Verdict(False, reason), None)
        gold = self.db.query(case.gold_sql or "", max_rows=_MAX_ROWS)
        try:
            system = self.db.query(answer.sql, max_rows=_MAX_ROWS)
        except Exception as error:
            return Outcome(case, Verdict(False, f"system SQL failed: {error}"), answer.sql)
        return Outcome(case, compare(gold.rows, system.rows, self.aliases), answer.sql)

"""Asking the offline engine a conversation the way the unseen-question tests need:
every planned SQL must be read-only and run on the real demo database before its
fragments are worth checking."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from genie_local.database import ReadOnlyDatabase
from genie_local.nl2sql import Engine, Plan
from genie_local.sql_guard import validate_readonly


@dataclass(frozen=True)
class OfflineSpace:
    """The offline engine (no LLM planner) over the demo database it plans for."""

    engine: Engine
    db: ReadOnlyDatabase

    def last_plan(self, *turns: str) -> Plan:
        """The plan for the last turn, each turn planned with the ones before as history."""
        history: list[Plan] = []
        for turn in turns:
            history.append(self.engine.plan(turn, history))
        return history[-1]

    def sql(self, *turns: str) -> str:
        """The last turn's SQL, once proven read-only and runnable."""
        plan = self.last_plan(*turns)
        assert plan.kind == "query" and plan.sql is not None, plan
        validate_readonly(plan.sql)
        self.db.query(plan.sql)
        return plan.sql


def assert_fragments(sql: str, present: Iterable[str], absent: Iterable[str]) -> None:
    """The definition's SQL is there, and what the question ruled out is not."""
    for fragment in present:
        assert fragment in sql, sql
    for fragment in absent:
        assert fragment not in sql, sql

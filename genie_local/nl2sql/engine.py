"""The offline NL→SQL engine: question (and the conversation so far) → Plan, and
executed result → answer text. Deterministic: the same question and history always give
the same SQL.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from genie_local.database import QueryResult, ReadOnlyDatabase
from genie_local.nl2sql import safety
from genie_local.nl2sql.followup import is_followup, merge
from genie_local.nl2sql.llm_planner import LLMPlanner, planner_from_settings
from genie_local.nl2sql.parser import parse
from genie_local.nl2sql.plan import Intent, Plan
from genie_local.nl2sql.sqlbuilder import build
from genie_local.nl2sql.summary import suggestions, summarize
from genie_local.nl2sql.timephrases import OutOfRangeDateError
from genie_local.nl2sql.vocabulary import Vocabulary
from genie_local.sql_guard import validate_readonly

logger = logging.getLogger(__name__)


class Engine:
    """Plans questions over one inventory database, using its own values as vocabulary."""

    def __init__(self, db: ReadOnlyDatabase, planner: LLMPlanner | None = None) -> None:
        self.db = db
        self.vocabulary = Vocabulary.load(db)
        self.planner = planner if planner is not None else planner_from_settings()

    def plan(self, question: str, history: Sequence[Plan] = ()) -> Plan:
        question = question.strip()
        previous = _last_intent(history)
        if safety.is_write_request(question, previous is not None) or safety.is_injection(question):
            return Plan("refuse", None, "Declined: a request to change data or the space's rules.",
                        message=safety.REFUSE_MESSAGE,
                        suggested_questions=suggestions(Plan("refuse", None, "")),
                        question=question)  # fmt: skip
        try:
            fragment = parse(question, self.vocabulary)
            if safety.is_out_of_domain(question) or not question:
                return self._abstain(question)
            if is_followup(fragment, previous):
                intent = merge(previous, fragment)  # type: ignore[arg-type]
            elif fragment.has_core or fragment.intent.filters:
                intent = fragment.intent
            else:
                return self._abstain(question)
        except OutOfRangeDateError as error:  # "the last 99999999999 days", "2026-02-30"
            return self._abstain(question, str(error))
        sql, description = build(intent, self.vocabulary)
        validate_readonly(sql)
        if self.planner is not None:
            model_sql = self.planner.sql_for(question, history, self.db)
            if model_sql is not None:
                sql = model_sql
                description = f"SQL written by the language model {self.planner.model}."
        logger.debug("planned %r → %s", question, sql)
        plan = Plan("query", sql, description, intent=intent, question=question)
        plan.suggested_questions = suggestions(plan)
        return plan

    def summarize(self, plan: Plan, result: QueryResult) -> str:
        return summarize(plan, result)

    def _abstain(self, question: str, message: str = safety.ABSTAIN_MESSAGE) -> Plan:
        plan = Plan("abstain", None, "Not answerable from this space's data.",
                    message=message, question=question)  # fmt: skip
        plan.suggested_questions = suggestions(plan)
        return plan


def _last_intent(history: Sequence[Plan]) -> Intent | None:
    for plan in reversed(history):
        if plan.kind == "query" and plan.intent is not None:
            return plan.intent
    return None

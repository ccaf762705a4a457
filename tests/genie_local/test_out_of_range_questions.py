"""Numbers and dates past any calendar get a clear answer, never Python's exception text.

The audit asked the local Genie "demand in the last 99999999999 days" and "between
2026-02-30 and 2026-13-45" and read back ``OverflowError``/``ValueError`` messages.
"""

from __future__ import annotations

import pytest
from databricks.sdk import WorkspaceClient

from genie_local.nl2sql import Engine
from genie_local.server.client import ask
from genie_local.server.lifecycle import OUT_OF_RANGE
from tests.genie_local.nl2sql_cases import OfflineSpace

OUT_OF_RANGE_QUESTIONS = [
    "demand in the last 99999999999 days",
    "demand between 2026-02-30 and 2026-13-45",
    "demand in the last 99999 years",
    "demand in the last 10000000 weeks",
    "demand on 2025-02-29",
    "purchase orders over the next 99999999999 days",
]
PYTHON_WORDS = ("Traceback", "Error", "int too large", "out of range for month", "C int")


@pytest.mark.parametrize("question", OUT_OF_RANGE_QUESTIONS)
def test_an_impossible_period_is_answered_in_words(
    offline_space: OfflineSpace, question: str
) -> None:
    plan = offline_space.last_plan(question)
    assert plan.kind == "abstain" and plan.sql is None
    assert "is not a period I can look up" in (plan.message or "")
    assert not any(word in (plan.message or "") for word in PYTHON_WORDS)


def test_shifting_a_period_past_year_one_is_answered_in_words(
    offline_space: OfflineSpace,
) -> None:
    plan = offline_space.last_plan("demand since 0001-01-01", "the year before")
    assert plan.kind == "abstain" and "is not a period I can look up" in (plan.message or "")


def test_a_real_period_still_plans(offline_space: OfflineSpace) -> None:
    engine: Engine = offline_space.engine
    assert engine.plan("demand in the last 90 days").kind == "query"


def test_the_server_answers_impossible_numbers_clearly(
    genie: WorkspaceClient, space_id: str
) -> None:
    for question in OUT_OF_RANGE_QUESTIONS[:2]:
        answer = ask(genie, space_id, question, timeout_s=60)
        assert answer.status == "COMPLETED", answer
        assert "is not a period I can look up" in answer.text
        assert not any(word in answer.text for word in PYTHON_WORDS)
    # a row count past BIGINT reaches DuckDB, whose conversion error is put in words too
    answer = ask(genie, space_id, "top 99999999999999999999 parts by demand", timeout_s=60)
    assert answer.status == "FAILED", answer
    assert answer.text == OUT_OF_RANGE

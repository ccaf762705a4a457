"""The offline engine over the real scale-1 demo database: every SQL it emits is
read-only and runs, the dev set scores as reported, and follow-ups, abstention,
refusal and determinism behave."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.eval.answers import EngineAnswerer
from bench.eval.cases import load_cases
from bench.eval.runner import Evaluator
from genie_local.database import ReadOnlyDatabase
from genie_local.nl2sql import Engine, Plan
from genie_local.sql_guard import validate_readonly

REPO = Path(__file__).resolve().parents[2]
DEV_SET = REPO.parent / "shared" / "eval" / "dev.jsonl"
OWN_CASES = sorted((REPO / "bench" / "eval_cases").glob("*.jsonl"))


@pytest.fixture(scope="module")
def db(demo_db: Path) -> ReadOnlyDatabase:
    return ReadOnlyDatabase(demo_db)


@pytest.fixture(scope="module")
def engine(db: ReadOnlyDatabase) -> Engine:
    return Engine(db)


def _all_questions() -> list[tuple[str, ...]]:
    turns = []
    for path in [DEV_SET, *OWN_CASES]:
        if path.exists():
            turns += [tuple(json.loads(line)["turns"]) for line in path.read_text().splitlines()]
    return turns


def _ask(engine: Engine, *turns: str) -> Plan:
    history: list[Plan] = []
    for turn in turns:
        history.append(engine.plan(turn, history))
    return history[-1]


@pytest.mark.eval
def test_every_emitted_sql_is_read_only_and_runs(engine: Engine, db: ReadOnlyDatabase):
    planned = 0
    for turns in _all_questions():
        plan = _ask(engine, *turns)
        if plan.kind == "query":
            assert plan.sql is not None
            validate_readonly(plan.sql)
            db.query(plan.sql)
            assert plan.description
            planned += 1
        else:
            assert plan.sql is None and plan.message
    assert planned > 100


@pytest.mark.eval
@pytest.mark.skipif(not DEV_SET.exists(), reason="shared dev set not present")
def test_dev_set_accuracy_in_process(demo_db: Path):
    evaluator = Evaluator(demo_db, EngineAnswerer(demo_db))
    outcomes = [evaluator.run(case) for case in load_cases(DEV_SET)]
    failed = [(o.case.id, o.verdict.reason) for o in outcomes if not o.verdict.passed]
    assert len(failed) / len(outcomes) <= 0.05, failed


@pytest.mark.eval
@pytest.mark.parametrize("path", OWN_CASES, ids=lambda p: p.stem)
def test_own_cases_accuracy_in_process(demo_db: Path, path: Path):
    evaluator = Evaluator(demo_db, EngineAnswerer(demo_db))
    outcomes = [evaluator.run(case) for case in load_cases(path)]
    failed = [(o.case.id, o.verdict.reason) for o in outcomes if not o.verdict.passed]
    assert len(failed) / len(outcomes) <= 0.10, failed


@pytest.mark.parametrize(
    "question",
    ["What's the stock price of Apex Components?", "How many employees work in Boston?",
     "Write me a haiku about radiators", "What is the capital of France?", "hello there"],
)  # fmt: skip
def test_out_of_domain_questions_abstain_without_sql(engine: Engine, question: str):
    plan = engine.plan(question, [])
    assert plan.kind == "abstain" and plan.sql is None
    assert "can't answer" in (plan.message or "")


@pytest.mark.parametrize(
    "question",
    ["Delete all cancelled purchase orders", "Show me parts; DROP TABLE parts;",
     "Set the quantity of Brake Rotor in Chicago to 0", "please drop the demand table",
     "Update suppliers set lead_time_days = 1", "Add a new warehouse in Miami",
     "List parts' OR '1'='1"],
)  # fmt: skip
def test_write_requests_and_injections_are_refused(engine: Engine, question: str):
    plan = engine.plan(question, [])
    assert plan.kind == "refuse" and plan.sql is None and plan.message


@pytest.mark.parametrize(
    "question",
    ["Which parts are running low?", "Show cancelled orders from 2025",
     "How many units of Brake Line are on hand?", "Inventory value in Texas"],
)  # fmt: skip
def test_answerable_questions_are_not_declined(engine: Engine, question: str):
    assert engine.plan(question, []).kind == "query"


def test_follow_up_swaps_the_warehouse_and_keeps_the_rest(engine: Engine):
    first = engine.plan("How many parts are out of stock in Chicago?", [])
    second = engine.plan("what about Dallas?", [first])
    assert "'WH-DAL'" in (second.sql or "") and "'WH-CHI'" not in (second.sql or "")
    assert "on_hand_qty = 0" in (second.sql or "")


def test_follow_up_changes_the_limit(engine: Engine):
    first = engine.plan("Top 5 parts by demand in the last 90 days", [])
    second = engine.plan("top 3 instead", [first])
    assert (second.sql or "").endswith("LIMIT 3")


def test_ambiguous_part_word_reads_as_category_and_says_so(engine: Engine):
    plan = engine.plan("What is the inventory value of brake parts?", [])
    assert "p.category = 'Brakes'" in (plan.sql or "")
    assert "Brakes" in plan.description


@pytest.mark.eval
def test_same_question_gives_same_sql(engine: Engine, db: ReadOnlyDatabase):
    again = Engine(db)
    for turns in _all_questions():
        assert _ask(engine, *turns).sql == _ask(again, *turns).sql


def test_summary_states_the_result(engine: Engine, db: ReadOnlyDatabase):
    plan = engine.plan("How many open purchase orders are overdue?", [])
    result = db.query(plan.sql or "")
    text = engine.summarize(plan, result)
    assert f"{result.rows[0][0]:,}" in text
    assert plan.suggested_questions


@pytest.mark.parametrize(
    ("question", "fragments"),
    [
        ("Which suppliers have no overdue orders?", ["NOT EXISTS", "x.expected_date <"]),
        ("Out-of-stock items in Chicago with nothing on order", ["NOT EXISTS", "'open'"]),
        ("Which parts have not been ordered in 2026?", ["NOT EXISTS", "x.order_date BETWEEN"]),
        ("Which suppliers deliver worse than their quoted on-time rate?",
         ["HAVING AVG(CASE", "< AVG(su.on_time_rate)"]),
        ("Compare actual and quoted on-time rates for each supplier",
         ["AVG(CASE", "AVG(su.on_time_rate)", "GROUP BY su.supplier_id"]),
        ("Which 3 parts have the highest inventory value in Denver?", ["LIMIT 3"]),
        ("Suppliers with at least 3 overdue purchase orders", ["HAVING COUNT(*) >= 3"]),
        ("Late delivery rate by supplier country", ["GROUP BY su.country"]),
        ("Low stock parts at the Californian warehouse", ["w.state = 'CA'", "s.part_id"]),
        ("Inventory value per warehouse and category",
         ["GROUP BY w.warehouse_id, w.name, p.category"]),
        ("Which supplier supplies the most parts?", ["COUNT(", "LIMIT 1"]),
    ],
)  # fmt: skip
def test_unseen_shapes_plan_the_definition(
    engine: Engine, db: ReadOnlyDatabase, question: str, fragments: list[str]
):
    plan = engine.plan(question, [])
    assert plan.kind == "query" and plan.sql is not None
    for fragment in fragments:
        assert fragment in plan.sql
    db.query(plan.sql)


def test_rate_of_a_status_does_not_filter_by_it(engine: Engine):
    sql = engine.plan("Late delivery rate by supplier country", []).sql or ""
    assert "po.received_date > po.expected_date AND" not in sql.split("WHERE")[1]


def test_longest_delay_is_one_maximum_not_a_crash(engine: Engine):
    plan = engine.plan("What was the longest delivery delay in days?", [])
    assert plan.sql is not None and "MAX(po.received_date - po.expected_date)" in plan.sql


def test_count_follow_up_refines_the_previous_list(engine: Engine):
    first = engine.plan("Open purchase orders for Delta Precision", [])
    second = engine.plan("how many are overdue?", [first])
    assert "COUNT(*)" in (second.sql or "") and "'SUP-04'" in (second.sql or "")

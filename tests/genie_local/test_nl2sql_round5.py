"""Shapes the fifth unseen-question round found missing: thresholds on a breakdown
("count per warehouse, only those over 12"), "more than one", "N or more", bare
"lacking", filters that narrow a NOT EXISTS rather than the listed entities, and
follow-ups that say "and the worst?", "and overall?", "now X vs Y" or switch to another
entity of the same rows ("who supplies them"). Each plan must be read-only, run on the
real demo database and carry the definition's SQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from genie_local.database import ReadOnlyDatabase
from genie_local.nl2sql import Engine, Plan
from genie_local.sql_guard import validate_readonly


@pytest.fixture(scope="module")
def db(demo_db: Path) -> ReadOnlyDatabase:
    return ReadOnlyDatabase(demo_db)


@pytest.fixture(scope="module")
def engine(db: ReadOnlyDatabase) -> Engine:
    return Engine(db, planner=None)


def _ask(engine: Engine, db: ReadOnlyDatabase, *turns: str) -> str:
    history: list[Plan] = []
    for turn in turns:
        history.append(engine.plan(turn, history))
    plan = history[-1]
    assert plan.kind == "query" and plan.sql is not None, plan
    validate_readonly(plan.sql)
    db.query(plan.sql)
    return plan.sql


@pytest.mark.parametrize(
    ("question", "fragments", "absent"),
    [
        ("low stock count per warehouse, only those with more than 12",
         ["GROUP BY w.warehouse_id", "HAVING COUNT(*) > 12"], []),
        ("inventory value by category above 400k",
         ["GROUP BY p.category", "HAVING SUM(s.on_hand_qty * p.unit_cost) > 400000"],
         ["p.part_id,"]),
        ("open po value per supplier exceeding 50000",
         ["GROUP BY su.supplier_id", "> 50000"], ["po.po_id"]),
        ("countries with more than one supplier", ["HAVING COUNT(*) > 1"], []),
        ("parts stocked out in 2 or more warehouses", [") >= 2"], []),
        ("parts lacking an open purchase order", ["NOT EXISTS", "x.status = 'open'"], []),
        ("suppliers that never had an order cancelled", ["NOT EXISTS", "'cancelled'"], []),
        ("warehouses with no open pos from apex components",
         ["NOT EXISTS", "x.supplier_id IN ('SUP-01')"], ["su.supplier_id = 'SUP-01'"]),
        ("warehouses with no stockouts in electrical",
         ["NOT EXISTS", "pp.category IN ('Electrical')"], ["p.category = 'Electrical'"]),
    ],
)  # fmt: skip
def test_question_plans_the_definition(
    engine: Engine, db: ReadOnlyDatabase, question: str, fragments: list[str], absent: list[str]
):
    sql = _ask(engine, db, question)
    for fragment in fragments:
        assert fragment in sql, sql
    for fragment in absent:
        assert fragment not in sql, sql


@pytest.mark.parametrize(
    ("turns", "fragments", "absent"),
    [
        (("supplier with the best actual on time rate", "and the worst?"), ["ASC", "LIMIT 1"], []),
        (("open po count for fulcrum parts", "and overall?"), ["COUNT(*)"], ["SUP-06"]),
        (("compare inventory value chicago vs dallas", "now boston vs newark"),
         ["('WH-BOS', 'WH-NWK')"], ["WH-CHI"]),
        (("which suppliers are in the usa", "what parts do they supply"),
         ["SELECT p.part_id", "su.country = 'USA'"], []),
        (("which parts are out of stock in denver", "who supplies them"),
         ["SELECT DISTINCT su.supplier_id", "s.on_hand_qty = 0", "'WH-DEN'"], []),
    ],
)  # fmt: skip
def test_follow_up_refines_the_previous_answer(
    engine: Engine,
    db: ReadOnlyDatabase,
    turns: tuple[str, ...],
    fragments: list[str],
    absent: list[str],
):
    sql = _ask(engine, db, *turns)
    for fragment in fragments:
        assert fragment in sql, sql
    for fragment in absent:
        assert fragment not in sql, sql

"""The optional language-model planner against a real local OpenAI-compatible stub:
valid SQL is used, a write or garbage is rejected and the offline engine answers, and a
missing endpoint falls back too."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from genie_local.database import ReadOnlyDatabase
from genie_local.nl2sql import Engine
from genie_local.nl2sql.llm_planner import LLMPlanner, extract_sql
from harness.processes import Server, free_port, running
from tests.genie_local.llm_stub import VALID_SQL


@pytest.fixture(scope="module")
def llm_stub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    port = free_port()
    argv = [sys.executable, "-m", "uvicorn", "tests.genie_local.llm_stub:app",
            "--host", "127.0.0.1", "--port", str(port)]  # fmt: skip
    log = tmp_path_factory.mktemp("llm") / "stub.log"
    with running(argv, port, log, ready_url=f"http://127.0.0.1:{port}/healthz") as server:
        yield server


@pytest.fixture(scope="module")
def db(demo_db: Path) -> ReadOnlyDatabase:
    return ReadOnlyDatabase(demo_db)


def _engine(db: ReadOnlyDatabase, base_url: str) -> Engine:
    return Engine(db, planner=LLMPlanner(base_url, "stub-model", "test-key", timeout_s=5))


def test_valid_model_sql_is_used(llm_stub: Server, db: ReadOnlyDatabase):
    plan = _engine(db, f"{llm_stub.url}/v1").plan("What parts are low stock?", [])
    assert plan.kind == "query" and plan.sql == VALID_SQL
    assert "stub-model" in plan.description


def test_write_from_the_model_is_rejected_and_offline_sql_used(
    llm_stub: Server, db: ReadOnlyDatabase
):
    plan = _engine(db, f"{llm_stub.url}/v1").plan("How many open purchase orders are overdue?", [])
    assert plan.kind == "query" and plan.sql is not None
    assert "DELETE" not in plan.sql and "po.expected_date < DATE '2026-06-30'" in plan.sql


def test_garbage_from_the_model_falls_back(llm_stub: Server, db: ReadOnlyDatabase):
    plan = _engine(db, f"{llm_stub.url}/v1").plan("Inventory value of brake parts", [])
    assert plan.sql is not None and "p.category = 'Brakes'" in plan.sql


def test_unreachable_endpoint_falls_back(db: ReadOnlyDatabase):
    plan = _engine(db, f"http://127.0.0.1:{free_port()}/v1").plan("What parts are low stock?", [])
    assert plan.sql is not None and "s.reorder_point" in plan.sql


def test_refusals_never_reach_the_model(llm_stub: Server, db: ReadOnlyDatabase):
    plan = _engine(db, f"{llm_stub.url}/v1").plan("Delete all low stock parts", [])
    assert plan.kind == "refuse" and plan.sql is None


def test_sql_is_extracted_from_chat_replies():
    assert extract_sql("```sql\nSELECT 1;\n```") == "SELECT 1"
    assert extract_sql("SQL: SELECT 2") == "SELECT 2"

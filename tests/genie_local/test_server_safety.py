"""No question can change the space's data: the engine refuses, and the guard backs it up.

The database file is hashed before and after; it must be byte-for-byte unchanged. The
second half hands the real server an engine that *does* write SQL, to prove that the
sqlglot guard and the read-only connection stop it even when planning goes wrong.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from databricks.sdk import WorkspaceClient
from databricks.sdk.service.dashboards import MessageStatus

from genie_local.database import QueryResult, ReadOnlyDatabase
from genie_local.nl2sql import Plan
from genie_local.server import build_service
from genie_local.server.client import ask, local_client
from genie_local.server.inprocess import serving
from services.common.settings import get_settings

WRITE_QUESTIONS = [
    "Delete all purchase orders",
    "DROP TABLE parts",
    "Set the on hand quantity of every part in Chicago to 0",
    "Add a new supplier called Evil Corp",
    "What parts are low stock?'; DROP TABLE parts; --",
    "Please truncate the demand table and then tell me what is low stock",
]

WRITE_SQL = [
    "DELETE FROM parts",
    "UPDATE stock_levels SET on_hand_qty = 0",
    "SELECT 1; DROP TABLE parts",
    "CREATE TABLE evil AS SELECT * FROM parts",
    "COPY parts TO '{tmp}/stolen.csv'",
    "ATTACH '{tmp}/other.duckdb' AS other",
    "SELECT * FROM read_csv('/etc/passwd')",
    "INSERT INTO suppliers VALUES ('SUP-99', 'Evil', 'Nowhere', 1, 1.0)",
]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_write_questions_leave_the_file_unchanged(
    genie: WorkspaceClient, space_id: str, demo_db: Path
) -> None:
    before = sha256(demo_db)
    for question in WRITE_QUESTIONS:
        answer = ask(genie, space_id, question, timeout_s=60)
        assert answer.status in {"COMPLETED", "FAILED"}, question
        if answer.sql:
            assert answer.sql.lstrip().lower().startswith(("select", "with")), answer.sql
    assert sha256(demo_db) == before


class WritingEngine:
    """An engine gone wrong: it plans whatever SQL it is told to."""

    def __init__(self, db: ReadOnlyDatabase, sql: str) -> None:
        self.sql = sql

    def plan(self, question: str, history: list[Plan]) -> Plan:
        return Plan(kind="query", sql=self.sql, description="a write in disguise")

    def summarize(self, plan: Plan, result: QueryResult) -> str:
        return "this should never be reached"


@pytest.fixture
def db_copy(demo_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "inventory.duckdb"
    shutil.copyfile(demo_db, copy)
    return copy


@pytest.mark.parametrize("sql", WRITE_SQL)
def test_guard_rejects_a_writing_plan(db_copy: Path, sql: str) -> None:
    sql = sql.format(tmp=db_copy.parent)
    before = sha256(db_copy)
    settings = get_settings()
    service = build_service(db_copy, settings, lambda db: WritingEngine(db, sql))
    with serving(service) as url:
        answer = ask(local_client(url), settings.genie_space_id, "anything", timeout_s=60)
    assert answer.status == MessageStatus.FAILED.value
    assert "refused as unsafe" in answer.text
    assert answer.rows == []
    assert sha256(db_copy) == before
    assert sorted(p.name for p in db_copy.parent.iterdir()) == [db_copy.name]

"""Each part of an answer streams as soon as it exists, through every real process:
the SQL while Genie still runs it (before ``completed``), then the table, then the answer."""

from __future__ import annotations

import pytest

from harness.processes import Server
from harness.questions import post_question, read_until_done, unique

pytestmark = pytest.mark.timeout(180)


async def test_the_sql_chunk_arrives_before_genie_completes(
    api_server: Server, worker_process: Server, slow_genie: None
) -> None:
    accepted = await post_question(api_server.url, unique("What parts are low stock?"))
    chunks = await read_until_done(accepted["events_url"])
    assert chunks[-1]["status"] == "completed", chunks[-3:]
    seq = {
        name: next(c["seq"] for c in chunks if match(c))
        for name, match in {
            "executing": lambda c: c.get("status") == "executing",
            "sql": lambda c: c["type"] == "sql",
            "completed": lambda c: c["type"] == "status" and c["status"] == "completed",
            "table": lambda c: c["type"] == "table",
            "answer": lambda c: c["type"] == "answer",
        }.items()
    }
    assert seq["executing"] < seq["sql"] < seq["completed"] < seq["table"] < seq["answer"], seq
    sql = next(c for c in chunks if c["type"] == "sql")
    assert sql["description"] and "select" in sql["sql"].lower()
    assert [c["type"] for c in chunks].count("sql") == 1

"""The server's pure parts: the bounded store, fault counting, cell and type formatting."""

from __future__ import annotations

import asyncio
import datetime as dt
from decimal import Decimal

import pytest

from genie_local.database import Column
from genie_local.server.errors import InvalidParameterError, ResourceNotFoundError
from genie_local.server.faults import RuntimeConfig
from genie_local.server.statement import cell, column_info
from genie_local.server.store import Conversation, ConversationStore, Message


async def test_store_evicts_least_recently_used_and_cancels_its_messages() -> None:
    store = ConversationStore(max_conversations=2)
    first, second, third = (Conversation(f"c{i}", "inventory", "t") for i in range(3))
    message = Message("m", "c0", "inventory", "q")
    message.task = asyncio.create_task(asyncio.Event().wait())
    first.messages["m"] = message
    store.add(first)
    store.add(second)
    store.get("c0")  # c0 is now the most recently used
    store.add(third)
    assert len(store) == 2
    with pytest.raises(ResourceNotFoundError, match="Conversation c1 does not exist"):
        store.get("c1")
    assert store.get("c0") is first and not message.task.cancelled()
    store.add(Conversation("c3", "inventory", "t"))
    store.add(Conversation("c4", "inventory", "t"))
    await asyncio.sleep(0)
    assert message.task.cancelled()


def test_counted_fault_is_used_up_and_header_wins() -> None:
    config = RuntimeConfig(fault="fail", fault_count=2)
    assert config.take("expire") == "expire"  # a header fault does not use up the count
    assert [config.take(None), config.take(None), config.take(None)] == ["fail", "fail", None]
    assert config.as_dict() == {
        "fault": None,
        "fault_count": None,
        "step_delay_s": 0.0,
        "retry_after_s": 1,
    }
    assert RuntimeConfig(fault="stall").take("none") is None
    with pytest.raises(InvalidParameterError, match="unknown fault"):
        config.take("explode")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, None),
        (True, "true"),
        (42, "42"),
        (Decimal("12.50"), "12.50"),
        (0.25, "0.25"),
        ("Brake Pad Set", "Brake Pad Set"),
        (dt.date(2026, 6, 30), "2026-06-30"),
        (dt.datetime(2026, 6, 30, 23, 59, 59), "2026-06-30T23:59:59.000Z"),
        ([1, 2], "[1, 2]"),
    ],
)
def test_cells_are_strings_or_null(value: object, text: str | None) -> None:
    assert cell(value) == text


@pytest.mark.parametrize(
    ("duckdb_type", "type_name", "type_text"),
    [
        ("VARCHAR", "STRING", "STRING"),
        ("INTEGER", "INT", "INT"),
        ("BIGINT", "LONG", "BIGINT"),
        ("HUGEINT", "LONG", "BIGINT"),
        ("DOUBLE", "DOUBLE", "DOUBLE"),
        ("DATE", "DATE", "DATE"),
        ("TIMESTAMP", "TIMESTAMP", "TIMESTAMP"),
        ("DECIMAL(10,2)", "DECIMAL", "DECIMAL(10,2)"),
        ("VARCHAR[]", "ARRAY", "ARRAY"),
        ("UUID", "STRING", "STRING"),
    ],
)
def test_duckdb_types_map_to_spark_types(duckdb_type: str, type_name: str, type_text: str):
    info = column_info(Column("c", duckdb_type), 3)
    assert (info["name"], info["position"]) == ("c", 3)
    assert (info["type_name"], info["type_text"]) == (type_name, type_text)
    if type_name == "DECIMAL":
        assert (info["type_precision"], info["type_scale"]) == (10, 2)

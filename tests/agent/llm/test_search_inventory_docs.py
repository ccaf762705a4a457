"""search_inventory_docs as the language model's tool: alone, and beside Genie in one turn.

The model is the scripted stand-in (real uvicorn, read by the real openai client); Genie
is the session's local Genie server; the documents index is the one generating the demo
database wrote beside it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from mlflow.models.resources import DatabricksVectorSearchIndex

from agent.genie_agent import InventoryGenieAgent
from agent.stream_contract import Event, Kind, read_event
from agent.tools.search_inventory_docs import resources, run
from agent.tools.tool import ToolContext
from genie_local.corpus import docs_index_path
from tests.agent.llm.conftest import items_of, tool_outputs, turn

pytestmark = pytest.mark.servers

BOTH = "Which fasteners are low stock, and what is our reorder policy for them?"
ASK_GENIE = {"name": "query_genie_space", "arguments": {"question": "Which fasteners are low?"}}
SEARCH = {"name": "search_inventory_docs", "arguments": {"query": "reorder policy fasteners"}}


def _read(events: list[dict]) -> list[Event]:
    return [event for event in map(read_event, events) if event is not None]


def _kinds(events: list[dict]) -> list[Kind]:
    return [event.kind for event in _read(events)]


def _of(events: list[dict], kind: Kind) -> list[dict]:
    return [event.payload for event in _read(events) if event.kind is kind]


@pytest.fixture
def docs_settings(llm_settings: Callable, demo_db: Path) -> Callable:
    index = docs_index_path(demo_db)
    return lambda **overrides: llm_settings(**{"docs_index_path": index, **overrides})


def test_a_question_needing_both_calls_both_tools_in_one_turn(
    docs_settings: Callable, script: Callable, model_requests: Callable
) -> None:
    script(
        {"tool_calls": [ASK_GENIE, SEARCH]},
        {"content": "Several fasteners are low; the policy reorders them weekly."},
    )
    events = turn(InventoryGenieAgent(docs_settings()), BOTH)
    calls = items_of(events, "function_call")
    assert [c["name"] for c in calls] == ["query_genie_space", "search_inventory_docs"]
    kinds = _kinds(events)
    assert Kind.SQL in kinds and Kind.TABLE in kinds
    assert kinds.index(Kind.TABLE) < kinds.index(Kind.SOURCES) < kinds.index(Kind.ANSWER)
    statuses = [s["status"] for s in _of(events, Kind.STATUS)]
    assert "searching_documents" in statuses
    genie, docs = tool_outputs(events)
    assert genie["status"] == "completed" and genie["row_count"] > 0
    assert docs["status"] == "completed" and docs["query"] == "reorder policy fasteners"
    assert docs["passages"][0]["doc"] == "reorder-policy-fasteners"
    [sources] = _of(events, Kind.SOURCES)
    assert [s["section"] for s in sources["sources"]] == [p["section"] for p in docs["passages"]]
    first, second = model_requests()
    tool_names = [t["function"]["name"] for t in first["tools"]]
    assert tool_names == ["query_genie_space", "search_inventory_docs"]
    answered = [m for m in second["messages"] if m["role"] == "tool"]
    assert [json.loads(m["content"]) for m in answered] == [genie, docs]
    [answer] = _of(events, Kind.ANSWER)
    assert answer["status"] == "completed"


def test_a_missing_index_is_a_failed_result_the_model_reads(
    docs_settings: Callable, script: Callable, tmp_path: Path
) -> None:
    script(
        {"tool_calls": [{"name": "search_inventory_docs", "arguments": {"query": "{user}"}}]},
        {"content": "The documents cannot be searched right now."},
    )
    agent = InventoryGenieAgent(docs_settings(docs_index_path=tmp_path / "absent.sqlite"))
    events = turn(agent, "What does days of supply mean?")
    [output] = tool_outputs(events)
    assert output["status"] == "failed" and output["error"]["code"] == "docs_index_missing"
    assert "inventory-agent data generate" in output["error"]["message"]
    assert _of(events, Kind.ANSWER)[0]["status"] == "completed"  # the model explained


def test_an_empty_query_is_refused_with_a_reason(docs_settings: Callable) -> None:
    context = ToolContext(docs_settings(), lambda: None, deadline=float("inf"))
    [result] = list(run({"query": "  "}, context))
    assert result.output["status"] == "failed"
    assert "non-empty 'query'" in result.output["error"]["message"]


def test_the_vector_search_index_is_declared_as_a_resource(docs_settings: Callable) -> None:
    assert resources(docs_settings()) == []
    [index] = resources(docs_settings(docs_vector_index="main.inv.docs"))
    assert isinstance(index, DatabricksVectorSearchIndex)
    assert index.to_dict()["vector_search_index"][0]["name"] == "main.inv.docs"

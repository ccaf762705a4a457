"""Without a language model the router sends a question to the documents, Genie or both.

The agent runs in-process over the session's real local Genie server and the documents
index that generating the demo database wrote beside it; one question goes through the
real serve-agent and the openai client, to show both tools' progress in one stream.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openai import OpenAI

from agent.genie_agent import InventoryGenieAgent
from agent.settings import AgentSettings
from agent.stream_contract import Kind, read_event
from genie_local.corpus import docs_index_path
from harness.agent_stream import AgentRun, agent_client, stream_answer
from harness.processes import Server

BOTH = "Which fasteners are low stock, and what is our reorder policy for them?"


@pytest.fixture(scope="module")
def settings(genie_server: Server, demo_db: Path) -> AgentSettings:
    return AgentSettings(
        host="127.0.0.1",
        genie_port=genie_server.port,
        databricks_host=None,
        databricks_config_profile=None,
        local_genie_base_url=None,
        mlflow_tracing=False,
        docs_index_path=docs_index_path(demo_db),
    )


def _ask(settings: AgentSettings, question: str) -> AgentRun:
    agent = InventoryGenieAgent(settings)
    run = AgentRun()
    for raw in agent.predict_stream({"input": [{"role": "user", "content": question}]}):
        if (event := read_event(raw.model_dump())) is not None:
            run.events.append(event)
    return run


def test_a_policy_question_is_answered_from_the_documents_with_sources(settings: AgentSettings):
    run = _ask(settings, "What penalty does Ironclad Fasteners charge for late deliveries?")
    assert run.statuses == ["searching_documents"]
    assert [call["name"] for call in run.of(Kind.TOOL_CALL)] == ["search_inventory_docs"]
    [result] = run.of(Kind.TOOL_RESULT)
    assert result["status"] == "completed"
    [found] = run.of(Kind.SOURCES)
    best = found["sources"][0]
    assert (best["title"], best["section"]) == (
        "Supplier terms: Ironclad Fasteners (SUP-09)",
        "Late delivery penalties",
    )
    assert "0.3%" in best["text"] and 0 < len(found["sources"]) <= settings.docs_results
    assert not run.of(Kind.SQL) and not run.of(Kind.TABLE)  # Genie was not asked
    assert run.answer["route"] == "documents" and run.answer["status"] == "completed"
    assert "0.3%" in run.text and "Answered from the policy documents." in run.text
    assert run.text == run.answer["text"]


def test_a_question_needing_both_streams_both_tools_and_one_answer(settings: AgentSettings):
    run = _ask(settings, BOTH)
    kinds = [event.kind for event in run.events]
    assert kinds.index(Kind.SOURCES) < kinds.index(Kind.SQL) < kinds.index(Kind.TABLE)
    assert run.statuses[0] == "searching_documents"
    calls = [call["name"] for call in run.of(Kind.TOOL_CALL)]
    assert calls == ["search_inventory_docs", "query_genie_space"]
    assert run.statuses[-1] == "completed"  # Genie's, after the documents' (polls may skip some)
    assert run.of(Kind.SOURCES)[0]["sources"][0]["doc"] == "reorder-policy-fasteners"
    assert "fasteners" in run.of(Kind.SQL)[0]["sql"].lower()  # Genie got the data clause
    assert run.answer["route"] == "both" and run.answer["conversation_id"]
    assert "Reorder policy: Fasteners" in run.answer["text"]


def test_a_data_question_goes_to_genie_alone(settings: AgentSettings):
    run = _ask(settings, "What parts are low stock?")
    assert "searching_documents" not in run.statuses and not run.of(Kind.SOURCES)
    assert run.of(Kind.SQL) and run.answer["route"] == "data"


def test_an_off_topic_question_is_told_what_the_assistant_answers(settings: AgentSettings):
    run = _ask(settings, "Tell me a joke")
    assert run.statuses == [] and not run.of(Kind.TOOL_CALL)
    assert run.answer["route"] == "neither"
    assert "inventory assistant" in run.answer["text"]


def test_a_missing_index_is_a_clear_failed_answer(settings: AgentSettings, tmp_path: Path):
    absent = settings.model_copy(update={"docs_index_path": tmp_path / "absent.sqlite"})
    run = _ask(absent, "What does days of supply mean?")
    [error] = run.of(Kind.ERROR)
    assert error["code"] == "docs_index_missing" and not error["retryable"]
    assert "inventory-agent data generate" in run.answer["text"]
    assert run.answer["status"] == "failed"


def test_when_the_documents_fail_genie_still_answers_the_data_part(
    settings: AgentSettings, tmp_path: Path
):
    absent = settings.model_copy(update={"docs_index_path": tmp_path / "absent.sqlite"})
    run = _ask(absent, BOTH)
    assert not run.of(Kind.ERROR) and run.of(Kind.TABLE)
    assert run.answer["status"] == "completed" and run.answer["route"] == "both"
    assert "The policy documents could not be searched" in run.answer["text"]


def test_both_tools_progress_arrives_in_one_stream_through_serve_agent(agent_server: Server):
    client: OpenAI = agent_client(agent_server.url)
    run = stream_answer(client, BOTH)
    assert run.of(Kind.SOURCES) and run.of(Kind.SQL) and run.of(Kind.TABLE)
    assert run.answer["route"] == "both"

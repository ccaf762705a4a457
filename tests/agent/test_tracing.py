"""With tracing on, each Genie step is a span and the conversation is the trace's session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import mlflow
import pytest
from mlflow.tracing.constant import TraceMetadataKey

from agent.genie_agent import InventoryGenieAgent
from agent.settings import AgentSettings
from harness.processes import Server


@pytest.fixture
def tracing_to(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("MLFLOW_ALLOW_FILE_STORE", "true")
    previous = mlflow.get_tracking_uri()
    yield (tmp_path / "mlruns").as_uri()
    mlflow.tracing.disable()
    mlflow.set_tracking_uri(previous)


def test_genie_steps_are_spans_of_one_trace_in_the_conversation_session(
    genie_server: Server, tracing_to: str
) -> None:
    settings = AgentSettings(
        genie_port=genie_server.port,
        databricks_host=None,
        databricks_config_profile=None,
        local_genie_base_url=None,
        mlflow_tracing=True,
        mlflow_tracking_uri=tracing_to,
    )
    agent = InventoryGenieAgent(settings)
    request = {"input": [{"role": "user", "content": "Which parts are below reorder point?"}]}
    events = list(agent.predict_stream(request))
    conversation_id = events[-1].custom_outputs["conversation_id"]

    trace_id = mlflow.get_last_active_trace_id()
    mlflow.flush_trace_async_logging()
    trace = mlflow.get_trace(trace_id)
    assert trace.info.trace_metadata[TraceMetadataKey.TRACE_SESSION] == conversation_id
    root, *steps = trace.data.spans
    assert root.name == "predict_stream"
    names = [span.name for span in steps]
    assert names[0] == "genie.start_conversation" and "genie.COMPLETED" in names
    assert "genie.get_query_result" in names
    assert all(span.parent_id == root.span_id for span in steps)

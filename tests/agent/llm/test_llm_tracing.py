"""With tracing on, a model turn is one trace: a span per model request and per tool call."""

from __future__ import annotations

from collections.abc import Callable

import mlflow
import pytest

from agent.genie_agent import InventoryGenieAgent
from tests.agent.llm.conftest import turn
from tests.agent.test_tracing import tracing_to  # noqa: F401 (a fixture)

pytestmark = pytest.mark.servers


def test_model_requests_and_tool_calls_are_spans(
    llm_settings: Callable,
    script: Callable,
    tracing_to: str,  # noqa: F811 (the fixture imported above)
) -> None:
    settings = llm_settings(mlflow_tracing=True, mlflow_tracking_uri=tracing_to)
    turn(InventoryGenieAgent(settings), "What parts are low stock?")
    trace_id = mlflow.get_last_active_trace_id()
    mlflow.flush_trace_async_logging()
    root, *spans = mlflow.get_trace(trace_id).data.spans
    names = [span.name for span in spans]
    assert names[0] == "llm.chat" and names[-1] == "llm.chat"
    assert "tool.query_genie_space" in names and "genie.get_query_result" in names
    tool = spans[names.index("tool.query_genie_space")]
    assert tool.outputs["status"] == "completed"
    assert all(span.parent_id == root.span_id for span in spans)

"""MLflow tracing for the agent: switched on only where it has somewhere to go.

With mlflow-skinny the default tracking store (sqlite) cannot load, so tracing with no
tracking URI logs a warning on every request. Tracing is therefore off unless
``MLFLOW_TRACING`` is true; when on, ``MLFLOW_TRACKING_URI`` (if set) says where traces
go — on Databricks Model Serving the platform supplies the destination.

Genie steps span several ``yield``s of a streaming generator, and a span attached to the
context must not stay attached across a ``yield`` (the consumer would run inside it). So
each step gets a detached span parented explicitly on the request's span.
"""

from __future__ import annotations

import logging
from typing import Any

import mlflow
from mlflow.entities import SpanType

from agent.settings import AgentSettings

logger = logging.getLogger(__name__)


def configure_tracing(settings: AgentSettings) -> None:
    """Point MLflow at the configured tracking URI, or turn tracing off."""
    if not settings.mlflow_tracing:
        mlflow.tracing.disable()
        return
    if settings.mlflow_tracking_uri:
        mlflow.set_tracking_uri(settings.mlflow_tracking_uri)
    mlflow.tracing.enable()
    logger.info("MLflow tracing on (tracking URI %s)", mlflow.get_tracking_uri())


def record_session(conversation_id: str) -> None:
    """Group every trace of one Genie conversation as one MLflow session."""
    if mlflow.get_current_active_span() is not None:
        mlflow.update_current_trace(session_id=conversation_id)


class StepSpans:
    """One span per Genie step, each ended when the next begins (or the run ends)."""

    def __init__(self) -> None:
        self._parent = mlflow.get_current_active_span()
        self._current: Any = None

    def begin(self, name: str, inputs: Any = None) -> None:
        self.end()
        if self._parent is None:
            return
        self._current = mlflow.start_span_no_context(
            name=name, span_type=SpanType.TOOL, parent_span=self._parent, inputs=inputs
        )

    def end(self, outputs: Any = None) -> None:
        if self._current is not None:
            self._current.end(outputs=outputs)
            self._current = None

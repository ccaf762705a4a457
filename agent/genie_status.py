"""Genie's message states, translated into the chunk contract's status values and words.

Genie reports ten states; a user needs five steps. Several Genie states share one
contract status (DESIGN.md, "The chunk"), but each keeps its own message so that the
user still sees Genie move. Terminal states are listed here so the poller knows when to
stop: the SDK's ``*_and_wait`` helpers only stop at COMPLETED and FAILED, which would
poll a CANCELLED or QUERY_RESULT_EXPIRED message until their 20-minute timeout.
"""

from __future__ import annotations

from typing import NamedTuple

from databricks.sdk.service.dashboards import MessageStatus

from agent.stream_contract import Status


class Step(NamedTuple):
    status: Status
    message: str


_STEPS: dict[MessageStatus, Step] = {
    MessageStatus.SUBMITTED: Step(Status.FETCHING_METADATA, "📝 Question received…"),
    MessageStatus.FETCHING_METADATA: Step(
        Status.FETCHING_METADATA, "📝 Reading the inventory tables…"
    ),
    MessageStatus.FILTERING_CONTEXT: Step(
        Status.FETCHING_METADATA, "📝 Finding the relevant data…"
    ),
    MessageStatus.ASKING_AI: Step(Status.GENERATING_SQL, "🔍 Generating SQL…"),
    MessageStatus.PENDING_WAREHOUSE: Step(
        Status.PENDING_WAREHOUSE, "⏳ Waiting for the SQL warehouse…"
    ),
    MessageStatus.EXECUTING_QUERY: Step(Status.EXECUTING, "⚡ Executing query…"),
    MessageStatus.COMPLETED: Step(Status.COMPLETED, "✅ Here's the answer"),
    MessageStatus.FAILED: Step(Status.FAILED, "❌ Genie could not answer"),
    MessageStatus.CANCELLED: Step(Status.CANCELLED, "🚫 The question was cancelled"),
    MessageStatus.QUERY_RESULT_EXPIRED: Step(
        Status.EXECUTING, "⚡ Result expired, re-running query…"
    ),
}

TERMINAL: frozenset[MessageStatus] = frozenset(
    {
        MessageStatus.COMPLETED,
        MessageStatus.FAILED,
        MessageStatus.CANCELLED,
        MessageStatus.QUERY_RESULT_EXPIRED,
    }
)


def step_for(genie_status: MessageStatus | None) -> Step:
    """The contract status and message for a Genie state (unknown or missing → still working).

    Genie may add states; an unknown one must not break a running question, so it reads
    as the generic "working" step rather than an error.
    """
    if genie_status is None:
        return _STEPS[MessageStatus.SUBMITTED]
    return _STEPS.get(genie_status, Step(Status.FETCHING_METADATA, "📝 Working…"))

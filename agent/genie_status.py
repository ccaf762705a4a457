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


class Step(NamedTuple):
    status: str
    message: str


STARTING = Step("starting", "📝 Starting…")
RETRYING = "retrying"

_STEPS: dict[MessageStatus, Step] = {
    MessageStatus.SUBMITTED: Step("fetching_metadata", "📝 Question received…"),
    MessageStatus.FETCHING_METADATA: Step("fetching_metadata", "📝 Reading the inventory tables…"),
    MessageStatus.FILTERING_CONTEXT: Step("fetching_metadata", "📝 Finding the relevant data…"),
    MessageStatus.ASKING_AI: Step("generating_sql", "🔍 Generating SQL…"),
    MessageStatus.PENDING_WAREHOUSE: Step("pending_warehouse", "⏳ Waiting for the SQL warehouse…"),
    MessageStatus.EXECUTING_QUERY: Step("executing", "⚡ Executing query…"),
    MessageStatus.COMPLETED: Step("completed", "✅ Here's the answer"),
    MessageStatus.FAILED: Step("failed", "❌ Genie could not answer"),
    MessageStatus.CANCELLED: Step("cancelled", "🚫 The question was cancelled"),
    MessageStatus.QUERY_RESULT_EXPIRED: Step("executing", "⚡ Result expired, re-running query…"),
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
    return _STEPS.get(genie_status, Step("fetching_metadata", "📝 Working…"))

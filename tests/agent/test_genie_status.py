"""Genie's states → the chunk contract's status values (DESIGN.md, "The chunk")."""

from __future__ import annotations

import pytest
from databricks.sdk.service.dashboards import GenieMessage, MessageStatus

from agent.genie_status import TERMINAL, step_for

CONTRACT = {
    MessageStatus.SUBMITTED: "fetching_metadata",
    MessageStatus.FETCHING_METADATA: "fetching_metadata",
    MessageStatus.FILTERING_CONTEXT: "fetching_metadata",
    MessageStatus.ASKING_AI: "generating_sql",
    MessageStatus.PENDING_WAREHOUSE: "pending_warehouse",
    MessageStatus.EXECUTING_QUERY: "executing",
    MessageStatus.COMPLETED: "completed",
    MessageStatus.FAILED: "failed",
    MessageStatus.CANCELLED: "cancelled",
}


@pytest.mark.parametrize(("genie", "status"), CONTRACT.items())
def test_each_genie_state_maps_to_its_contract_status(genie: MessageStatus, status: str) -> None:
    assert step_for(genie).status == status


def test_the_messages_users_see_at_the_main_steps() -> None:
    assert step_for(MessageStatus.FETCHING_METADATA).message.startswith("📝")
    assert step_for(MessageStatus.ASKING_AI).message == "🔍 Generating SQL…"
    assert step_for(MessageStatus.EXECUTING_QUERY).message == "⚡ Executing query…"
    assert step_for(MessageStatus.COMPLETED).message.startswith("✅")


def test_every_state_has_a_step_and_states_sharing_a_status_keep_their_own_words() -> None:
    assert {step_for(state).message for state in MessageStatus} >= {
        step_for(MessageStatus.SUBMITTED).message,
        step_for(MessageStatus.FETCHING_METADATA).message,
        step_for(MessageStatus.FILTERING_CONTEXT).message,
    }
    assert len({step_for(s).message for s in CONTRACT}) == len(CONTRACT)


def test_unknown_or_missing_state_reads_as_still_working() -> None:
    unknown = GenieMessage.from_dict({"status": "SOME_FUTURE_STATE", "content": "q"})
    assert unknown.status is None
    assert step_for(None).status == "fetching_metadata"


def test_polling_stops_on_every_terminal_state_the_sdk_helpers_miss() -> None:
    assert {MessageStatus.CANCELLED, MessageStatus.QUERY_RESULT_EXPIRED} <= TERMINAL
    assert MessageStatus.EXECUTING_QUERY not in TERMINAL

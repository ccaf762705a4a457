"""Genie outcomes the local server cannot be driven into: a message CANCELLED by its owner.

The local Genie removes a cancelled message outright (its API then answers 404), so
Databricks' CANCELLED state is played here by a stand-in for ``client.genie`` that
returns the SDK's own dataclasses.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from databricks.sdk.service.dashboards import GenieMessage

from agent.genie_errors import GenieError
from agent.genie_tool import Progress, Started, query_genie_space
from services.common.settings import Settings


class CancellingGenie:
    """Accepts a question, reports it running once, then CANCELLED."""

    def __init__(self) -> None:
        self.polls = 0

    def start_conversation(self, space_id: str, content: str) -> SimpleNamespace:
        return SimpleNamespace(conversation_id="c1", message_id="m1")

    def get_message(self, space_id: str, conversation_id: str, message_id: str) -> GenieMessage:
        self.polls += 1
        status = "ASKING_AI" if self.polls == 1 else "CANCELLED"
        return GenieMessage.from_dict(
            {"conversation_id": "c1", "message_id": "m1", "content": "q", "status": status}
        )


def test_cancelled_message_stops_polling_and_is_named() -> None:
    client = SimpleNamespace(genie=CancellingGenie())
    settings = Settings(genie_local_poll_s=0.0, databricks_host=None)
    updates = []
    with pytest.raises(GenieError) as raised:
        for update in query_genie_space(client, settings, "q"):  # type: ignore[arg-type]
            updates.append(update)
    assert (raised.value.code, raised.value.retryable) == ("cancelled", True)
    assert updates[0] == Started("c1", "m1")
    assert [u.status for u in updates if isinstance(u, Progress)] == [
        "generating_sql",
        "cancelled",
    ]
    assert client.genie.polls == 2

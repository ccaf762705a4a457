"""One ``query_genie_space`` call as stream events, and the tool output a client or model reads.

The direct route and the language model's tool loop both run the Genie tool through
``genie_call_events``: each update becomes a contract event (status, SQL, table) while
it is folded into a ``GenieOutcome``, whose ``tool_output()`` is the
``function_call_output``: the Genie conversation and message ids (so a client that
sends the history back continues the conversation), Genie's SQL, description and
reply, the result's shape and a bounded sample of its rows (what a model reads; the
full table travels in its own ``table`` event).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from agent.genie_errors import GenieError, classify
from agent.genie_result import Table
from agent.genie_tool import Progress, Query, Reply, Started, Update
from agent.stream_contract import Status
from agent.stream_events import new_id, sql_event, status_event, table_event


@dataclass
class GenieOutcome:
    """The ids, SQL, table and reply of one Genie question, as they arrive."""

    conversation_id: str | None = None
    message_id: str | None = None
    query: Query | None = None
    table: Table | None = None
    reply: Reply | None = None
    error: GenieError | None = None

    def record(self, update: Update) -> None:
        if isinstance(update, Started):
            self.conversation_id, self.message_id = update.conversation_id, update.message_id
        elif isinstance(update, Query):
            self.query = update
        elif isinstance(update, Table):
            self.table = update
        elif isinstance(update, Reply):
            self.reply = update

    @property
    def status(self) -> Status:
        return Status.COMPLETED if self.reply is not None and self.error is None else Status.FAILED

    def ids(self) -> dict[str, str | None]:
        return {"conversation_id": self.conversation_id, "message_id": self.message_id}

    def tool_output(self, sample_rows: int) -> dict[str, Any]:
        """The ``function_call_output``'s JSON: everything but the rows past the sample."""
        table = self.table or Table()
        output: dict[str, Any] = {
            **self.ids(),
            "status": self.status.value,
            "sql": self.query.sql if self.query else None,
            "description": self.query.description if self.query else None,
            "columns": table.columns,
            "row_count": table.row_count,
            "truncated": table.truncated,
            "rows": table.rows[:sample_rows],
            "rows_shown": min(len(table.rows), sample_rows),
            "text": self.reply.text if self.reply else None,
            "suggested_questions": self.reply.suggested_questions if self.reply else [],
        }
        if self.error is not None:
            output["error"] = {"code": self.error.code, "message": self.error.message}
        return output


def genie_call_events(updates: Iterable[Update], outcome: GenieOutcome) -> Iterator[dict[str, Any]]:
    """Genie's progress, SQL and table as contract events; a failure ends up in ``outcome.error``.

    ``updates`` is the running tool (agent.genie_tool.query_genie_space); every event
    after Genie accepted the question carries its conversation and message ids, so a
    client whose stream breaks can resume that message instead of asking again.
    """
    try:
        for update in updates:
            outcome.record(update)
            conversation = outcome.ids() if outcome.message_id else {"conversation_id": None}
            if isinstance(update, Progress):
                yield status_event(
                    new_id("status"),
                    update.status,
                    update.message,
                    genie_status=update.genie_status,
                    **({"code": update.code} if update.code else {}),
                    **conversation,
                )
            elif isinstance(update, Query):
                yield sql_event(new_id("sql"), update.sql, update.description, **conversation)
            elif isinstance(update, Table):
                yield table_event(new_id("table"), **update.payload(), **conversation)
    except GenieError as error:
        outcome.error = error
    except Exception as error:  # anything else still ends the call with a named error
        outcome.error = classify(error, "asking Genie")

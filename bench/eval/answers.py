"""Getting the system's answer to a case: through a running Genie server with
databricks-sdk (as every real client does), or from the engine in-process.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from genie_local.database import ReadOnlyDatabase

logger = logging.getLogger(__name__)

_TERMINAL = {"COMPLETED", "FAILED", "CANCELLED", "QUERY_RESULT_EXPIRED"}


@dataclass(frozen=True)
class Answer:
    sql: str | None  # the SQL the system ran for the last turn, None when it ran none
    text: str  # the message shown to the user
    status: str


class Answerer(Protocol):
    def answer(self, turns: tuple[str, ...]) -> Answer: ...


class GenieAnswerer:
    """Asks a Genie space (local or Databricks) through databricks-sdk, polling itself."""

    def __init__(self, url: str, space_id: str, token: str, timeout_s: float = 120.0) -> None:
        from databricks.sdk import WorkspaceClient

        self._genie = WorkspaceClient(host=url, token=token).genie
        self._space_id = space_id
        self._timeout_s = timeout_s

    def answer(self, turns: tuple[str, ...]) -> Answer:
        conversation_id: str | None = None
        message = None
        for turn in turns:
            if conversation_id is None:
                waiter = self._genie.start_conversation(self._space_id, turn)
            else:
                waiter = self._genie.create_message(self._space_id, conversation_id, turn)
            started = waiter.response
            conversation_id = started.conversation_id
            message = self._wait(conversation_id, started.message_id)
        assert message is not None
        sql, texts = None, []
        for attachment in message.attachments or []:
            if attachment.query is not None and attachment.query.query:
                sql = attachment.query.query
            if attachment.text is not None and attachment.text.content:
                texts.append(attachment.text.content)
        if message.error is not None and message.error.error:
            texts.append(message.error.error)
        status = message.status.value if message.status else "UNKNOWN"
        return Answer(sql=sql, text=" ".join(texts), status=status)

    def _wait(self, conversation_id: str, message_id: str):
        deadline = time.monotonic() + self._timeout_s
        delay = 0.05
        while True:
            message = self._genie.get_message(self._space_id, conversation_id, message_id)
            if message.status is not None and message.status.value in _TERMINAL:
                return message
            if time.monotonic() > deadline:
                raise TimeoutError(f"message {message_id} did not finish in {self._timeout_s} s")
            time.sleep(delay)
            delay = min(delay * 2, 1.0)


class EngineAnswerer:
    """The offline engine in this process: for development without a server."""

    def __init__(self, db_path: Path) -> None:
        from genie_local.nl2sql import Engine

        self._engine = Engine(ReadOnlyDatabase(db_path))

    def answer(self, turns: tuple[str, ...]) -> Answer:
        history = []
        for turn in turns:
            history.append(self._engine.plan(turn, history))
        plan = history[-1]
        return Answer(sql=plan.sql, text=plan.message or plan.description, status="COMPLETED")

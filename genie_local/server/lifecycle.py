"""One message's life: SUBMITTED → FETCHING_METADATA → ASKING_AI → EXECUTING_QUERY → COMPLETED.

Each message runs as its own asyncio task so that polling clients watch it move through
Genie's real states, with ``step_delay_s`` between steps to mimic Genie's 10–20 s when
wanted (0 in tests). Planning and SQL run in worker threads so the event loop keeps
answering polls. SQL reaches DuckDB only through ``ReadOnlyDatabase`` (sqlglot check +
read-only connection); a plan whose SQL is not a safe SELECT ends FAILED, never runs.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import uuid
from collections.abc import Callable
from typing import Any

import duckdb

from genie_local.database import QUERY_TIMEOUT_S, QueryResult, QueryTimeoutError, ReadOnlyDatabase
from genie_local.server.store import Conversation, Message, QueryAttachment, new_id, now_ms
from genie_local.sql_guard import UnsafeSQLError

logger = logging.getLogger(__name__)

INJECTED_FAILURE = "Genie could not answer this question (local fault injection: fail)."
#: what a person sees when planning breaks; the exception itself goes to the log only
INTERNAL_FAILURE = (
    "Genie could not answer this question because of an internal error; try rephrasing it."
)
OUT_OF_RANGE = (
    "The query failed: a number or date in the question is out of range for this data. "
    "Use a smaller number or a real calendar date."
)
# DuckDB's errors for a value past its types' range (a LIMIT past BIGINT, a date past 9999)
_OUT_OF_RANGE_ERRORS = (duckdb.OutOfRangeException, duckdb.ConversionException)


class QueryFailedError(RuntimeError):
    """The SQL was refused by the guard or failed in DuckDB; the message says why."""


class MessageRunner:
    """Runs messages against the engine and the read-only database."""

    def __init__(
        self,
        engine: Any,
        db: ReadOnlyDatabase,
        step_delay_s: Callable[[], float],
        max_rows: int,
        query_timeout_s: float = QUERY_TIMEOUT_S,
    ) -> None:
        self._engine = engine
        self._db = db
        self._step_delay_s = step_delay_s
        self._max_rows = max_rows
        self._query_timeout_s = query_timeout_s
        # The engine keeps caches of the space's vocabulary; one plan at a time keeps
        # it simple to reason about, and planning takes milliseconds.
        self._plan_lock = threading.Lock()

    async def run(self, conversation: Conversation, message: Message, fault: str | None) -> None:
        """Drive ``message`` to a terminal state; never raises except on cancellation."""
        try:
            await self._step(message, "SUBMITTED")
            await self._step(message, "FETCHING_METADATA")
            await self._step(message, "ASKING_AI")
            if fault == "stall":
                logger.info("message %s stalls in ASKING_AI (fault injection)", message.message_id)
                await asyncio.Event().wait()  # until cancelled: deleted or server stopping
            if fault == "cancel":
                logger.info("message %s is cancelled (fault injection)", message.message_id)
                message.set_status("CANCELLED")
                return
            if fault == "fail":
                self._fail(message, INJECTED_FAILURE, "GENERIC_CHAT_COMPLETION_SERVICE_EXCEPTION")
                return
            history = list(conversation.plans)
            plan = await asyncio.to_thread(self._plan, message.content, history)
            conversation.plans.append(plan)
            message.suggested_questions = list(plan.suggested_questions or [])
            if plan.kind != "query" or not plan.sql:
                message.text = plan.message or plan.description
                message.set_status("COMPLETED")
                return
            message.query = QueryAttachment(
                attachment_id=new_id(),
                sql=plan.sql,
                description=plan.description,
                statement_id=_statement_id(),
            )
            await self._step(message, "EXECUTING_QUERY")
            result = await self.execute(message.query)
            message.text = await asyncio.to_thread(self._summarize, plan, result)
            message.query.expired = fault == "expire"
            message.set_status("COMPLETED")
        except asyncio.CancelledError:
            message.set_status("CANCELLED")
            raise
        except QueryFailedError as error:
            self._fail(message, str(error), "SQL_EXECUTION_EXCEPTION")
        except Exception:
            logger.exception("message %s failed", message.message_id)
            self._fail(message, INTERNAL_FAILURE, "UNEXPECTED_REPLY_PROCESS_EXCEPTION")

    async def execute(self, query: QueryAttachment) -> QueryResult:
        """Run (or re-run) a query attachment's SQL, giving it a fresh statement id."""
        try:
            result = await asyncio.to_thread(
                self._db.query, query.sql, self._max_rows, self._query_timeout_s
            )
        except UnsafeSQLError as error:
            query.error = f"The generated SQL was refused as unsafe: {error}"
            raise QueryFailedError(query.error) from error
        except _OUT_OF_RANGE_ERRORS as error:
            query.error = OUT_OF_RANGE
            raise QueryFailedError(query.error) from error
        except (duckdb.Error, QueryTimeoutError) as error:
            query.error = f"The query failed: {str(error).splitlines()[0]}"
            raise QueryFailedError(query.error) from error
        query.statement_id = _statement_id()
        query.result, query.error, query.expired = result, None, False
        query.updated_ms = now_ms()
        return result

    async def _step(self, message: Message, status: str) -> None:
        message.set_status(status)
        delay = self._step_delay_s()
        if delay > 0:
            await asyncio.sleep(delay)

    def _plan(self, question: str, history: list[Any]) -> Any:
        with self._plan_lock:
            return self._engine.plan(question, history)

    def _summarize(self, plan: Any, result: QueryResult) -> str:
        with self._plan_lock:
            return self._engine.summarize(plan, result)

    @staticmethod
    def _fail(message: Message, error: str, error_type: str) -> None:
        message.error = {"error": error, "type": error_type}
        message.set_status("FAILED")


def _statement_id() -> str:
    """Statement ids are dashed UUIDs, unlike Genie's own hex ids."""
    return str(uuid.uuid4())

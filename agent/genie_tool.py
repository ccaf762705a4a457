"""The agent's one tool, ``query_genie_space``: ask Genie a question and report every step.

It drives Genie's Conversation API through databricks-sdk (the same calls against
Databricks and the local stand-in): ``start_conversation`` for a new conversation or
``create_message`` for a follow-up, then ``get_message`` polled here rather than with
the SDK's ``*_and_wait`` helpers (those never stop on CANCELLED or
QUERY_RESULT_EXPIRED). It yields, in order:

- ``Started`` once Genie accepted the question (conversation and message ids),
- ``Progress`` each time Genie's state changes, or while it backs off a 429,
- ``Query`` (the SQL and Genie's description) as soon as a polled message carries the
  query attachment (Genie shows it while EXECUTING_QUERY, before the result), once,
- ``Table`` (the capped result) once the message is complete,
- ``Reply`` last: Genie's own text, if any, and its suggested follow-ups.

Anything that goes wrong is raised as a ``GenieError`` (see genie_errors), never left
to hang: a deadline of ``genie_timeout_s`` covers polling and back-off alike.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from databricks.sdk import WorkspaceClient
from databricks.sdk.errors import NotFound
from databricks.sdk.service.dashboards import GenieMessage, MessageStatus
from databricks.sdk.service.sql import StatementState

from agent.genie_errors import GenieError, classify
from agent.genie_result import Table, table_from_statement
from agent.genie_status import TERMINAL, step_for
from agent.settings import AgentSettings
from agent.stream_contract import ErrorCode, Status
from agent.tracing import StepSpans, record_session

logger = logging.getLogger(__name__)

T = TypeVar("T")
POLL_BACKOFF = 1.5  # each Databricks poll waits this much longer than the last, up to the max
RETRY_AFTER_JITTER = 0.2  # a Retry-After wait is stretched by up to this fraction
COUNTDOWN_TICK_S = 1.0  # a back-off tells the user what is left this often
# Failures worth waiting out, with what the user is told meanwhile.
TRANSIENT = {
    ErrorCode.RATE_LIMITED: "Genie is busy (rate limit)",
    ErrorCode.UNREACHABLE: "Genie is not reachable",
}


@dataclass(frozen=True)
class Started:
    conversation_id: str
    message_id: str


@dataclass(frozen=True)
class Progress:
    status: Status
    message: str
    genie_status: str | None = None
    code: ErrorCode | None = None  # with ``retrying``: what is being waited out


@dataclass(frozen=True)
class Query:
    sql: str
    description: str


@dataclass(frozen=True)
class Reply:
    text: str | None
    suggested_questions: list[str] = field(default_factory=list)


Update = Started | Progress | Query | Table | Reply


def query_genie_space(
    client: WorkspaceClient,
    settings: AgentSettings,
    question: str,
    conversation_id: str | None = None,
    opening: str | None = None,
    sleep: Callable[[float], None] = time.sleep,
    message_id: str | None = None,
) -> Iterator[Update]:
    """Ask ``question`` (a follow-up when ``conversation_id`` is given) and stream the steps.

    ``opening`` is what a new conversation starts with instead of ``question`` (the
    question with the user's earlier turns as context), also when ``conversation_id``
    turns out to be unknown to Genie. With ``message_id`` too (a retried request whose
    message Genie already has), the question is not asked again: that message is
    polled, and no Genie start is spent.
    """
    return _GenieQuestion(client, settings, sleep).run(
        question, conversation_id, opening, message_id
    )


class _GenieQuestion:
    """One question's run: its deadline, its spans and its rate-limit budget."""

    def __init__(
        self, client: WorkspaceClient, settings: AgentSettings, sleep: Callable[[float], None]
    ) -> None:
        self._genie = client.genie
        self._settings = settings
        self._space_id = settings.genie_space_id
        self._sleep = sleep
        self._deadline = time.monotonic() + settings.genie_timeout_s
        self._spans = StepSpans()
        self._query_shown = False  # Query is yielded once, as soon as Genie shows it

    def run(
        self,
        question: str,
        conversation_id: str | None,
        opening: str | None,
        message_id: str | None = None,
    ) -> Iterator[Update]:
        try:
            if conversation_id and message_id:
                started = Started(conversation_id, message_id)
            else:
                started = yield from self._ask(question, conversation_id, opening or question)
            record_session(started.conversation_id)
            yield started
            message = yield from self._poll(started)
            yield from self._answer(message)
        finally:
            self._spans.end()

    # --- asking ---------------------------------------------------------------------

    def _ask(
        self, question: str, conversation_id: str | None, opening: str
    ) -> Generator[Update, None, Started]:
        if conversation_id:
            self._spans.begin("genie.create_message", {"question": question})
            try:
                wait = yield from self._call(
                    "sending the follow-up",
                    self._genie.create_message,
                    self._space_id,
                    conversation_id,
                    question,
                )
                return Started(conversation_id, wait.message_id)
            except GenieError as error:
                if not isinstance(error.__cause__, NotFound):
                    raise
                logger.info("conversation %s is unknown to Genie; starting anew", conversation_id)
        self._spans.begin("genie.start_conversation", {"question": opening})
        wait = yield from self._call(
            "starting the conversation", self._genie.start_conversation, self._space_id, opening
        )
        return Started(wait.conversation_id, wait.message_id)

    # --- polling --------------------------------------------------------------------

    def _poll(self, started: Started) -> Generator[Update, None, GenieMessage]:
        settings = self._settings
        local = settings.genie_is_local
        interval = settings.genie_local_poll_s if local else settings.genie_poll_initial_s
        last: MessageStatus | None = None
        while True:
            message = yield from self._call(
                "checking on the question",
                self._genie.get_message,
                self._space_id,
                started.conversation_id,
                started.message_id,
            )
            if message.status != last:
                last = message.status
                step = step_for(last)
                self._spans.begin(f"genie.{last.value if last else 'UNKNOWN'}")
                yield Progress(step.status, step.message, last.value if last else None)
            if not self._query_shown and (query := _query_of(message)) is not None:
                self._query_shown = True  # the user reads the SQL while it runs
                yield Query(query.query, query.description or "")
            if last in TERMINAL:
                return message
            self._wait(interval, "waiting for Genie's answer")
            if not local:
                interval = min(interval * POLL_BACKOFF, settings.genie_poll_max_s)

    # --- answering ------------------------------------------------------------------

    def _answer(self, message: GenieMessage) -> Iterator[Update]:
        if message.status == MessageStatus.FAILED:
            detail = message.error.error if message.error and message.error.error else None
            raise GenieError(
                ErrorCode.GENIE_FAILED,
                f"Genie could not answer: {detail or 'no reason given'}",
                False,
            )
        if message.status == MessageStatus.CANCELLED:
            raise GenieError(
                ErrorCode.CANCELLED, "The question was cancelled before Genie answered.", True
            )
        attachments = message.attachments or []
        query = next((a for a in attachments if a.query and a.query.query), None)
        if query is not None:
            if not self._query_shown:
                self._query_shown = True
                yield Query(query.query.query, query.query.description or "")
            yield (yield from self._table(message, query))
        texts = [a.text for a in attachments if a.text and a.text.content]
        answer = next((t for t in texts if t.purpose and "ANSWER" in t.purpose.value), None)
        suggested = next(
            (a.suggested_questions.questions for a in attachments if a.suggested_questions), None
        )
        text = (answer or texts[-1]).content if texts else None
        yield Reply(text, list(suggested or []))

    def _table(self, message: GenieMessage, attachment: Any) -> Generator[Update, None, Table]:
        ids = (self._space_id, message.conversation_id, message.message_id)
        attachment_id = attachment.attachment_id
        expired = message.status == MessageStatus.QUERY_RESULT_EXPIRED
        if not expired:
            self._spans.begin("genie.get_query_result", {"attachment_id": attachment_id})
            result = yield from self._call(
                "fetching the result",
                self._genie.get_message_attachment_query_result,
                *ids,
                attachment_id,
            )
            response = result.statement_response
            state = response.status.state if response and response.status else None
            expired = state == StatementState.CLOSED
        if expired:
            self._spans.begin("genie.execute_query", {"attachment_id": attachment_id})
            step = step_for(MessageStatus.QUERY_RESULT_EXPIRED)
            yield Progress(step.status, step.message, MessageStatus.QUERY_RESULT_EXPIRED.value)
            result = yield from self._call(
                "re-running the expired query",
                self._genie.execute_message_attachment_query,
                *ids,
                attachment_id,
            )
            response = result.statement_response
        if response is None:
            raise GenieError(ErrorCode.NO_RESULT, "Genie returned no result for its query.", True)
        status = response.status
        if status and status.state in (StatementState.FAILED, StatementState.CANCELED):
            detail = status.error.message if status.error and status.error.message else "no reason"
            raise GenieError(
                ErrorCode.QUERY_FAILED, f"The SQL query did not finish: {detail}", False
            )
        metadata = attachment.query.query_result_metadata
        table = table_from_statement(
            response, self._settings.genie_max_rows, metadata.row_count if metadata else None
        )
        self._spans.end({"row_count": table.row_count, "truncated": table.truncated})
        return table

    # --- calling Genie: bounded rate-limit back-off and one deadline ------------------

    def _call(self, action: str, fn: Callable[..., T], *args: Any) -> Generator[Update, None, T]:
        """``fn(*args)``; on a 429 or a lost connection, back off with jitter and retry.

        The budget is ``genie_rate_limit_retries`` retries per call, doubling from
        ``genie_rate_limit_backoff_s``, and never past the question's deadline. A 429's
        ``Retry-After`` is a floor: retrying sooner only earns another 429 (and counts
        against the workspace's limit), so the wait is at least that, jittered upward so
        that agents throttled together do not all come back in the same instant. When
        the server asks for more time than the question has left, it fails now rather
        than sleep into its deadline.
        """
        retries = self._settings.genie_rate_limit_retries
        attempt = 0
        while True:
            try:
                return fn(*args)
            except Exception as raw:  # every SDK failure is named for the user below
                error = classify(raw, action)
                if error.code not in TRANSIENT or attempt >= retries:
                    raise error from raw
                too_late = self._asked_past_deadline(error, action)
                if too_late is not None:
                    raise too_late from raw
            attempt += 1
            delay = self._backoff(attempt, error.retry_after_s)
            asked = (
                f"; Genie asked to wait {error.retry_after_s:g} s" if error.retry_after_s else ""
            )
            template = (
                f"⏳ {TRANSIENT[error.code]}{asked}; retrying in {{left:.1f}} s "
                f"(retry {attempt} of {retries})…"
            )
            yield from self._count_down(delay, action, template, error.code)

    def _count_down(
        self, delay: float, action: str, template: str, code: ErrorCode
    ) -> Iterator[Update]:
        """Wait ``delay`` s, saying how long is left at the start and each whole second after.

        A long back-off (Genie's Retry-After can be tens of seconds) must not look frozen:
        each tick is the same ``retrying`` status with a new countdown.
        """
        left = delay
        yield Progress(Status.RETRYING, template.format(left=left), code=code)
        while left > 0:
            step = min(left, COUNTDOWN_TICK_S)
            self._wait(step, action)
            left -= step
            if left >= COUNTDOWN_TICK_S:
                yield Progress(Status.RETRYING, template.format(left=left), code=code)

    def _backoff(self, attempt: int, retry_after_s: float | None) -> float:
        delay = self._settings.genie_rate_limit_backoff_s * 2 ** (attempt - 1)
        delay = random.uniform(delay / 2, delay)
        if retry_after_s:
            delay = max(delay, retry_after_s * random.uniform(1.0, 1.0 + RETRY_AFTER_JITTER))
        return delay

    def _asked_past_deadline(self, error: GenieError, action: str) -> GenieError | None:
        """The error to give up with when Genie's Retry-After reaches past the deadline."""
        remaining = self._deadline - time.monotonic()
        if error.retry_after_s is None or error.retry_after_s <= remaining:
            return None
        return GenieError(
            error.code,
            f"{error.message} Genie asked to wait {error.retry_after_s:g} s, longer than "
            f"the {max(remaining, 0):.0f} s left of this question's "
            f"{self._settings.genie_timeout_s:g} s limit (while {action}).",
            error.retryable,
            error.retry_after_s,
        )

    def _wait(self, seconds: float, action: str) -> None:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise GenieError(
                ErrorCode.TIMEOUT,
                f"Genie did not answer within {self._settings.genie_timeout_s:g} s "
                f"(while {action}).",
                retryable=True,
            )
        self._sleep(min(seconds, remaining))


def _query_of(message: GenieMessage) -> Any:
    """The message's query attachment (``GenieQueryAttachment``) once it has SQL, else None."""
    return next((a.query for a in message.attachments or [] if a.query and a.query.query), None)

"""The agent's stream contract: every status, event kind and error code, defined once.

The agent speaks plain OpenAI Responses streaming, so Model Serving, MLflow's
AgentServer and the ``openai`` SDK carry it unchanged (agent/responses_stream.py adds
the envelope: ``response.created`` … ``response.completed``, sequence numbers, output
indexes). Each finished item carries a ``custom_outputs`` dict whose ``kind`` says
what it is:

| kind        | item                      | custom_outputs keys                          |
|-------------|---------------------------|----------------------------------------------|
| status      | reasoning (the message)   | status, message, code (why retrying),        |
|             |                           | genie_status, conversation_id                |
| tool_call   | function_call             | name, call_id                                |
| sql         | reasoning (SQL)           | sql, description, conversation_id            |
| table       | reasoning (row count)     | columns [{name, type}], rows, row_count,     |
|             |                           | truncated, conversation_id                   |
| tool_result | function_call_output      | call_id, conversation_id, message_id, status |
| answer      | assistant message         | status, text, conversation_id, message_id,   |
|             |                           | suggested_questions                          |
| error       | assistant message         | code, message, retryable, conversation_id    |
| sources     | reasoning (titles)        | sources [{doc, title, section, text, score}],|
|             |                           | query, conversation_id                       |

and ``response.output_text.delta`` events stream the answer's text (kind ``text``).
A run ends with exactly one ``answer``; after an ``error`` that answer's status is
``failed`` and says what happened. A documents search streams the
``searching_documents`` status, then its passages as one ``sources`` item; without a
language model the answer's ``route`` says which source answered (data, documents,
both or neither). Table cells are the strings Genie returns (None for
NULL); each column's ``type`` is its SQL type, so a reader converts knowingly.

Conversation continuity: pass the Genie conversation id as
``custom_inputs={"conversation_id": ...}`` (or the request ``context.conversation_id``);
the agent returns it in every event's ``custom_outputs``, with the Genie ``message_id``
once Genie has accepted the question. A client whose stream broke resumes that message
with ``custom_inputs={"conversation_id": ..., "message_id": ...}``: the agent polls it
instead of asking Genie again (Genie allows only a few new questions a minute).

Tool use is standard Responses items: a ``function_call`` named ``query_genie_space``
with ``{"question": …}`` arguments, then its ``function_call_output`` whose ``output``
is a JSON string (agent/genie_call.py, ``GenieOutcome.tool_output``) carrying the Genie
conversation id. A client that
sends the history back (AI Playground, Databricks' chat templates) therefore continues
the Genie conversation with no ``custom_inputs`` at all.

This module imports nothing beyond the standard library: the services (worker, API,
terminal client, chat page) import it for the vocabulary without loading the agent.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, NamedTuple

KIND_KEY = "kind"
ITEM_DONE = "response.output_item.done"
TEXT_DELTA = "response.output_text.delta"
GENIE_TOOL = "query_genie_space"
DOCS_TOOL = "search_inventory_docs"


class Status(StrEnum):
    """Where a question is, in the order a question normally passes (DESIGN.md, the chunk)."""

    QUEUED = "queued"
    STARTING = "starting"
    FETCHING_METADATA = "fetching_metadata"
    GENERATING_SQL = "generating_sql"
    PENDING_WAREHOUSE = "pending_warehouse"
    EXECUTING = "executing"
    SUMMARIZING = "summarizing"
    SEARCHING_DOCUMENTS = "searching_documents"  # the documents tool, beside or instead of Genie
    COMPLETED = "completed"
    RETRYING = "retrying"
    FAILED = "failed"
    CANCELLED = "cancelled"


#: how a question's stream ends (its ``done`` chunk)
DONE_STATUSES = (Status.COMPLETED, Status.FAILED, Status.CANCELLED)


class Kind(StrEnum):
    """What one event of the agent's stream is."""

    STATUS = "status"
    TOOL_CALL = "tool_call"
    SQL = "sql"
    TABLE = "table"
    TOOL_RESULT = "tool_result"
    SOURCES = "sources"
    TEXT = "text"
    ANSWER = "answer"
    ERROR = "error"


class ErrorCode(StrEnum):
    """Why a question failed: the ``code`` of an error event or chunk."""

    # the agent's (Genie and the request)
    BAD_REQUEST = "bad_request"
    AUTH = "auth"
    NOT_FOUND = "not_found"
    RATE_LIMITED = "rate_limited"
    UNREACHABLE = "unreachable"
    TIMEOUT = "timeout"
    GENIE_FAILED = "genie_failed"
    GENIE_ERROR = "genie_error"
    QUERY_FAILED = "query_failed"
    NO_RESULT = "no_result"
    CANCELLED = "cancelled"
    INTERNAL = "internal"
    # the language model's (LLM mode)
    LLM_UNAVAILABLE = "llm_unavailable"
    LLM_ERROR = "llm_error"
    TOOL_LIMIT = "tool_limit"
    UNKNOWN_TOOL = "unknown_tool"
    # the documents tool's
    DOCS_INDEX_MISSING = "docs_index_missing"
    DOCS_SEARCH_FAILED = "docs_search_failed"
    # the services' (worker, API, chat page)
    AGENT_ERROR = "agent_error"
    AGENT_UNAVAILABLE = "agent_unavailable"
    AGENT_REJECTED = "agent_rejected"
    NO_ANSWER = "no_answer"
    GAVE_UP = "gave_up"
    GENIE_BUSY = "genie_busy"
    INTERNAL_ERROR = "internal_error"
    UNKNOWN_QUESTION = "unknown_question"


class Event(NamedTuple):
    """One event of the stream, read: its kind and the fields its kind defines."""

    kind: Kind
    payload: dict[str, Any]


def read_event(event: Mapping[str, Any]) -> Event | None:
    """Classify one streamed event (as a dict); None for events the contract does not define.

    The envelope's events (``response.created``, ``output_item.added``, …) carry no kind
    and read as None, so a reader that only wants the contract skips them.
    """
    event_type = event.get("type")
    if event_type == TEXT_DELTA:
        return Event(Kind.TEXT, {"delta": event.get("delta", ""), "item_id": event.get("item_id")})
    outputs = event.get("custom_outputs") or {}
    kind = outputs.get(KIND_KEY)
    if event_type != ITEM_DONE or kind not in Kind._value2member_map_:
        return None
    return Event(Kind(kind), {k: v for k, v in outputs.items() if k != KIND_KEY})

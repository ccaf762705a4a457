"""Searching the inventory documents: the local index, or a Databricks Vector Search index.

Both the language model's ``search_inventory_docs`` tool and the no-LLM route call
``documents_events``: it streams the "📚 Searching the policy documents…" status, then
the passages found as one ``sources`` event (title, section, passage: what the page and
the terminal client show under the answer), and returns the passages.

Where the passages come from is a setting, not a code path the caller chooses:
``DOCS_VECTOR_INDEX`` names a Vector Search index (Databricks; queried through
databricks-sdk's ``vector_search_indexes.query_index``, with the index declared as a
model resource so Model Serving passes credentials), else ``DOCS_INDEX_PATH`` is the
local FTS5 index that ``inventory-agent data generate`` builds (agent/docs_index.py).
A Vector Search index over the same corpus has one row per section with the columns
``doc``, ``title``, ``section`` and ``text``.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any, Protocol

from databricks.sdk import WorkspaceClient

from agent import docs_index, stream_events
from agent.docs_index import Passage
from agent.stream_contract import ErrorCode, Status

SEARCHING_DOCUMENTS = (Status.SEARCHING_DOCUMENTS, "📚 Searching the policy documents…")
#: the Vector Search index's columns, in the order the passage takes them
VECTOR_COLUMNS = ["doc", "title", "section", "text"]


class DocsSettings(Protocol):
    """The settings the documents search reads (the agent's settings class has them)."""

    docs_vector_index: str | None
    docs_index_path: Path
    docs_results: int


class DocsSearchError(RuntimeError):
    """The documents could not be searched; ``code`` and ``retryable`` as Genie errors have."""

    def __init__(self, code: str, message: str, retryable: bool = False) -> None:
        super().__init__(message)
        self.code, self.message, self.retryable = code, message, retryable


def search_documents(
    query: str, settings: DocsSettings, workspace: Callable[[], WorkspaceClient]
) -> list[Passage]:
    """The passages that best answer ``query``, best first (at most ``docs_results``)."""
    if settings.docs_vector_index:
        return _vector_search(query, settings, workspace())
    try:
        return docs_index.search(settings.docs_index_path, query, settings.docs_results)
    except docs_index.DocsIndexError as error:
        raise DocsSearchError(ErrorCode.DOCS_INDEX_MISSING, str(error)) from error


def _vector_search(query: str, settings: DocsSettings, client: WorkspaceClient) -> list[Passage]:
    try:
        response = client.vector_search_indexes.query_index(
            index_name=settings.docs_vector_index,
            columns=VECTOR_COLUMNS,
            query_text=query,
            num_results=settings.docs_results,
        )
    except Exception as error:  # the SDK's errors: auth, missing index, throttling, network
        retryable = type(error).__name__ in {"TooManyRequests", "TemporarilyUnavailable"}
        message = f"Vector Search index {settings.docs_vector_index} failed: {error}"
        raise DocsSearchError(ErrorCode.DOCS_SEARCH_FAILED, message, retryable) from error
    names = (
        [column.name for column in (response.manifest.columns or [])] if response.manifest else []
    )
    rows = response.result.data_array if response.result and response.result.data_array else []
    passages = []
    for row in rows:
        values = dict(zip(names, row, strict=False))
        score = float(values.get("score") or 0.0)
        passages.append(Passage(*(str(values.get(c) or "") for c in VECTOR_COLUMNS), score))
    return passages


def documents_events(
    query: str,
    settings: DocsSettings,
    workspace: Callable[[], WorkspaceClient],
    **ids: Any,
) -> Generator[dict[str, Any], None, list[Passage]]:
    """Stream the search's status and its sources; return the passages (raises DocsSearchError).

    ``ids`` (the Genie conversation id) ride along in every event, as Genie's own do.
    """
    status_id = stream_events.new_id("status")
    yield stream_events.status_event(status_id, *SEARCHING_DOCUMENTS, genie_status=None, **ids)
    passages = search_documents(query, settings, workspace)
    sources = [passage.as_dict() for passage in passages]
    yield stream_events.sources_event(stream_events.new_id("sources"), sources, query=query, **ids)
    return passages


def tool_output(query: str, passages: list[Passage]) -> dict[str, Any]:
    """What a language model reads: each passage with its source, to quote and cite."""
    return {
        "status": Status.COMPLETED,
        "query": query,
        "passages": [passage.as_dict() for passage in passages],
        "found": len(passages),
    }


def documents_answer(passages: list[Passage]) -> str:
    """The answer without a language model: the best passage, quoted with its source."""
    if not passages:
        return "The policy documents say nothing about that."
    best = passages[0]
    return f"From **{best.title}**, “{best.section}”:\n\n{best.text}"

"""The documents search on Databricks: Vector Search through databricks-sdk, and its resource.

A loopback HTTP server answers the Vector Search REST call as a workspace does, so the
real databricks-sdk request and response parsing are what is tested.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from databricks.sdk import WorkspaceClient

from agent.docs_search import (
    SEARCHING_DOCUMENTS,
    DocsSearchError,
    documents_answer,
    documents_events,
    search_documents,
)
from agent.settings import AgentSettings
from agent.stream_contract import Kind, read_event

INDEX = "main.inventory.inventory_docs_index"
ROW = ["supplier-apex-components", "Supplier terms: Apex Components (SUP-01)", "Lead time",
       "The quoted lead time of Apex Components is 7 days.", 0.91]  # fmt: skip


class _VectorSearch(BaseHTTPRequestHandler):
    requests: ClassVar[list[tuple[str, dict[str, Any]]]] = []
    status = 200

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append((self.path, body))
        if type(self).status != 200:
            payload = {"error_code": "NOT_FOUND", "message": f"Index {INDEX} does not exist."}
        else:
            columns = [*body["columns"], "score"]
            payload = {
                "manifest": {"column_count": 5, "columns": [{"name": c} for c in columns]},
                "result": {"row_count": 1, "data_array": [ROW]},
            }
        data = json.dumps(payload).encode()
        self.send_response(type(self).status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def workspace() -> Iterator[WorkspaceClient]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _VectorSearch)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _VectorSearch.requests, _VectorSearch.status = [], 200
    try:
        yield WorkspaceClient(host=f"http://127.0.0.1:{server.server_port}", token="dapi-test")
    finally:
        server.shutdown()


def _settings(**values: Any) -> AgentSettings:
    return AgentSettings(databricks_host=None, docs_vector_index=INDEX, **values)


def test_a_named_index_is_queried_through_the_sdk(workspace: WorkspaceClient):
    [passage] = search_documents("lead time of Apex", _settings(docs_results=2), lambda: workspace)
    assert (passage.doc, passage.section, passage.score) == (ROW[0], "Lead time", 0.91)
    assert "7 days" in passage.text
    [(path, body)] = _VectorSearch.requests
    assert path == f"/api/2.0/vector-search/indexes/{INDEX}/query"
    assert body["query_text"] == "lead time of Apex" and body["num_results"] == 2
    assert body["columns"] == ["doc", "title", "section", "text"]


def test_an_index_that_fails_is_a_named_error(workspace: WorkspaceClient):
    _VectorSearch.status = 404
    with pytest.raises(DocsSearchError, match=f"{INDEX} failed") as caught:
        search_documents("lead time", _settings(), lambda: workspace)
    assert caught.value.code == "docs_search_failed" and not caught.value.retryable


def test_the_search_streams_its_status_then_its_sources(tmp_path: Path):
    from agent.docs_index import build_index
    from genie_local.corpus import document_paths

    index = tmp_path / "docs.sqlite"
    build_index(document_paths(), index)
    settings = AgentSettings(docs_vector_index=None, docs_index_path=index)
    events = documents_events("receiving hours in Boston", settings, _no_workspace, x="y")
    read = []
    try:
        while True:
            read.append(read_event(next(events)))
    except StopIteration as stop:
        passages = stop.value
    (status_kind, status), (sources_kind, sources) = read  # Event is a (kind, payload) pair
    assert status_kind is Kind.STATUS and status["status"] == SEARCHING_DOCUMENTS[0]
    assert status["message"] == "📚 Searching the policy documents…" and status["x"] == "y"
    assert sources_kind is Kind.SOURCES and sources["query"] == "receiving hours in Boston"
    assert [s["section"] for s in sources["sources"]] == [p.section for p in passages]
    assert documents_answer(passages).startswith(
        "From **Warehouse procedures: Boston DC (WH-BOS)**, “Receiving hours”"
    )


def _no_workspace() -> WorkspaceClient:
    raise AssertionError("the local index needs no workspace")

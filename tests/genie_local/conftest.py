"""Fixtures for the local Genie space's tests: SDK clients and runtime fault switching."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from databricks.sdk import WorkspaceClient

from genie_local.database import ReadOnlyDatabase
from genie_local.nl2sql import Engine
from genie_local.server.client import local_client
from harness.processes import CLI, Server, free_port, running
from services.common.settings import get_settings
from tests.genie_local.nl2sql_cases import OfflineSpace

STRICT_TOKEN = "s3cret-token"


@pytest.fixture(scope="session")
def space_id() -> str:
    return get_settings().genie_space_id


@pytest.fixture(scope="session")
def offline_space(demo_db: Path) -> OfflineSpace:
    """The offline engine, no LLM planner, over the session's demo database."""
    db = ReadOnlyDatabase(demo_db)
    return OfflineSpace(Engine(db, planner=None), db)


@pytest.fixture(scope="session")
def genie(genie_server: Server) -> WorkspaceClient:
    """databricks-sdk's client against the session's local Genie server."""
    return local_client(genie_server.url)


def put_config(server: Server, **fields: object) -> dict:
    request = urllib.request.Request(
        f"{server.url}/local/config",
        data=json.dumps(fields).encode(),
        method="PUT",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


@pytest.fixture
def genie_config(genie_server: Server) -> Iterator[Callable[..., dict]]:
    """Change the running server's faults and delays; always restored afterwards."""
    yield lambda **fields: put_config(genie_server, **fields)
    put_config(genie_server, fault=None, step_delay_s=0)


@pytest.fixture(scope="session")
def strict_genie_server(
    demo_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """A second server started with a required token and LOCAL_GENIE_FAULT=fail."""
    port = free_port()
    log = tmp_path_factory.mktemp("genie-strict") / "genie.log"
    argv = [*CLI, "genie", "serve", "--db", str(demo_db), "--port", str(port)]
    env = {"LOCAL_GENIE_TOKEN": STRICT_TOKEN, "LOCAL_GENIE_FAULT": "fail"}
    with running(argv, port, log, env=env, ready_url=f"http://127.0.0.1:{port}/healthz") as server:
        yield server

"""Fixtures shared by the pipeline's tests (worker, client, end to end)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from harness.processes import Server


@pytest.fixture
def slow_genie(genie_server: Server) -> Iterator[None]:
    """Genie takes a second per step, so a question can be cancelled or interrupted mid-way."""
    httpx.put(f"{genie_server.url}/local/config", json={"step_delay_s": 1.0}).raise_for_status()
    yield
    httpx.put(f"{genie_server.url}/local/config", json={"step_delay_s": 0.0}).raise_for_status()

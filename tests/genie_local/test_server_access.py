"""Who reaches the local Genie: a Host allow-list, and a token for ``/local/*`` whenever
the server listens beyond loopback or has a token set.

The audit reached ``PUT /local/config`` with ``Host: evil.example`` (what a DNS-rebinding
page sends) and no token; each server here is a real ``genie serve`` process.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from genie_local.server.access import LOOPBACK_HOSTS, access_from_settings, is_loopback
from harness.processes import CLI, Server, free_port, running
from services.common.settings import Settings
from tests.genie_local.conftest import STRICT_TOKEN

SPACES = "/api/2.0/genie/spaces"
ANY_BEARER = {"Authorization": "Bearer anything"}


def _get(server: Server, path: str, **headers: str) -> httpx.Response:
    return httpx.get(f"{server.url}{path}", headers=headers, timeout=10)


def _put_config(server: Server, **headers: str) -> httpx.Response:
    return httpx.put(
        f"{server.url}/local/config", json={"step_delay_s": 0}, headers=headers, timeout=10
    )


@pytest.fixture(scope="module")
def open_genie(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``genie serve --host 0.0.0.0`` with no token: reachable from other machines."""
    port = free_port()
    log = tmp_path_factory.mktemp("genie-open") / "genie.log"
    argv = [*CLI, "genie", "serve", "--db", str(demo_db), "--host", "0.0.0.0", "--port", str(port)]
    env = {"LOCAL_GENIE_ALLOWED_HOSTS": "genie.internal"}
    ready = f"http://127.0.0.1:{port}/healthz"
    with running(argv, port, log, env=env, ready_url=ready) as server:
        yield server


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8090", "127.0.0.1.evil.example"])
def test_a_foreign_host_name_is_refused(genie_server: Server, host: str) -> None:
    assert _put_config(genie_server, Host=host).status_code == 400
    assert _get(genie_server, SPACES, Host=host, **ANY_BEARER).status_code == 400
    assert _get(genie_server, "/healthz", Host=host).status_code == 400


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "LOCALHOST:1234", "[::1]:8090"])
def test_loopback_names_are_answered(genie_server: Server, host: str) -> None:
    assert _get(genie_server, SPACES, Host=host, **ANY_BEARER).status_code == 200


def test_on_loopback_with_no_token_local_routes_stay_open(genie_server: Server) -> None:
    assert _put_config(genie_server).status_code == 200
    assert _get(genie_server, "/local/stats").status_code == 200


def test_a_set_token_guards_local_routes(strict_genie_server: Server) -> None:
    assert _put_config(strict_genie_server).status_code == 401
    assert _get(strict_genie_server, "/local/stats").status_code == 401
    wrong = _put_config(strict_genie_server, Authorization="Bearer wrong")
    assert wrong.status_code == 403 and wrong.json()["error_code"] == "PERMISSION_DENIED"
    right = {"Authorization": f"Bearer {STRICT_TOKEN}"}
    assert _put_config(strict_genie_server, **right).status_code == 200
    assert _get(strict_genie_server, "/local/stats", **right).status_code == 200


def test_beyond_loopback_with_no_token_local_routes_are_shut(open_genie: Server) -> None:
    refused = _put_config(open_genie, Authorization="Bearer anything")
    assert refused.status_code == 403
    assert "set LOCAL_GENIE_TOKEN" in refused.json()["message"]
    assert _get(open_genie, "/local/stats").status_code == 403
    # the Genie API itself still answers, and health checks need no token
    assert _get(open_genie, SPACES, **ANY_BEARER).status_code == 200
    assert _get(open_genie, "/healthz").status_code == 200


def test_configured_host_names_are_answered(open_genie: Server) -> None:
    assert _get(open_genie, SPACES, Host="genie.internal:8090", **ANY_BEARER).status_code == 200
    assert _get(open_genie, SPACES, Host="evil.example", **ANY_BEARER).status_code == 400


def test_the_allow_list_follows_the_settings() -> None:
    settings = Settings(
        local_genie_base_url="http://genie:8090", local_genie_allowed_hosts="a.example, B.example"
    )
    access = access_from_settings(settings, "0.0.0.0")
    assert access.allowed_hosts == (*LOOPBACK_HOSTS, "a.example", "b.example", "genie")
    assert access.beyond_loopback and access.admin_needs_token
    loopback = access_from_settings(Settings(local_genie_base_url=None), "127.0.0.1")
    assert not loopback.admin_needs_token


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("[::1]", True),
     ("localhost", True), ("0.0.0.0", False), ("::", False), ("10.0.0.5", False),
     ("genie", False)],
)  # fmt: skip
def test_which_bind_addresses_are_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback

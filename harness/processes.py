"""Start the project's real servers as child processes for tests, and stop them cleanly.

Every server in a test is the same command a user runs (``inventory-agent …``), on a
free loopback port, so tests exercise real uvicorn, real Redis and real sockets.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "cli.main"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout_s: float = 30.0, process: subprocess.Popen | None = None):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before listening")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listened on port {port} within {timeout_s} s")


def wait_for_http(url: str, timeout_s: float = 60.0, process: subprocess.Popen | None = None):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status < 500:
                    return
        except urllib.error.HTTPError as error:
            if error.code < 500:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout_s} s")


def wait_for_redis(port: int, timeout_s: float = 60.0, process: subprocess.Popen | None = None):
    """Until Redis answers PING. A Redis restarted on its AOF listens at once but answers
    every command with -LOADING until the log is read back, so a listening port is not
    yet a Redis that serves."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before answering PING")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5) as s:
            s.sendall(b"PING\r\n")
            if s.recv(64).startswith(b"+PONG"):
                return
        time.sleep(0.05)
    raise TimeoutError(f"Redis on port {port} did not answer PING within {timeout_s} s")


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self, sig: int = signal.SIGTERM, timeout_s: float = 10.0) -> None:
        if self.process.poll() is not None:
            return
        self.process.send_signal(sig)
        try:
            self.process.wait(timeout_s)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start(
    argv: list[str],
    port: int,
    log_path: Path,
    env: Mapping[str, str] | None = None,
    ready_url: str | None = None,
    timeout_s: float = 60.0,
    redis: bool = False,
) -> Server:
    """Start ``argv`` with ``env`` added to this environment; wait until it serves: until
    ``ready_url`` answers, a ``redis`` server answers PING, or else the port listens."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_file = log_path.open("ab")
    process = subprocess.Popen(
        argv,
        cwd=REPO_ROOT,
        env={**os.environ, **(env or {})},
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    log_file.close()
    server = Server(process, port, log_path)
    try:
        if ready_url:
            wait_for_http(ready_url, timeout_s, process)
        elif redis:
            wait_for_redis(port, timeout_s, process)
        else:
            wait_for_port(port, timeout_s, process)
    except Exception:
        server.stop()
        raise RuntimeError(f"{argv} failed to start:\n{server.log()[-3000:]}") from None
    return server


@contextlib.contextmanager
def running(*args, **kwargs) -> Iterator[Server]:
    server = start(*args, **kwargs)
    try:
        yield server
    finally:
        server.stop()

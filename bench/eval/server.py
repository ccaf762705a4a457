"""Start the local Genie server for one evaluation run when no --url is given."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def local_genie(db: Path, timeout_s: float = 60.0) -> Iterator[str]:
    """`inventory-agent genie serve` on a free loopback port; yields its URL, stops it after."""
    port = _free_port()
    argv = [
        sys.executable,
        "-m",
        "cli.main",
        "genie",
        "serve",
        "--db",
        str(db),
        "--port",
        str(port),
    ]
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if process.poll() is not None:
                error = process.stderr.read().decode(errors="replace") if process.stderr else ""
                raise RuntimeError(
                    f"the Genie server exited ({process.returncode}): {error[-2000:]}"
                )
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"the Genie server did not start in {timeout_s} s") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

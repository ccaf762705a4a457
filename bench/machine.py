"""The machine a benchmark ran on, so figures in BENCHMARKS.md can be compared fairly."""

from __future__ import annotations

import os
import platform
import time
from pathlib import Path


def _first(path: str, prefix: str) -> str | None:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip()
    except OSError:
        return None
    return None


def describe() -> str:
    """One line: date, CPU model, cores, memory, OS and Python."""
    cpu = _first("/proc/cpuinfo", "model name") or platform.processor() or "unknown CPU"
    mem_kb = _first("/proc/meminfo", "MemTotal")
    memory = f"{int(mem_kb.split()[0]) / 1024 / 1024:.1f} GiB" if mem_kb else "unknown memory"
    return (
        f"{time.strftime('%Y-%m-%d')} · {cpu} · nproc {os.cpu_count()} · {memory} RAM · "
        f"{platform.system()} {platform.release()} · Python {platform.python_version()}"
    )


def rss_mb(pid: int) -> float:
    """Resident memory of a process, from /proc (0 once it has exited)."""
    value = _first(f"/proc/{pid}/status", "VmRSS")
    return int(value.split()[0]) / 1024 if value else 0.0

"""`python -m bench` (`make bench`): every benchmark once, short settings, figures printed.

Each runs as its own ``python -m bench.<name>`` process (they start and stop their own
servers), one after another so they do not compete for the CPU. The answer-quality
evaluation has its own command (``make eval``).
"""

from __future__ import annotations

import subprocess
import sys
import time

from bench.machine import describe

SHORT_RUNS = [
    ("datagen", ["--scales", "1"]),
    ("genie_api", ["-n", "20", "--scales", "1"]),
    ("agent_latency", ["-n", "20"]),
    ("llm_agent_latency", ["-n", "20"]),
    ("pipeline", ["--levels", "50", "--seconds", "10", "--burst", "20"]),
    ("load", ["--questions", "100", "--seconds", "15", "--clients", "50", "--idle", "200"]),
]


def main() -> int:
    print(f"machine: {describe()}\n", flush=True)
    failed = []
    for name, args in SHORT_RUNS:
        print(f"=== bench.{name} {' '.join(args)}", flush=True)
        started = time.monotonic()
        code = subprocess.call([sys.executable, "-m", f"bench.{name}", *args])
        print(f"--- {time.monotonic() - started:.0f} s, exit {code}\n", flush=True)
        if code:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Question → COMPLETED through the local Genie API, at scale 1 and scale 10.

Generates both demo databases into a temporary directory with the real CLI, starts
``inventory-agent genie serve`` (0 step delay) on each, and asks the space's sample
questions round-robin through databricks-sdk: start_conversation, then get_message
polled every 2 ms until COMPLETED (the tight poll keeps polling from dominating the
figure). Prints p50/p95/max per scale side by side, and per question. Not asserted.

    python -m bench.genie_api [-n 60] [--scales 1 10]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from databricks.sdk import WorkspaceClient
from databricks.sdk.service.dashboards import MessageStatus

from genie_local.server.client import local_client
from harness.processes import CLI, free_port, running
from services.common.inventory_space import SAMPLE_QUESTIONS
from services.common.settings import get_settings

POLL_S = 0.002


def time_question(client: WorkspaceClient, space_id: str, question: str) -> float:
    """Seconds from sending the question to seeing COMPLETED."""
    began = time.perf_counter()
    started = client.genie.start_conversation(space_id, question).response
    while True:
        message = client.genie.get_message(space_id, started.conversation_id, started.message_id)
        if message.status == MessageStatus.COMPLETED:
            return time.perf_counter() - began
        if message.status in {MessageStatus.FAILED, MessageStatus.CANCELLED}:
            raise RuntimeError(f"{question!r} ended {message.status}: {message.error}")
        time.sleep(POLL_S)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run_scale(scale: int, n: int, workdir: Path) -> dict[str, list[float]]:
    db = workdir / f"inventory-scale{scale}.duckdb"
    began = time.perf_counter()
    subprocess.run(
        [*CLI, "data", "generate", "--db", str(db), "--scale", str(scale)],
        check=True,
        capture_output=True,
    )
    print(
        f"scale {scale}: generated {db.stat().st_size / 1e6:.0f} MB in "
        f"{time.perf_counter() - began:.1f} s"
    )
    port = free_port()
    argv = [*CLI, "genie", "serve", "--db", str(db), "--port", str(port)]
    log = workdir / f"genie-scale{scale}.log"
    per_question: dict[str, list[float]] = defaultdict(list)
    with running(argv, port, log, ready_url=f"http://127.0.0.1:{port}/healthz") as server:
        client = local_client(server.url)
        space_id = get_settings().genie_space_id
        time_question(client, space_id, SAMPLE_QUESTIONS[0])  # warm-up, not counted
        for i in range(n):
            question = SAMPLE_QUESTIONS[i % len(SAMPLE_QUESTIONS)]
            per_question[question].append(time_question(client, space_id, question))
    return per_question


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=60, help="questions per scale")
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    args = parser.parse_args()
    results: dict[int, dict[str, list[float]]] = {}
    with tempfile.TemporaryDirectory(prefix="genie-bench-") as workdir:
        for scale in args.scales:
            results[scale] = run_scale(scale, args.n, Path(workdir))

    header = "".join(f"{f'scale {s}':>22}" for s in args.scales)
    print(f"\nquestion → COMPLETED (ms), {args.n} questions per scale, 0 step delay")
    print(f"{'':58}{header}")
    print(f"{'':58}" + "".join(f"{'p50':>11}{'p95':>11}" for _ in args.scales))
    everything = {s: [t for times in results[s].values() for t in times] for s in args.scales}
    rows = [("all questions", everything)]
    rows += [(q, {s: results[s][q] for s in args.scales}) for q in SAMPLE_QUESTIONS]
    for label, by_scale in rows:
        cells = "".join(
            f"{statistics.median(v) * 1000:>11.1f}{percentile(v, 0.95) * 1000:>11.1f}"
            for v in (by_scale[s] for s in args.scales)
        )
        print(f"{label[:56]:<58}{cells}")


if __name__ == "__main__":
    main()

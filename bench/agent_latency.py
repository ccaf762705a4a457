"""How long the agent takes to show progress and to answer, and what it adds over Genie.

Starts the local Genie (0 step delay) and ``inventory-agent serve-agent``, then asks the
same question N times in a row three ways, side by side:

- ``bare sdk``: databricks-sdk alone — start_conversation, get_message polled at the
  agent's local interval (its first answer is the first status), then
  get_message_attachment_query_result (what the agent must do);
- ``in-process``: the agent's ``predict_stream`` called directly (agent logic, no HTTP);
- ``serve-agent``: the official openai client streaming ``/responses`` (what the worker
  sees), timed to its first contract event (the ``query_genie_space`` call), to the
  first status event and to the final answer.

The agent here routes straight to Genie (no language model: the no-LLM mode).

The openai client's first streamed call in a process pays ~0.4 s of one-time imports
(DESIGN.md); one warm-up call per path is made first and reported on its own.

    python -m bench.agent_latency [-n 50] [--db data/inventory.duckdb]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from agent.genie_agent import InventoryGenieAgent
from agent.genie_status import TERMINAL
from agent.settings import AgentSettings
from agent.stream_contract import Kind, read_event
from agent.workspace import workspace_client
from harness.agent_stream import agent_client
from harness.processes import CLI, free_port, running

QUESTION = "Which parts are below reorder point?"
Timing = dict[str, float]


def bare_sdk(settings: AgentSettings) -> Callable[[], Timing]:
    client = workspace_client(settings)
    genie, space = client.genie, settings.genie_space_id

    def ask() -> Timing:
        started = time.perf_counter()
        timing: Timing = {}
        wait = genie.start_conversation(space, QUESTION)
        while True:
            message = genie.get_message(space, wait.conversation_id, wait.message_id)
            timing.setdefault("first_status", time.perf_counter() - started)
            if message.status in TERMINAL:
                break
            time.sleep(settings.genie_local_poll_s)
        query = next(a for a in message.attachments or [] if a.query)
        genie.get_message_attachment_query_result(
            space, message.conversation_id, message.message_id, query.attachment_id
        )
        return {**timing, "answer": time.perf_counter() - started}

    return ask


def in_process(settings: AgentSettings) -> Callable[[], Timing]:
    agent = InventoryGenieAgent(settings)
    request = {"input": [{"role": "user", "content": QUESTION}]}

    def ask() -> Timing:
        return _timed(lambda: (e.model_dump() for e in agent.predict_stream(request)))

    return ask


def through_server(agent_url: str) -> Callable[[], Timing]:
    client = agent_client(agent_url)

    def events():
        stream = client.responses.create(
            model="inventory_genie_agent",
            input=[{"role": "user", "content": QUESTION}],
            stream=True,
        )
        return (event.model_dump() for event in stream)

    return lambda: _timed(events)


def _timed(events: Callable) -> Timing:
    """Seconds from the request to the first event, the first status and the answer."""
    started = time.perf_counter()
    timing: Timing = {}
    for raw in events():
        if (event := read_event(raw)) is None:
            continue
        kind, payload = event
        now = time.perf_counter() - started
        timing.setdefault("first_event", now)
        if kind == Kind.STATUS:
            timing.setdefault("first_status", now)
        if kind == Kind.ANSWER:
            if payload["status"] != "completed":
                raise SystemExit(f"the agent failed: {payload['text']}")
            timing["answer"] = now
    return timing


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(name: str, ask: Callable[[], Timing], n: int) -> dict[str, list[float]]:
    warm_up = ask()
    print(f"{name:>12}: warm-up call {warm_up['answer'] * 1000:.1f} ms to answer", flush=True)
    runs = [ask() for _ in range(n)]
    return {key: [run[key] for run in runs] for key in runs[0]}


def report(results: dict[str, dict[str, list[float]]]) -> None:
    print_table(results)
    for measure_name in ("first_status", "answer"):
        bare = statistics.median(results["bare sdk"][measure_name])
        for name in ("in-process", "serve-agent"):
            extra = statistics.median(results[name][measure_name]) - bare
            print(
                f"agent overhead ({name}) over bare sdk, p50 to {measure_name}: "
                f"{extra * 1000:+.1f} ms"
            )


def print_table(results: dict[str, dict[str, list[float]]]) -> None:
    print(f"\n{'path':>12} {'measure':>13} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8}")
    for name, figures in results.items():
        for measure_name, values in figures.items():
            p50, p95 = _percentile(values, 0.5), _percentile(values, 0.95)
            line = f"{name:>12} {measure_name:>13} {p50 * 1000:>8.1f} {p95 * 1000:>8.1f}"
            print(f"{line} {statistics.mean(values) * 1000:>8.1f}")


def parse_args(doc: str, default_n: int, argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("-n", type=int, default=default_n, help="questions per path")
    parser.add_argument("--db", type=Path, help="demo DuckDB (default: generate one)")
    return parser.parse_args(argv)


@dataclass(frozen=True)
class LocalGenie:
    """A local Genie at 0 step delay, and a work folder for the other servers' logs."""

    workdir: Path
    port: int

    def agent_settings(self, **overrides: str) -> AgentSettings:
        """The in-process agent's settings: this Genie, whatever the machine's .env says."""
        return AgentSettings(
            genie_port=self.port,
            databricks_host=None,
            databricks_config_profile=None,
            local_genie_base_url=None,
            mlflow_tracing=False,
            **overrides,
        )

    def agent_server_env(self, **overrides: str) -> dict[str, str]:
        """The same for a ``serve-agent`` process, as its environment."""
        env = {"GENIE_PORT": str(self.port), "DATABRICKS_HOST": "", "MLFLOW_TRACING": "false"}
        return env | {name.upper(): value for name, value in overrides.items()}


@contextmanager
def local_genie(db: Path | None, prefix: str) -> Iterator[LocalGenie]:
    """Serve ``db`` (a freshly generated demo database when None) from a local Genie."""
    with tempfile.TemporaryDirectory(prefix=prefix) as directory:
        workdir = Path(directory)
        if db is None:
            db = workdir / "inventory.duckdb"
            subprocess.run([*CLI, "data", "generate", "--db", str(db)], check=True)
        port = free_port()
        argv = [*CLI, "genie", "serve", "--db", str(db), "--port", str(port)]
        with running(
            argv, port, workdir / "genie.log", ready_url=f"http://127.0.0.1:{port}/healthz"
        ):
            yield LocalGenie(workdir, port)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(__doc__, 50, argv)
    with local_genie(args.db, "bench-agent-") as genie:
        agent_port = free_port()
        agent_argv = [*CLI, "serve-agent", "--port", str(agent_port)]
        with running(
            agent_argv,
            agent_port,
            genie.workdir / "agent.log",
            env=genie.agent_server_env(),
            ready_url=f"http://127.0.0.1:{agent_port}/health",
        ) as agent:
            settings = genie.agent_settings()
            print(f"{args.n} sequential questions per path, local Genie at 0 step delay")
            results = {
                "bare sdk": measure("bare sdk", bare_sdk(settings), args.n),
                "in-process": measure("in-process", in_process(settings), args.n),
                "serve-agent": measure("serve-agent", through_server(agent.url), args.n),
            }
    report(results)


if __name__ == "__main__":
    sys.exit(main())

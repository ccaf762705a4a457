"""What the language model's tool loop adds: p50 to the first status and to the answer.

Starts the local Genie (0 step delay), the stand-in model (harness/scripted_model.py, no
delay: it asks Genie the user's words, then answers from the result) and
``inventory-agent serve-agent`` with that model configured, then asks the same question
N times in a row four ways:

- ``bare sdk``: databricks-sdk alone (bench/agent_latency.py's baseline);
- ``direct``: the agent in-process with no model (straight to Genie);
- ``llm``: the agent in-process with the model: two streamed chat completions and one
  tool call around the same Genie question;
- ``llm server``: the same through serve-agent and the openai client (what the worker sees).

The stand-in answers at once, so the figures are the loop's own cost (HTTP to the
model, history, tool items), not a real model's thinking time.

    python -m bench.llm_agent_latency [-n 30] [--db data/inventory.duckdb]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from agent.settings import AgentSettings
from bench.agent_latency import _percentile, bare_sdk, in_process, measure, through_server
from harness import scripted_model
from harness.processes import CLI, free_port, running


def report(results: dict[str, dict[str, list[float]]]) -> None:
    print(f"\n{'path':>12} {'measure':>13} {'p50 ms':>8} {'p95 ms':>8}")
    for name, figures in results.items():
        for measure_name, values in figures.items():
            p50, p95 = _percentile(values, 0.5), _percentile(values, 0.95)
            print(f"{name:>12} {measure_name:>13} {p50 * 1000:>8.1f} {p95 * 1000:>8.1f}")
    for measure_name in ("first_status", "answer"):
        for base, names in (("bare sdk", ("direct", "llm", "llm server")), ("direct", ("llm",))):
            p50 = statistics.median(results[base][measure_name])
            for name in names:
                extra = statistics.median(results[name][measure_name]) - p50
                print(f"{name} over {base}, p50 to {measure_name}: {extra * 1000:+.1f} ms")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=30, help="questions per path (default 30)")
    parser.add_argument("--db", type=Path, help="demo DuckDB (default: generate one)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-llm-") as directory:
        workdir = Path(directory)
        db = args.db or workdir / "inventory.duckdb"
        if args.db is None:
            subprocess.run([*CLI, "data", "generate", "--db", str(db)], check=True)
        genie_port, model_port, agent_port = free_port(), free_port(), free_port()
        genie_argv = [*CLI, "genie", "serve", "--db", str(db), "--port", str(genie_port)]
        model_argv = scripted_model.command(model_port)
        model_url = f"http://127.0.0.1:{model_port}/v1"
        llm = {"agent_llm_base_url": model_url, "agent_llm_model": "scripted-model"}
        env = {
            "GENIE_PORT": str(genie_port),
            "DATABRICKS_HOST": "",
            "MLFLOW_TRACING": "false",
            **{name.upper(): value for name, value in llm.items()},
        }
        agent_argv = [*CLI, "serve-agent", "--port", str(agent_port)]
        with (
            running(genie_argv, genie_port, workdir / "genie.log",
                    ready_url=f"http://127.0.0.1:{genie_port}/healthz"),
            running(model_argv, model_port, workdir / "model.log",
                    ready_url=f"http://127.0.0.1:{model_port}/healthz"),
            running(agent_argv, agent_port, workdir / "agent.log", env=env,
                    ready_url=f"http://127.0.0.1:{agent_port}/health") as agent,
        ):  # fmt: skip
            local = {
                "genie_port": genie_port,
                "databricks_host": None,
                "databricks_config_profile": None,
                "local_genie_base_url": None,
                "mlflow_tracing": False,
            }
            direct = AgentSettings(**local)
            print(f"{args.n} sequential questions per path, Genie and model at 0 delay")
            results: dict[str, dict[str, list[float]]] = {
                "bare sdk": measure("bare sdk", bare_sdk(direct), args.n),
                "direct": measure("direct", in_process(direct), args.n),
                "llm": measure("llm", in_process(AgentSettings(**local, **llm)), args.n),
                "llm server": measure("llm server", through_server(agent.url), args.n),
            }
    report(results)


if __name__ == "__main__":
    sys.exit(main())

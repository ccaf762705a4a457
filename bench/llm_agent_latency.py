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

import statistics
import sys

from bench.agent_latency import (
    bare_sdk,
    in_process,
    local_genie,
    measure,
    parse_args,
    print_table,
    through_server,
)
from harness import scripted_model
from harness.processes import CLI, free_port, running


def report(results: dict[str, dict[str, list[float]]]) -> None:
    print_table(results)
    for measure_name in ("first_status", "answer"):
        for base, names in (("bare sdk", ("direct", "llm", "llm server")), ("direct", ("llm",))):
            p50 = statistics.median(results[base][measure_name])
            for name in names:
                extra = statistics.median(results[name][measure_name]) - p50
                print(f"{name} over {base}, p50 to {measure_name}: {extra * 1000:+.1f} ms")


def main(argv: list[str] | None = None) -> None:
    args = parse_args(__doc__, 30, argv)
    with local_genie(args.db, "bench-llm-") as genie:
        model_port, agent_port = free_port(), free_port()
        model_url = f"http://127.0.0.1:{model_port}/v1"
        llm = {"agent_llm_base_url": model_url, "agent_llm_model": "scripted-model"}
        agent_argv = [*CLI, "serve-agent", "--port", str(agent_port)]
        with (
            running(scripted_model.command(model_port), model_port, genie.workdir / "model.log",
                    ready_url=f"http://127.0.0.1:{model_port}/healthz"),
            running(agent_argv, agent_port, genie.workdir / "agent.log",
                    env=genie.agent_server_env(**llm),
                    ready_url=f"http://127.0.0.1:{agent_port}/health") as agent,
        ):  # fmt: skip
            direct = genie.agent_settings()
            print(f"{args.n} sequential questions per path, Genie and model at 0 delay")
            results: dict[str, dict[str, list[float]]] = {
                "bare sdk": measure("bare sdk", bare_sdk(direct), args.n),
                "direct": measure("direct", in_process(direct), args.n),
                "llm": measure("llm", in_process(genie.agent_settings(**llm)), args.n),
                "llm server": measure("llm server", through_server(agent.url), args.n),
            }
    report(results)


if __name__ == "__main__":
    sys.exit(main())

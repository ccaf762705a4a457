"""A tiny scripted ResponsesAgent behind MLflow's AgentServer, for the pipeline benchmark.

It speaks ``agent.stream_contract`` (built with agent/stream_events.py) like the real
agent (statuses, SQL, a table, answer text deltas, the answer) but without Genie, so the
benchmark measures the pipeline (API, arq, Redis, websocket) and not NL→SQL. Its
``step_delay_s`` spreads the events over time the way a real run does, so chunks flow
while other questions start.

Run: ``python -m bench.scripted_agent --port P [--step-delay-s S]``; the benchmark
changes the pace between rounds with ``PUT /pacing {"step_delay_s": S}``.
"""

from __future__ import annotations

import argparse
import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import mlflow
import uvicorn
from fastapi import FastAPI
from mlflow.genai.agent_server import AgentServer, stream
from mlflow.types.responses import ResponsesAgentRequest

from agent.stream_events import (
    answer_event,
    sql_event,
    status_event,
    table_event,
    text_delta_event,
)

SQL = "SELECT part_id, on_hand FROM inventory WHERE on_hand < reorder_point LIMIT 3"
ANSWER_WORDS = ["Three", " parts", " are", " below", " their", " reorder", " point."]
STEP_DELAY_S = 0.0


def scripted_run(conversation_id: str) -> list[dict[str, Any]]:
    """One run's events, in the order the real agent emits them."""
    ids = {"conversation_id": conversation_id}
    answer_id = f"msg_{uuid.uuid4().hex[:8]}"
    statuses = [
        ("fetching_metadata", "📚 Reading the data catalog…"),
        ("generating_sql", "🔍 Generating SQL…"),
        ("executing", "⚡ Executing query…"),
    ]
    events = [status_event(f"st_{n}", s, m, **ids) for n, (s, m) in enumerate(statuses)]
    events.append(sql_event("sql_0", SQL, "Parts below their reorder point", **ids))
    events.append(
        table_event(
            "tbl_0",
            columns=[{"name": "part_id", "type": "STRING"}, {"name": "on_hand", "type": "INT"}],
            rows=[["P-1", "2"], ["P-2", "0"], ["P-3", "1"]],
            row_count=3,
            truncated=False,
        )
    )
    events += [text_delta_event(answer_id, word) for word in ANSWER_WORDS]
    events.append(
        answer_event(
            answer_id,
            "".join(ANSWER_WORDS),
            message_id=f"m_{uuid.uuid4().hex[:8]}",
            suggested_questions=["Which supplier ships P-2?"],
            **ids,
        )
    )
    return events


@stream()
async def predict_stream(request: ResponsesAgentRequest) -> AsyncIterator[dict[str, Any]]:
    conversation_id = (request.custom_inputs or {}).get("conversation_id") or (
        f"gc_{uuid.uuid4().hex[:12]}"
    )
    for event in scripted_run(conversation_id):
        if STEP_DELAY_S:
            await asyncio.sleep(STEP_DELAY_S)
        yield event


def add_pacing_route(app: FastAPI) -> None:
    @app.put("/pacing")
    async def set_pacing(body: dict[str, float]) -> dict[str, float]:
        global STEP_DELAY_S
        STEP_DELAY_S = float(body["step_delay_s"])
        return {"step_delay_s": STEP_DELAY_S}


def main() -> None:
    global STEP_DELAY_S
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--step-delay-s", type=float, default=0.0)
    args = parser.parse_args()
    STEP_DELAY_S = args.step_delay_s
    mlflow.tracing.disable()  # nowhere to send traces in a benchmark
    server = AgentServer("ResponsesAgent")
    add_pacing_route(server.app)
    uvicorn.run(server.app, host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()

"""How fast the pipeline pushes a question's progress, against what it replaces.

Real processes on free loopback ports: Redis, the API (uvicorn), one arq worker, and
``bench.scripted_agent`` — a ResponsesAgent on MLflow's AgentServer that emits the
agent's stream contract (statuses, SQL, table, answer deltas, answer) without Genie,
so the figures are the pipeline's own. Printed side by side:

- push, 1 question at a time with a fast agent (10 ms between events): the idle
  latency; then 50 and 200 questions kept in flight for a round, the agent pacing
  events like Genie (600 ms apart, ~8 s per question: N in flight ≈ N/8 new
  questions per second), on the per-question websocket and on the UI's /ws/stream;
  then a burst of POSTs all at once. Per question: POST → first chunk received on
  the websocket (connect + replay included); per chunk published while the socket
  was open: worker publish (the chunk's ``ts``) → websocket receive;
- the approach this replaces: a client polling ``GET /questions/{id}`` every 1 s
  (first poll at a random phase), time from publish to the poll that first shows it;
- the floor: a raw redis-py pub/sub round trip on the same Redis.

The worker runs with the test settings of ``harness.worker`` (Genie's 5-a-minute
limit lifted, identical questions not shared) and a Genie burst of 1000, so every
question really runs and none waits for a Genie turn: there is no Genie behind it.

Run: ``python -m bench.pipeline`` (about 90 s; stops everything it started).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import websockets
from redis.asyncio import Redis

from bench.scripted_agent import scripted_run
from harness.processes import CLI, free_port, running
from harness.questions import frame_chunks
from harness.worker import running_worker
from services.runner.redis_server import redis_server_command

QUESTION = "What parts are low stock?"
POLL_INTERVAL_S = 1.0
SEQUENTIAL_RUNS = 20
PUBSUB_ROUND_TRIPS = 1000
#: events in one scripted run (statuses, SQL, table, answer deltas, answer)
AGENT_EVENTS = len(scripted_run("bench"))
#: pace of the idle-latency row: the pipeline's own speed, nothing to wait for
FAST_STEP_S = 0.01
#: pace of the loaded rows: a question lasts AGENT_EVENTS × this (~8 s; Genie takes
#: 10–30 s), so N questions in flight means about N / 8 new questions per second
GENIE_LIKE_STEP_S = 0.6


@dataclass
class Sample:
    """What one client measured for one question, in milliseconds."""

    first_chunk_ms: float | None = None
    chunk_ms: list[float] = field(default_factory=list)  # publish → seen, per chunk
    chunks: int = 0


@dataclass
class Stack:
    api_url: str
    redis_url: str
    agent_url: str

    def pace_agent(self, step_delay_s: float) -> None:
        response = httpx.put(f"{self.agent_url}/pacing", json={"step_delay_s": step_delay_s})
        response.raise_for_status()


@contextmanager
def pipeline(workdir: Path, max_jobs: int) -> Iterator[Stack]:
    """Redis, the scripted agent, the API and one worker; all stopped on exit."""
    with ExitStack() as stack:
        redis_port, agent_port, api_port = free_port(), free_port(), free_port()
        redis_url = f"redis://127.0.0.1:{redis_port}/0"
        redis_cmd = redis_server_command(redis_port, workdir, append_only=False)
        stack.enter_context(running(redis_cmd, redis_port, workdir / "redis.log", redis=True))
        agent = [CLI[0], "-m", "bench.scripted_agent", "--port", str(agent_port)]
        agent_url = f"http://127.0.0.1:{agent_port}"
        stack.enter_context(
            running(agent, agent_port, workdir / "agent.log", ready_url=f"{agent_url}/health")
        )
        env = {"REDIS_URL": redis_url, "AGENT_URL": agent_url, "MAX_JOBS": str(max_jobs)}
        api = [*CLI, "--log-level", "WARNING", "api", "--port", str(api_port)]
        api_url = f"http://127.0.0.1:{api_port}"
        stack.enter_context(
            running(api, api_port, workdir / "api.log", env=env, ready_url=f"{api_url}/readyz")
        )
        # no Genie behind the scripted agent: its rate limit must not pace the pipeline
        worker_env = {**env, "GENIE_RATE_BURST": "1000", "PYTHONWARNINGS": "ignore"}
        stack.enter_context(running_worker(redis_url, workdir / "worker.log", env=worker_env))
        yield Stack(api_url, redis_url, agent_url)


async def push_client(http: httpx.AsyncClient, batch_ms: int | None = None) -> Sample:
    """POST, then follow the question's websocket to ``done``.

    ``batch_ms`` None: the per-question socket (``/ws/questions/{id}``); else the UI's
    session socket (``/ws/stream``), which coalesces chunks into one frame per batch.
    """
    sample = Sample()
    posted = time.time()
    response = await http.post("/questions", json={"question": QUESTION})
    response.raise_for_status()
    accepted = response.json()
    url = f"{accepted['events_url']}?after_seq=-1"
    if batch_ms is not None:
        ws_base = str(http.base_url).replace("http", "ws", 1).rstrip("/")
        url = f"{ws_base}/ws/stream?questions={accepted['question_id']}:-1&batch_ms={batch_ms}"
    # no permessage-deflate: chunks are small, and compressing them costs both ends CPU
    async with websockets.connect(url, max_queue=None, compression=None) as socket:
        opened = time.time()
        async for frame in socket:
            received = time.time()
            for chunk in frame_chunks(frame):
                sample.chunks += 1
                if sample.first_chunk_ms is None:
                    sample.first_chunk_ms = (received - posted) * 1000
                if chunk["ts"] >= opened:  # published live, not replayed
                    sample.chunk_ms.append((received - chunk["ts"]) * 1000)
                if chunk["type"] == "done":
                    return sample
    return sample


async def poll_client(http: httpx.AsyncClient) -> Sample:
    """POST, then GET the question every second until it finishes."""
    sample = Sample()
    response = await http.post("/questions", json={"question": QUESTION})
    response.raise_for_status()
    question_id = response.json()["question_id"]
    seen = 0
    await asyncio.sleep(random.uniform(0, POLL_INTERVAL_S))  # a poller's phase is arbitrary
    for _ in range(120):
        view = (await http.get(f"/questions/{question_id}")).json()
        now = time.time()
        for chunk in view["chunks"][seen:]:
            sample.chunk_ms.append((now - chunk["ts"]) * 1000)
        seen = len(view["chunks"])
        sample.chunks = seen
        if view["finished"]:
            break
        await asyncio.sleep(POLL_INTERVAL_S)
    return sample


async def run_clients(
    api_url: str, client: Callable[[httpx.AsyncClient], Awaitable[Sample]], concurrency: int
) -> list[Sample]:
    """``concurrency`` clients, each asking one question, all at once (a burst)."""
    limits = httpx.Limits(max_connections=concurrency + 10)
    async with httpx.AsyncClient(base_url=api_url, timeout=60, limits=limits) as http:
        return await asyncio.gather(*(client(http) for _ in range(concurrency)))


async def keep_in_flight(
    api_url: str, concurrency: int, seconds: float, question_s: float, batch_ms: int | None = None
) -> list[Sample]:
    """``concurrency`` questions in flight for ``seconds``: each client asks again as soon
    as its question is done. Clients start spread over one question's duration, so
    questions arrive as they would from many users, not as one synchronized burst."""
    limits = httpx.Limits(max_connections=concurrency + 10)
    stop_at = time.monotonic() + seconds
    samples: list[Sample] = []

    async def client(http: httpx.AsyncClient, start_delay_s: float) -> None:
        await asyncio.sleep(start_delay_s)
        while time.monotonic() < stop_at:
            samples.append(await push_client(http, batch_ms))

    async with httpx.AsyncClient(base_url=api_url, timeout=60, limits=limits) as http:
        await asyncio.gather(
            *(client(http, question_s * i / concurrency) for i in range(concurrency))
        )
    return samples


async def pubsub_floor(redis_url: str) -> list[float]:
    """Publish → receive on one channel, one message at a time."""
    publisher, subscriber = Redis.from_url(redis_url), Redis.from_url(redis_url)
    pubsub = subscriber.pubsub()
    await pubsub.subscribe("bench:floor")
    await pubsub.get_message(timeout=1)  # the subscribe confirmation
    round_trips = []
    for _ in range(PUBSUB_ROUND_TRIPS):
        sent = time.perf_counter()
        await publisher.publish("bench:floor", json.dumps({"ts": sent}))
        message = None
        while message is None:
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1)
        round_trips.append((time.perf_counter() - sent) * 1000)
    await pubsub.aclose()
    await publisher.aclose()
    await subscriber.aclose()
    return round_trips


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def row(label: str, questions: int, first: list[float], per_chunk: list[float]) -> str:
    def cells(values: list[float]) -> str:
        if not values:
            return f"{'—':>8} {'—':>8} {'—':>8}"
        p50, p99 = percentile(values, 50), percentile(values, 99)
        return f"{p50:8.1f} {p99:8.1f} {statistics.fmean(values):8.1f}"

    return f"{label:<38} {questions:>5}  {cells(first)}  {cells(per_chunk)}  {len(per_chunk):>6}"


async def measure(stack: Stack, levels: list[int], seconds: float, burst: int) -> list[str]:
    stack.pace_agent(FAST_STEP_S)
    await run_clients(stack.api_url, push_client, 5)  # warm every process's first request
    results: dict[str, list[Sample]] = {}
    sequential: list[Sample] = []
    for _ in range(SEQUENTIAL_RUNS):
        sequential += await run_clients(stack.api_url, push_client, 1)
    results[f"push, 1 at a time (×{SEQUENTIAL_RUNS}), fast agent"] = sequential
    stack.pace_agent(GENIE_LIKE_STEP_S)
    question_s = AGENT_EVENTS * GENIE_LIKE_STEP_S
    for level in levels:
        results[f"push, {level} in flight"] = await keep_in_flight(
            stack.api_url, level, seconds, question_s
        )
    top = max(levels)
    results[f"push, {top} in flight, /ws/stream 25 ms"] = await keep_in_flight(
        stack.api_url, top, seconds, question_s, batch_ms=25
    )
    results[f"push, burst of {burst} POSTs at once"] = await run_clients(
        stack.api_url, push_client, burst
    )
    results[f"poll GET every 1 s, {burst} in flight"] = await run_clients(
        stack.api_url, poll_client, burst
    )
    lines = []
    for label, samples in results.items():
        first = [s.first_chunk_ms for s in samples if s.first_chunk_ms is not None]
        per_chunk = [ms for s in samples for ms in s.chunk_ms]
        lines.append(row(label, len(samples), first, per_chunk))
    floor = await pubsub_floor(stack.redis_url)
    lines.append(row("redis-py pub/sub round trip (floor)", PUBSUB_ROUND_TRIPS, [], floor))

    def mean_chunk_ms(prefix: str) -> float:
        values = [
            ms
            for label, samples in results.items()
            if label.startswith(prefix)
            for sample in samples
            for ms in sample.chunk_ms
        ]
        return statistics.fmean(values)

    push_mean, poll_mean = mean_chunk_ms("push"), mean_chunk_ms("poll")
    top_first = [s.first_chunk_ms for s in results[f"push, {top} in flight"]]
    return [
        *lines,
        "",
        f"every chunk, mean: push {push_mean:.1f} ms vs 1 s polling {poll_mean:.1f} ms "
        f"→ {poll_mean / push_mean:.0f}× sooner (goal ≥ 20×)",
        f"first chunk p99 with {top} in flight: {percentile(top_first, 99):.1f} ms (goal < 50 ms)",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="50,200", help="questions in flight per round")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each round")
    parser.add_argument("--burst", type=int, default=50, help="POSTs at once (and pollers)")
    parser.add_argument("--max-jobs", type=int, default=200, help="the worker's MAX_JOBS")
    args = parser.parse_args()
    levels = [int(level) for level in args.levels.split(",")]
    with (
        tempfile.TemporaryDirectory(prefix="bench-pipeline-") as tmp,
        pipeline(Path(tmp), args.max_jobs) as stack,
    ):
        lines = asyncio.run(measure(stack, levels, args.seconds, args.burst))
    header = (
        f"{'':<38} {'n':>5}  {'first chunk ms':^26}  {'publish → seen ms':^26}  {'chunks':>6}\n"
        f"{'':<38} {'':>5}  {'p50':>8} {'p99':>8} {'mean':>8}  {'p50':>8} {'p99':>8} {'mean':>8}"
    )
    question_s = AGENT_EVENTS * GENIE_LIKE_STEP_S
    print(
        f"pipeline latency — scripted agent on MLflow AgentServer, {AGENT_EVENTS} events per "
        f"question, {GENIE_LIKE_STEP_S * 1000:.0f} ms apart (~{question_s:.0f} s per question)"
        f" unless 'fast' ({FAST_STEP_S * 1000:.0f} ms); 1 worker "
        f"(max_jobs {args.max_jobs}); per-question websocket unless /ws/stream\n"
    )
    print(header)
    print("\n".join(lines))


if __name__ == "__main__":
    main()

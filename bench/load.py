"""Load: many questions from many clients, many idle sockets, and an audit that nothing is lost.

Real processes on free loopback ports: Redis, ``bench.scripted_agent`` (the agent's
stream contract on MLflow's AgentServer, no Genie: the figures are the pipeline's), the
API (one uvicorn process) and ``--workers`` real ``inventory-agent worker`` processes.
Genie's rate limit is lifted for the run (``GENIE_RATE_LIMIT_PER_MIN`` and burst high:
there is no Genie behind the scripted agent; the limiter itself is tested elsewhere),
identical questions are not shared (each question text is unique anyway), and the
per-key question limit is off (no API keys, the local default).

Before the load, ``--idle`` websockets subscribe to ``/ws/stream`` and stay open,
receiving nothing. Then ``--questions`` questions arrive evenly over ``--seconds``,
taken by ``--clients`` concurrent clients: each POSTs, follows the question's websocket
to ``done`` and takes the next due question.

Printed: throughput; p50/p99 of POST → first chunk (the API's ``queued``), POST → the
worker's ``starting`` chunk, POST → ``done``, and publish (chunk ``ts``) → receive for
chunks published while the socket was open; peak RSS of the API and the workers; Redis
commands per second; and the audit: every question reached ``done`` (completed), every
stream's seq is exactly 0..N once each and matches the replay log, the idle sockets all
stayed open.

``--kill`` adds two crashes mid-run: ``kill -9`` of the agent server a third of the way
through (restarted at once on its port) and of one worker half way (not restarted; its
jobs run again elsewhere once their lease lapses, ``JOB_LEASE_S`` 3 s here). The audit
must still pass: every stream complete, gapless, with one ``done``.

Run: ``python -m bench.load`` (defaults: 500 questions over 60 s, 200 clients, 4
workers, 1,000 idle sockets); ``--write`` also puts the result in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import resource
import signal
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import websockets
from redis.asyncio import Redis

from bench.machine import describe, rss_mb
from bench.scripted_agent import scripted_run
from harness.processes import CLI, Server, free_port, running, start
from harness.questions import frame_chunks
from harness.worker import running_worker
from services.runner.redis_server import redis_server_command

QUESTION = "What parts are low stock?"
AGENT_STEP_S = 0.05  # the scripted agent's pause between events (~0.7 s per question)
BENCHMARKS = Path(__file__).resolve().parents[1] / "BENCHMARKS.md"
START, END = "<!-- bench.load:start -->", "<!-- bench.load:end -->"


@dataclass
class Outcome:
    """One question as its client saw it; times in ms from the POST."""

    question_id: str = ""
    first_chunk_ms: float | None = None
    starting_ms: float | None = None
    done_ms: float | None = None
    done_status: str | None = None
    seqs: list[int] = field(default_factory=list)
    live_ms: list[float] = field(default_factory=list)  # publish → receive per live chunk
    error: str | None = None
    retried: bool = False  # a ``retrying`` status arrived (its run was cut off)


#: with --kill: a killed worker's job runs again after one lease; the agent's restart
#: takes a few tries
KILL_ENV = {"JOB_LEASE_S": "3", "MAX_TRIES": "6", "AGENT_RETRY_DEFER_S": "0.5"}


@dataclass
class Stack:
    api: Server
    workers: list[Server]
    redis: Server
    redis_url: str
    agent: Server
    agent_argv: list[str]
    exits: ExitStack

    def kill_and_restart_agent(self) -> None:
        """``kill -9`` the agent server, then start it again on the same port."""
        self.agent.stop(signal.SIGKILL)
        ready = f"{self.agent.url}/health"
        self.agent = start(self.agent_argv, self.agent.port, self.agent.log_path, ready_url=ready)
        self.exits.callback(self.agent.stop)

    def kill_worker(self) -> None:
        self.workers[0].stop(signal.SIGKILL)


@contextmanager
def load_stack(
    workdir: Path, workers: int, max_jobs: int, extra_env: dict[str, str] | None = None
) -> Iterator[Stack]:
    with ExitStack() as stack:
        redis_port, agent_port, api_port = free_port(), free_port(), free_port()
        redis_url = f"redis://127.0.0.1:{redis_port}/0"
        redis_cmd = redis_server_command(redis_port, workdir, append_only=False)
        redis = stack.enter_context(
            running(redis_cmd, redis_port, workdir / "redis.log", redis=True)
        )
        agent_url = f"http://127.0.0.1:{agent_port}"
        agent = [CLI[0], "-m", "bench.scripted_agent", "--port", str(agent_port)]
        agent_argv = [*agent, "--step-delay-s", str(AGENT_STEP_S)]
        agent_server = stack.enter_context(
            running(
                agent_argv,
                agent_port,
                workdir / "agent.log",
                ready_url=f"{agent_url}/health",
            )
        )
        env = {"REDIS_URL": redis_url, "AGENT_URL": agent_url, "MAX_JOBS": str(max_jobs)}
        api_cmd = [*CLI, "--log-level", "WARNING", "api", "--port", str(api_port)]
        api = stack.enter_context(
            running(
                api_cmd,
                api_port,
                workdir / "api.log",
                env=env,
                ready_url=f"http://127.0.0.1:{api_port}/readyz",
            )
        )
        worker_env = {
            **env,
            "GENIE_RATE_LIMIT_PER_MIN": "1000000",
            "GENIE_RATE_BURST": "1000000",
            "ANSWER_CACHE_TTL_S": "0",
            "PYTHONWARNINGS": "ignore",
            **(extra_env or {}),
        }
        started = [
            stack.enter_context(
                running_worker(redis_url, workdir / f"worker{n}.log", env=worker_env)
            )
            for n in range(workers)
        ]
        yield Stack(api, started, redis, redis_url, agent_server, agent_argv, stack)


def raise_fd_limit() -> int:
    """Sockets are file descriptors: take the hard limit (children inherit it)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else 65536
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


async def ask_and_follow(http: httpx.AsyncClient) -> Outcome:
    outcome = Outcome()
    posted = time.time()
    try:
        response = await http.post(
            "/questions", json={"question": f"{QUESTION} [{uuid.uuid4().hex[:8]}]"}
        )
        response.raise_for_status()
        accepted = response.json()
        outcome.question_id = accepted["question_id"]
        async with websockets.connect(
            f"{accepted['events_url']}?after_seq=-1", max_queue=None, compression=None
        ) as socket:
            opened = time.time()
            async for frame in socket:
                received = time.time()
                for chunk in frame_chunks(frame):
                    since_post_ms = (received - posted) * 1000
                    outcome.seqs.append(chunk["seq"])
                    if outcome.first_chunk_ms is None:
                        outcome.first_chunk_ms = since_post_ms
                    if chunk.get("status") == "starting" and chunk["type"] == "status":
                        outcome.starting_ms = outcome.starting_ms or since_post_ms
                    outcome.retried |= chunk.get("status") == "retrying"
                    if chunk["ts"] >= opened:
                        outcome.live_ms.append((received - chunk["ts"]) * 1000)
                    if chunk["type"] == "done":
                        outcome.done_ms, outcome.done_status = since_post_ms, chunk["status"]
    except (httpx.HTTPError, OSError, websockets.WebSocketException) as error:
        outcome.error = f"{type(error).__name__}: {error}"
    return outcome


async def hold_idle(url: str, count: int, ready: asyncio.Event, stop: asyncio.Event) -> int:
    """Open ``count`` sockets (100 at a time), keep them until ``stop``; returns how many
    were still open at the end."""
    sockets = []
    for first in range(0, count, 100):
        batch = min(100, count - first)
        sockets += await asyncio.gather(
            *(websockets.connect(url, compression=None) for _ in range(batch))
        )
    ready.set()
    await stop.wait()
    still_open = sum(1 for socket in sockets if socket.close_code is None)
    await asyncio.gather(*(socket.close() for socket in sockets), return_exceptions=True)
    return still_open


async def sample_resources(
    stack: Stack, stop: asyncio.Event, peaks: dict[str, float], redis: Redis
) -> None:
    while not stop.is_set():
        peaks["api"] = max(peaks.get("api", 0.0), rss_mb(stack.api.process.pid))
        workers = [rss_mb(worker.process.pid) for worker in stack.workers]
        peaks["worker"] = max(peaks.get("worker", 0.0), *workers)
        peaks["workers_total"] = max(peaks.get("workers_total", 0.0), sum(workers))
        peaks["redis"] = max(peaks.get("redis", 0.0), rss_mb(stack.redis.process.pid))
        stats = await redis.info("stats")
        ops = float(stats["instantaneous_ops_per_sec"])
        peaks["redis_ops_peak"] = max(peaks.get("redis_ops_peak", 0.0), ops)
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), 1.0)


async def run_load(stack: Stack, args: argparse.Namespace) -> dict[str, object]:
    redis = Redis.from_url(stack.redis_url)
    limits = httpx.Limits(max_connections=args.clients, max_keepalive_connections=args.clients)
    async with httpx.AsyncClient(base_url=stack.api.url, timeout=30, limits=limits) as http:
        warm = await ask_and_follow(http)  # the idle sockets follow this finished question
        idle_url = (
            f"ws://127.0.0.1:{stack.api.port}/ws/stream?questions="
            f"{warm.question_id}:{max(warm.seqs, default=-1)}"
        )
        idle_ready, stop = asyncio.Event(), asyncio.Event()
        idle = asyncio.create_task(hold_idle(idle_url, args.idle, idle_ready, stop))
        await idle_ready.wait()
        peaks: dict[str, float] = {}
        sampler = asyncio.create_task(sample_resources(stack, stop, peaks, redis))
        commands_before = int((await redis.info("stats"))["total_commands_processed"])

        interval_s = args.seconds / args.questions
        counter = itertools.count()
        outcomes: list[Outcome] = []
        in_flight = {"now": 0, "peak": 0}
        began = time.monotonic()

        async def client() -> None:
            while (n := next(counter)) < args.questions:
                delay = began + n * interval_s - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                in_flight["now"] += 1
                in_flight["peak"] = max(in_flight["peak"], in_flight["now"])
                outcomes.append(await ask_and_follow(http))
                in_flight["now"] -= 1

        async def crashes() -> list[str]:
            """With --kill: the agent a third of the way through, a worker half way."""
            if not args.kill:
                return []
            await asyncio.sleep(args.seconds / 3)
            await asyncio.to_thread(stack.kill_and_restart_agent)
            killed = [f"agent at {time.monotonic() - began:.1f} s (restarted)"]
            await asyncio.sleep(max(0.0, began + args.seconds / 2 - time.monotonic()))
            stack.kill_worker()
            return [*killed, f"a worker at {time.monotonic() - began:.1f} s"]

        kills, *_ = await asyncio.gather(crashes(), *(client() for _ in range(args.clients)))
        elapsed_s = time.monotonic() - began
        commands = int((await redis.info("stats"))["total_commands_processed"]) - commands_before
        stop.set()
        idle_open = await idle
        await sampler
        logs_match = await audit_logs(http, outcomes)
    await redis.aclose()
    return {
        "outcomes": outcomes,
        "elapsed_s": elapsed_s,
        "peaks": peaks,
        "redis_ops": commands / elapsed_s,
        "idle_open": idle_open,
        "in_flight_peak": in_flight["peak"],
        "logs_match": logs_match,
        "kills": kills,
    }


async def audit_logs(http: httpx.AsyncClient, outcomes: list[Outcome]) -> int:
    """How many streams equal the replay log the API holds (GET /questions/{id})."""
    matching = 0
    for outcome in outcomes:
        if not outcome.question_id:
            continue
        response = await http.get(f"/questions/{outcome.question_id}")
        logged = [chunk["seq"] for chunk in response.json().get("chunks", [])]
        matching += logged == outcome.seqs
    return matching


def pct(values: list[float], p: float) -> str:
    if not values:
        return "—"
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]:.1f}"


def report(result: dict, args: argparse.Namespace, fd_limit: int) -> str:
    outcomes: list[Outcome] = result["outcomes"]
    peaks = result["peaks"]
    done = [o for o in outcomes if o.done_status == "completed"]
    gapless = [o for o in outcomes if o.seqs and o.seqs == list(range(len(o.seqs)))]
    one_done = [o for o in outcomes if o.done_status and o.seqs.count(o.seqs[-1]) == 1]
    errors = [o.error for o in outcomes if o.error]
    live = [ms for o in outcomes for ms in o.live_ms]

    def row(label: str, values: list[float]) -> str:
        return f"| {label} | {len(values)} | {pct(values, 50)} | {pct(values, 99)} |"

    audit_ok = (
        len(done) == len(gapless) == len(outcomes) == args.questions
        and result["logs_match"] == args.questions
        and result["idle_open"] == args.idle
    )
    lines = [
        f"**Machine:** {describe()}",
        "",
        f"`python -m bench.load --questions {args.questions} --seconds {args.seconds:g} "
        f"--clients {args.clients} --workers {args.workers} --idle {args.idle}` — scripted "
        f"agent ({AGENT_STEP_S * 1000:.0f} ms between its {len(scripted_run('x'))} events), "
        "Genie limit lifted, "
        f"1 API process, {args.workers} workers × MAX_JOBS {args.max_jobs}, "
        f"RLIMIT_NOFILE {fd_limit}",
        "",
        f"- throughput: **{len(done) / result['elapsed_s']:.1f} questions/s** "
        f"({len(done)} completed in {result['elapsed_s']:.1f} s; peak "
        f"{result['in_flight_peak']} in flight)",
        f"- memory (peak RSS): API {peaks.get('api', 0):.0f} MB; worker "
        f"{peaks.get('worker', 0):.0f} MB each at most, {peaks.get('workers_total', 0):.0f} MB "
        f"for all {args.workers}; Redis {peaks.get('redis', 0):.0f} MB",
        f"- Redis: {result['redis_ops']:.0f} commands/s over the run "
        f"(total_commands_processed delta); peak instantaneous_ops_per_sec "
        f"{peaks.get('redis_ops_peak', 0):.0f}",
        "",
        "| ms | n | p50 | p99 |",
        "|---|---:|---:|---:|",
        row("POST → first chunk (queued, via websocket)", _times(outcomes, "first_chunk_ms")),
        row("POST → worker's `starting` chunk", _times(outcomes, "starting_ms")),
        row("POST → `done`", _times(outcomes, "done_ms")),
        row("publish → receive (live chunks)", live),
        "",
        f"**Audit {'passed' if audit_ok else 'FAILED'}:** {len(done)}/{args.questions} "
        f"reached `done` completed; {len(gapless)}/{args.questions} streams with seq exactly "
        f"0..N, each once; {len(one_done)}/{args.questions} with one `done`; "
        f"{result['logs_match']}/{args.questions} identical to the replay log; "
        f"{result['idle_open']}/{args.idle} idle sockets still open; "
        f"{len(errors)} client errors" + (f" (first: {errors[0]})" if errors else ""),
    ]
    if result["kills"]:
        retried = sum(o.retried for o in outcomes)
        lines[-2:-2] = [
            "",
            f"- kill -9 mid-run (`--kill`): {' and '.join(result['kills'])}; {retried} "
            "questions were cut off and said `retrying`",
        ]
    return "\n".join(lines)


def _times(outcomes: list[Outcome], name: str) -> list[float]:
    return [value for o in outcomes if (value := getattr(o, name)) is not None]


def write_benchmarks(text: str) -> None:
    """Put the result between the bench.load markers of BENCHMARKS.md (added if absent)."""
    block = f"{START}\n{text}\n{END}"
    current = BENCHMARKS.read_text() if BENCHMARKS.exists() else "# Benchmarks\n"
    if START in current and END in current:
        before, rest = current.split(START, 1)
        current = before + block + rest.split(END, 1)[1]
    else:
        current = current.rstrip() + "\n\n## Load (bench/load.py)\n\n" + block + "\n"
    BENCHMARKS.write_text(current)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=60.0, help="spread the questions over")
    parser.add_argument("--clients", type=int, default=200, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=4, help="inventory-agent worker processes")
    parser.add_argument("--max-jobs", type=int, default=10, help="each worker's MAX_JOBS")
    parser.add_argument("--idle", type=int, default=1000, help="idle websocket subscribers")
    parser.add_argument("--write", action="store_true", help="also write it to BENCHMARKS.md")
    parser.add_argument(
        "--kill", action="store_true", help="kill -9 the agent and one worker mid-run"
    )
    args = parser.parse_args(argv)
    fd_limit = raise_fd_limit()
    with (
        tempfile.TemporaryDirectory(prefix="bench-load-") as tmp,
        load_stack(
            Path(tmp), args.workers, args.max_jobs, KILL_ENV if args.kill else None
        ) as stack,
    ):
        result = asyncio.run(run_load(stack, args))
    text = report(result, args, fd_limit)
    print(text)
    if args.write:
        write_benchmarks(text)


if __name__ == "__main__":
    main()

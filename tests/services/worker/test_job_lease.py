"""The job lease against a real Redis and real arq workers (in this process).

The lease is short here (0.6 s) so a few leases pass quickly; what is checked is what
the lease promises, never timings: a running job's claim outlives many leases (so no
second worker takes it), and a job that ended is never marked as running again.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from arq import ArqRedis
from arq.connections import RedisSettings, create_pool
from arq.constants import in_progress_key_prefix
from arq.jobs import Job
from arq.worker import Worker, func

from services.worker.job_lease import JobLease, lease_claims

LEASE_S = 0.6


class Jobs:
    """A queue of its own, and a job function that holds until the test releases it."""

    def __init__(self, pool: ArqRedis) -> None:
        self.pool = pool
        self.queue = f"test-lease-{uuid.uuid4().hex[:8]}"
        self.runs: list[str] = []  # one entry per run of the job, by any worker
        self.release = asyncio.Event()
        self.workers: list[tuple[Worker, asyncio.Task]] = []

    async def hold(self, ctx: dict[str, Any]) -> str:
        self.runs.append(ctx["job_id"])
        await self.release.wait()
        return "released"

    def start_worker(self) -> Worker:
        """An arq worker claiming with the lease, wired as build_worker wires it."""
        worker = Worker(
            functions=[func(self.hold, name="hold")],
            queue_name=self.queue,
            redis_pool=self.pool,
            poll_delay=0.05,
            job_timeout=600,
            keep_result=5,
            max_jobs=5,
            allow_abort_jobs=True,
            handle_signals=False,
        )
        lease = lease_claims(worker, LEASE_S)

        async def on_startup(ctx: dict[str, Any]) -> None:
            lease.start(ctx["redis"])

        async def on_shutdown(ctx: dict[str, Any]) -> None:
            await lease.stop()

        worker.on_startup, worker.on_shutdown = on_startup, on_shutdown
        self.workers.append((worker, asyncio.create_task(worker.async_run())))
        return worker

    async def enqueue(self) -> Job:
        job = await self.pool.enqueue_job("hold", _queue_name=self.queue)
        assert job is not None
        await until(lambda: self.runs)
        return job

    async def claimed(self, job: Job) -> bool:
        return bool(await self.pool.exists(in_progress_key_prefix + job.job_id))


async def until(check: Callable[[], Any | Awaitable[Any]], deadline_s: float = 20) -> None:
    async with asyncio.timeout(deadline_s):
        while True:
            outcome = check()
            if isinstance(outcome, Awaitable):
                outcome = await outcome
            if outcome:
                return
            await asyncio.sleep(0.02)


@pytest.fixture
async def jobs(redis_url: str) -> AsyncIterator[Jobs]:
    pool = await create_pool(RedisSettings.from_dsn(redis_url))
    jobs = Jobs(pool)
    yield jobs
    jobs.release.set()
    for worker, task in jobs.workers:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        worker._pool = None  # the pool is the test's: close it once, below
        await worker.on_shutdown(worker.ctx)
    await pool.aclose()


async def test_a_running_job_keeps_its_claim_past_many_leases(jobs: Jobs) -> None:
    jobs.start_worker()
    jobs.start_worker()  # polls the same queue: it would take a lapsed job
    job = await jobs.enqueue()

    await asyncio.sleep(5 * LEASE_S)
    assert await jobs.claimed(job)
    assert 0 < await jobs.pool.pttl(in_progress_key_prefix + job.job_id) <= LEASE_S * 1000
    assert len(jobs.runs) == 1  # the second worker never claimed it

    jobs.release.set()
    assert await job.result(timeout=10, poll_delay=0.05) == "released"
    await asyncio.sleep(3 * LEASE_S)  # several renewals would have come by
    assert not await jobs.claimed(job)
    assert len(jobs.runs) == 1


async def test_an_aborted_job_ends_and_is_not_claimed_again(jobs: Jobs) -> None:
    jobs.start_worker()
    job = await jobs.enqueue()

    assert await job.abort(timeout=10, poll_delay=0.05)
    await asyncio.sleep(3 * LEASE_S)
    assert not await jobs.claimed(job)
    assert len(jobs.runs) == 1


async def test_a_renewal_after_the_key_is_gone_does_not_recreate_it(jobs: Jobs) -> None:
    """arq deletes the key when a run ends, a moment before its task is done."""
    still_running = asyncio.get_running_loop().create_future()
    renewing, gone = f"{jobs.queue}-renewing", f"{jobs.queue}-gone"
    await jobs.pool.psetex(in_progress_key_prefix + renewing, 100, b"1")
    lease = JobLease(LEASE_S, claimed={renewing: still_running, gone: still_running}, running={})

    assert await lease.renew(jobs.pool) == 1
    assert await jobs.pool.pttl(in_progress_key_prefix + renewing) > 100
    assert not await jobs.pool.exists(in_progress_key_prefix + gone)
    still_running.cancel()

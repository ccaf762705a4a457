"""A short lease on arq's in-progress keys, so a dead worker's questions come back fast.

Why: arq marks a claimed job with ``arq:in-progress:<job id>`` (``start_jobs``: WATCH
the key, PSETEX it with ``in_progress_timeout_s`` = the longest job timeout + 10 s).
Every worker polls the queue, and a job stays in the queue's sorted set until its run
ends (``finish_job`` removes it), so whichever worker polls first after the key is gone
claims the job again and runs it with the next ``job_try`` (it says ``retrying``).
After a ``kill -9`` the key only lapses on its own: with a 900 s job timeout the user
waited ~15 minutes. A Genie question may rightly take 10 minutes, so the job timeout
cannot shrink; instead the worker claims with a short TTL (``JOB_LEASE_S``) and one
background task per worker renews the keys of every job it holds every third of the
lease. A dead worker renews nothing, so its jobs come back within one lease.

How the edges are handled:

- **The renewal racing a job's end.** Renewal is ``PEXPIRE``, which never creates a
  key: once arq's ``finish_job`` (or ``finish_failed_job``) has deleted the key, a late
  renewal is a no-op, so a finished job is never marked as running again.
- **A stalled event loop.** The key carries a full lease at each renewal and renewals
  are a third of a lease apart, so a stall shorter than two thirds of the lease (20 s
  with the default 30 s) loses nothing and nothing runs twice.
- **Abort / shutdown / Retry / max_tries.** Untouched: arq still cancels aborted jobs,
  deletes the key when a run ends and counts tries in ``arq:retry:<id>``; each claim
  after a lapsed lease is one try (the job ends the stream with ``gave_up`` past
  MAX_TRIES, see jobs.py).

The trade-off: a worker frozen for longer than the lease (SIGSTOP, swap, a stall of
more than two thirds of it) loses its jobs to another worker while still running them,
so the question runs twice at once, costing a second Genie call. The stream stays
valid: services/common/publisher.py assigns every chunk's seq inside one Lua script
from the replay log's length (so chunks of both runs interleave with a gapless, unique
seq) and refuses every chunk once a ``done`` is in, so there is exactly one ``done``;
the run that loses the race stops at its next publish (``finished_elsewhere``). What
the user would see: a ``retrying`` status, then progress statuses (and possibly the
SQL, table and streamed answer text) of both runs interleaved until the first run's
answer and ``done``; the ``answer`` chunk carries its full text, so the final answer is
whole (tests/reliability/test_worker_frozen.py checks this with SIGSTOP/SIGCONT). A Redis
outage longer than the lease lapses the keys the same way (AOF stores their absolute
expiry), with the same outcome. A longer lease makes both rarer and a crash slower to
recover from. The renewal cannot tell a key that another worker re-claimed from its own
(arq writes the same value), so it only logs a lapse it can see: a key gone entirely.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

from arq.constants import in_progress_key_prefix
from arq.worker import Worker
from redis.asyncio import Redis
from redis.exceptions import RedisError

from services.common.background import stop_task

logger = logging.getLogger(__name__)


class JobLease:
    """Renews the in-progress keys of the jobs one arq worker holds, from one task.

    ``claimed`` is arq's ``Worker.tasks`` (job id → its ``run_job`` task, from the
    claim until arq has finished with the job) and ``running`` arq's
    ``Worker.job_tasks`` (job id → the job function's task while it runs); both are
    read live, never copied, so jobs claimed later are renewed too.
    """

    def __init__(
        self,
        lease_s: float,
        claimed: Mapping[str, asyncio.Task],
        running: Mapping[str, asyncio.Task],
    ) -> None:
        self.lease_s = lease_s
        self._claimed = claimed
        self._running = running
        self._task: asyncio.Task | None = None

    @property
    def renew_every_s(self) -> float:
        return self.lease_s / 3

    def start(self, redis: Redis) -> None:
        """Start renewing on ``redis`` (arq's pool, made only once the worker runs)."""
        if self._task is None:
            self._task = asyncio.create_task(self._renew_forever(redis), name="job-lease")

    async def stop(self) -> None:
        await stop_task(self._task)
        self._task = None

    async def renew(self, redis: Redis) -> int:
        """Give every held job's key a full lease again, in one round trip.

        Returns how many keys were renewed. A key gone while its job function still runs
        means the lease lapsed (a stall or a Redis outage): another worker may be running
        the job as well, which is logged.
        """
        job_ids = [job_id for job_id, task in self._claimed.items() if not task.done()]
        if not job_ids:
            return 0
        lease_ms = int(self.lease_s * 1000)
        async with redis.pipeline(transaction=False) as pipe:
            for job_id in job_ids:
                pipe.pexpire(in_progress_key_prefix + job_id, lease_ms)
            renewed = await pipe.execute()
        for job_id, ok in zip(job_ids, renewed, strict=True):
            if not ok and job_id in self._running:
                logger.warning("job %s lost its lease while running: it may run twice", job_id)
        return sum(bool(ok) for ok in renewed)

    async def _renew_forever(self, redis: Redis) -> None:
        while True:
            await asyncio.sleep(self.renew_every_s)
            try:
                await self.renew(redis)
            except (RedisError, OSError) as error:  # Redis away: renew again next time
                logger.warning("could not renew job leases: %s", error)


def lease_claims(worker: Worker, lease_s: float) -> JobLease:
    """Make ``worker`` claim jobs for ``lease_s`` and return the lease that renews them.

    arq PSETEXes a claimed job's key with ``in_progress_timeout_s``; from now on that is
    the lease. The caller starts the lease on the worker's pool (``on_startup``) and
    stops it after the worker's jobs are done (``on_shutdown``).
    """
    worker.in_progress_timeout_s = lease_s
    return JobLease(lease_s, claimed=worker.tasks, running=worker.job_tasks)

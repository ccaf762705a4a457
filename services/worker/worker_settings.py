"""The arq worker's configuration, as arq reads it: a class of ``Worker`` keyword arguments.

Values come from ``services.common.settings`` when this module is imported (so tests
and ``make run`` set them through the environment); Redis clients, the publisher and
the agent client are made in ``on_startup`` and kept in ``ctx``, never at import.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import Any, ClassVar

from arq.connections import RedisSettings
from arq.worker import Worker, create_worker, func
from redis.exceptions import RedisError

from services.common.genie_limiter import GenieRateLimiter
from services.common.keys import redis_keys
from services.common.metrics import RedisMetrics
from services.common.on_behalf_of import on_behalf_of_user
from services.common.publisher import Publisher
from services.common.questions import QuestionStore
from services.common.settings import get_settings
from services.worker.agent_client import make_agent_client
from services.worker.backlog_positions import BacklogPositions
from services.worker.backlog_ticker import BacklogTicker
from services.worker.job_clock import JobClock
from services.worker.job_lease import lease_claims
from services.worker.jobs import ABORTING, DEPS, Deps, answer_question
from services.worker.metrics import WorkerMetrics
from services.worker.shared_answers import SharedAnswers

logger = logging.getLogger(__name__)

#: ctx key of the worker's JobLease (made with the worker, started on its Redis pool)
LEASE = "job_lease"
#: ctx keys of the job clock (arq's job hooks record starts and durations on it) and of
#: the ticker telling questions in arq's queue their places (both made in on_startup)
CLOCK = "job_clock"
TICKER = "backlog_ticker"
#: arq's own timeout sits above the job's, so the job can still say why it stopped.
JOB_TIMEOUT_GRACE_S = 10
#: arq keeps no job results: the chunks are the real record, and a result copies the
#: job's arguments, which may carry a user's token (on_behalf_of.py).
KEEP_RESULT_S = 0


async def on_startup(ctx: dict[str, Any]) -> None:
    """Build the job dependencies on arq's own Redis pool, and warm the agent client."""
    settings = get_settings()
    redis = ctx["redis"]
    agent = make_agent_client(settings)
    await agent.warm()
    store = QuestionStore(redis, redis_keys(), settings.replay_ttl_s)
    publisher = Publisher(redis, redis_keys(), settings.replay_ttl_s)
    limiter = GenieRateLimiter(redis, redis_keys(), settings)
    ctx[CLOCK] = clock = JobClock(redis, redis_keys())
    backlog = BacklogPositions(redis, redis_keys(), publisher, limiter, clock)
    ctx[DEPS] = Deps(
        settings=settings,
        store=store,
        publisher=publisher,
        agent=agent,
        limiter=limiter,
        backlog=backlog,
        shared_answers=SharedAnswers(
            redis, redis_keys(), store, settings.answer_cache_ttl_s, settings.followup_poll_s
        ),
        metrics=WorkerMetrics(RedisMetrics(redis, redis_keys())),
    )
    ctx[LEASE].start(redis)
    ctx[TICKER] = BacklogTicker(redis, redis_keys(), backlog, settings.genie_queue_update_s)
    ctx[TICKER].start()
    logger.info(
        "worker ready: agent %s, max_jobs %d, job lease %.0f s",
        agent.name,
        settings.max_jobs,
        settings.job_lease_s,
    )


async def on_job_start(ctx: dict[str, Any]) -> None:
    await _safely(ctx[CLOCK].started(ctx["job_id"]))
    if (metrics := ctx[DEPS].metrics) is not None:
        await metrics.job_started(ctx)


async def on_job_end(ctx: dict[str, Any]) -> None:
    await _safely(ctx[CLOCK].ended(ctx["job_id"]))
    if (metrics := ctx[DEPS].metrics) is not None:
        await metrics.job_ended(ctx)


async def _safely(record: Awaitable[None]) -> None:
    """Job times only feed the queue's ETAs: Redis failing here must not fail the job
    (arq runs these hooks outside the job's own error handling)."""
    try:
        await record
    except (RedisError, OSError) as error:
        logger.warning("job time not recorded: %s", error)


async def on_shutdown(ctx: dict[str, Any]) -> None:
    if TICKER in ctx:
        await ctx[TICKER].stop()
    await ctx[LEASE].stop()  # arq has finished every job by now: no key left to renew
    deps: Deps | None = ctx.get(DEPS)
    if deps is not None:
        await deps.agent.close()


class WorkerSettings:
    _settings = get_settings()

    # One run more than max_tries: arq would drop a job past its limit silently (after
    # repeated worker stops), and the question's stream must still end with `done`.
    functions: ClassVar[list] = [
        func(on_behalf_of_user(answer_question), max_tries=_settings.max_tries + 1)
    ]
    redis_settings = RedisSettings.from_dsn(_settings.redis_url)
    on_startup = on_startup
    on_shutdown = on_shutdown
    on_job_start = on_job_start
    on_job_end = on_job_end
    job_timeout = _settings.job_timeout_s + JOB_TIMEOUT_GRACE_S
    max_tries = _settings.max_tries
    max_jobs = _settings.max_jobs
    poll_delay = _settings.queue_poll_delay_s
    keep_result = KEEP_RESULT_S
    allow_abort_jobs = True


def build_worker(**overrides: Any) -> Worker:
    """An arq Worker for WorkerSettings whose jobs can tell an abort from a shutdown,
    and whose claims on jobs are short leases it keeps renewing.

    arq cancels a job's task both when the job is aborted and when the worker stops;
    only the first should end the question as ``cancelled``. arq records aborted job
    ids in ``Worker.aborting_tasks`` right as it cancels them, so the jobs get that set.

    arq claims a job with an in-progress key that lives ``in_progress_timeout_s``
    (the job timeout + 10 s); claiming with the lease instead, renewed by ``JobLease``
    (see job_lease.py), brings a killed worker's jobs back within one lease.
    """
    worker = create_worker(WorkerSettings, **overrides)
    worker.ctx[ABORTING] = worker.aborting_tasks
    worker.ctx[LEASE] = lease_claims(worker, get_settings().job_lease_s)
    return worker

"""A job that loses Redis mid-run is run again (arq ``Retry``), never failed.

A failed arq job is gone for good, and its question, which could not be ended while Redis
was away, would never finish: the orphan tests/reliability/test_crash_during_posts.py
caught once after a Redis kill -9. Here Redis is a loopback port nothing listens on.
"""

from __future__ import annotations

import pytest
from arq import Retry
from redis.asyncio import Redis

from harness.processes import free_port
from services.common.keys import RedisKeys
from services.common.publisher import Publisher
from services.common.questions import QuestionStore
from services.common.settings import Settings
from services.worker.agent_client import make_agent_client
from services.worker.jobs import DEPS, Deps, answer_question


async def test_a_job_whose_redis_is_gone_is_retried_not_failed() -> None:
    unreachable = Redis(port=free_port(), socket_connect_timeout=0.5)  # nothing listens
    settings = Settings(_env_file=None, agent_retry_defer_s=0.25)
    keys = RedisKeys(settings.redis_namespace)
    deps = Deps(
        settings=settings,
        store=QuestionStore(unreachable, keys, ttl_s=60),
        publisher=Publisher(unreachable, keys, ttl_s=60),
        agent=make_agent_client(settings),  # never reached: the record cannot be read
    )
    with pytest.raises(Retry) as retried:
        await answer_question({DEPS: deps, "job_try": 2}, "q_lost")
    assert retried.value.defer_score == 500  # ms: the retry defer grows with the try
    await unreachable.aclose()

"""Run the arq worker so that it outlives a Redis outage.

arq's poll loop does not survive a lost Redis connection: the ConnectionError escapes
``Worker.run`` (after arq has let the running jobs finish or fail), and the process
would exit. A restarted Redis (AOF keeps the queue, the logs and the in-progress keys)
only helps if the workers come back to it, so this loop builds a fresh worker, with a
fresh connection pool, until Redis answers again. A job interrupted by the outage runs
again once its in-progress key lapses, as after a worker crash (it says ``retrying``).
"""

from __future__ import annotations

import logging
import time

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.exceptions import WatchError

from services.worker.worker_settings import build_worker

logger = logging.getLogger(__name__)

RESTART_DELAY_S = 1.0
#: what a lost Redis looks like from arq's loop; redis-py reports a connection lost in
#: the middle of arq's WATCH (claiming a job) as a WatchError
LOST_REDIS = (RedisConnectionError, RedisTimeoutError, WatchError, OSError)


def run_worker(burst: bool = False) -> None:
    """Run the worker; after a lost Redis, start a new one until Redis is back."""
    while True:
        worker = build_worker(burst=burst)
        try:
            worker.run()
            return
        except LOST_REDIS as error:
            logger.warning(
                "lost Redis (%s); restarting the worker in %.0f s", error, RESTART_DELAY_S
            )
            time.sleep(RESTART_DELAY_S)

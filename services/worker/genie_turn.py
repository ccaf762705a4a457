"""Wait for a Genie start under the shared rate limit, showing the user their place.

Each waiting question's own job asks the limiter for its turn about once per
``genie_queue_update_s`` (sooner when its turn is due) and publishes a ``queued`` chunk
whenever its position or its ETA in whole seconds changes — so the user sees the line
move and the ETA count down (about one chunk a second), without a chunk on every check.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections.abc import Awaitable, Callable

from redis.exceptions import RedisError

from services.common.chunks import QuestionStatus, StatusChunk
from services.common.genie_limiter import GenieRateLimiter, Turn
from services.common.waiting_messages import genie_wait_message

logger = logging.getLogger(__name__)

MIN_CHECK_S = 0.05


def waiting_message(turn: Turn) -> str:
    return genie_wait_message(turn.position, _eta(turn))


def _eta(turn: Turn) -> int:
    return math.ceil(turn.wait_s)


async def wait_for_genie_turn(
    limiter: GenieRateLimiter,
    question_id: str,
    asked_at: float,
    check_every_s: float,
    publish: Callable[[StatusChunk], Awaitable[None]],
    on_head: Callable[[Turn], Awaitable[None]] | None = None,
) -> None:
    """Return once this question may start on Genie; leave the line if interrupted.

    ``on_head`` runs at each check while this question heads the line (it tells the
    questions still in arq's queue where they stand: see backlog_positions).
    """
    shown: tuple[int, int] | None = None  # the position and ETA (s) last published
    try:
        while not (turn := await limiter.take_turn(question_id, asked_at)).granted:
            if shown != (place := (turn.position, _eta(turn))):
                await publish(
                    StatusChunk(
                        question_id=question_id,
                        status=QuestionStatus.QUEUED,
                        message=waiting_message(turn),
                        position=turn.position,
                        eta_s=_eta(turn),
                    )
                )
                shown = place
            if on_head is not None and turn.position == 1:
                try:
                    await on_head(turn)
                except RedisError as error:  # only others' updates: this question goes on
                    logger.warning("%s: backlog positions not published: %s", question_id, error)
            await asyncio.sleep(max(MIN_CHECK_S, min(check_every_s, turn.wait_s)))
    except BaseException:
        with contextlib.suppress(RedisError):  # else the lease lapses on its own
            await limiter.leave(question_id)
        raise
    if shown is not None:
        logger.info("%s: Genie turn after waiting at place %d", question_id, shown[0])

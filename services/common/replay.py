"""Read a question's replay log: what a late or returning subscriber missed."""

from __future__ import annotations

from redis.asyncio import Redis

from services.common.keys import RedisKeys


async def read_log(
    redis: Redis, keys: RedisKeys, question_id: str, after_seq: int = -1
) -> list[str]:
    """The question's published chunks (JSON text) with seq > after_seq, in order.

    The log's index is the seq, so this is one LRANGE however long the stream is.
    """
    raw = await redis.lrange(keys.replay_log(question_id), max(after_seq + 1, 0), -1)
    return [item.decode() if isinstance(item, bytes) else item for item in raw]

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
    chunks, _ = await read_log_and_state(redis, keys, question_id, after_seq)
    return chunks


async def read_log_and_state(
    redis: Redis, keys: RedisKeys, question_id: str, after_seq: int = -1
) -> tuple[list[str], bool]:
    """``read_log`` plus whether the question has finished, read atomically.

    A reader resuming after the ``done`` chunk gets no chunks; the flag, read in the
    same transaction as the log, tells it that nothing more will ever come.
    """
    async with redis.pipeline(transaction=True) as pipe:
        pipe.lrange(keys.replay_log(question_id), max(after_seq + 1, 0), -1)
        pipe.hget(keys.question(question_id), "finished")
        raw, finished = await pipe.execute()
    chunks = [item.decode() if isinstance(item, bytes) else item for item in raw]
    return chunks, finished in (b"1", "1")

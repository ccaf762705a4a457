"""Publish a question's chunks: replay log, live channel and exactly one ``done``.

One Lua script does everything atomically, so no reader can see a chunk on the channel
that is not in the log yet, two publishers (the API cancelling, the worker finishing)
can never both end a question, and a job that runs again continues the seq where the
log stops. The script splices ``seq`` into the JSON text instead of decoding it with
cjson, because cjson turns an empty JSON array (``"rows": []``) into ``{}``.
"""

from __future__ import annotations

import logging

from redis.asyncio import Redis

from services.common.chunks import Chunk, DoneChunk, StatusChunk, dump_chunk
from services.common.keys import RedisKeys

logger = logging.getLogger(__name__)

# KEYS[1] replay log, KEYS[2] question hash, KEYS[3] (optional) a key that must not exist
# ARGV[1] channel, ARGV[2] ttl in seconds, then per chunk three values:
#   its JSON without "seq", the status it sets on the question ('' for none), '1' if done
# Returns the seq of the first chunk, or nil when the question has already finished
# (or KEYS[3] exists).
_PUBLISH = """
if redis.call('HGET', KEYS[2], 'finished') == '1' then  -- records start with finished=0
    return nil
end
if KEYS[3] and redis.call('EXISTS', KEYS[3]) == 1 then
    return nil
end
local first = redis.call('LLEN', KEYS[1])
local seq = first
for i = 3, #ARGV, 3 do
    local chunk = '{"seq":' .. seq .. ',' .. string.sub(ARGV[i], 2)
    redis.call('RPUSH', KEYS[1], chunk)
    redis.call('PUBLISH', ARGV[1], chunk)
    if ARGV[i + 1] ~= '' then
        redis.call('HSET', KEYS[2], 'status', ARGV[i + 1])
    end
    if ARGV[i + 2] == '1' then
        redis.call('HSET', KEYS[2], 'finished', '1')
    end
    seq = seq + 1
end
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('EXPIRE', KEYS[2], ARGV[2])
return first
"""


class Publisher:
    """Publishes chunks for questions; one per process, sharing its Redis client."""

    def __init__(self, redis: Redis, keys: RedisKeys, ttl_s: int) -> None:
        self._redis = redis
        self._keys = keys
        self._ttl_s = ttl_s
        self._script = redis.register_script(_PUBLISH)

    async def publish(self, *chunks: Chunk, unless_exists: str | None = None) -> list[Chunk] | None:
        """Append the chunks to their question's log and channel, all or none.

        All chunks must belong to one question, and a ``done`` chunk may only come last.
        Returns copies with ``seq`` set, or None when the question had already finished
        (then nothing was written: the caller lost a race to end the question) — or when
        the key ``unless_exists`` exists: checked in the same script, so a chunk that is
        only true until something happens (a worker claiming the job) is never
        published after it.
        """
        if not chunks:
            return []
        question_id = chunks[0].question_id
        if any(chunk.question_id != question_id for chunk in chunks):
            raise ValueError("publish() takes the chunks of one question at a time")
        if any(isinstance(chunk, DoneChunk) for chunk in chunks[:-1]):
            raise ValueError("a done chunk must be the last one published")
        argv: list[str | int] = [self._keys.channel(question_id), self._ttl_s]
        for chunk in chunks:
            body = dump_chunk(chunk.model_copy(update={"seq": None}))
            sets_status = isinstance(chunk, StatusChunk | DoneChunk)
            argv += [body, str(chunk.status) if sets_status else "", _flag(chunk)]
        keys = [self._keys.replay_log(question_id), self._keys.question(question_id)]
        if unless_exists is not None:
            keys.append(unless_exists)
        first = await self._script(keys=keys, args=argv)
        if first is None:
            logger.info("question %s: refused %d chunk(s)", question_id, len(chunks))
            return None
        return [chunk.model_copy(update={"seq": int(first) + i}) for i, chunk in enumerate(chunks)]


def _flag(chunk: Chunk) -> str:
    return "1" if isinstance(chunk, DoneChunk) else ""

"""Each owner's conversations, newest first, for the chat page's history sidebar.

One sorted set per owner (conversation id → when its latest question was asked), so a
new tab, or "New conversation", can bring back any earlier conversation. Titles are not
stored: a conversation is titled by its first question, read from the question records
that already exist. Entries whose conversation has expired (records live
``replay_ttl_s``) are dropped when the list is read; the set itself expires with its
newest conversation.
"""

from __future__ import annotations

from pydantic import BaseModel
from redis.asyncio import Redis

from services.common.keys import RedisKeys

#: the history of callers of an open API (no keys configured): everyone shares it
ANONYMOUS_OWNER = "anonymous"
#: the most conversations one listing returns
MAX_LISTED = 50


def history_key(keys: RedisKeys, owner: str | None) -> str:
    """The owner's sorted set (also written by the API's intake script, with each question)."""
    return keys.conversation_history(owner or ANONYMOUS_OWNER)


class ConversationSummary(BaseModel):
    """One line of the history: what the sidebar shows and reopens."""

    conversation_id: str
    title: str  # the conversation's first question
    updated_at: float  # when its latest question was asked
    question_count: int


class ConversationHistory:
    """Records which conversations an owner used, and lists them newest first."""

    def __init__(self, redis: Redis, keys: RedisKeys, ttl_s: int) -> None:
        self._redis = redis
        self._keys = keys
        self._ttl_s = ttl_s

    def _key(self, owner: str | None) -> str:
        return history_key(self._keys, owner)

    async def asked(self, owner: str | None, conversation_id: str, at: float) -> None:
        """A question was asked in the conversation: it moves to the top of the history."""
        key = self._key(owner)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.zadd(key, {conversation_id: at})
            pipe.expire(key, self._ttl_s)
            await pipe.execute()

    async def newest_first(
        self, owner: str | None, limit: int = MAX_LISTED
    ) -> list[ConversationSummary]:
        """The owner's conversations still on record, latest question first."""
        key = self._key(owner)
        entries = [
            (_text(member), score)
            for member, score in await self._redis.zrevrange(key, 0, limit - 1, withscores=True)
        ]
        async with self._redis.pipeline(transaction=False) as pipe:
            for conversation_id, _ in entries:
                pipe.lindex(self._keys.conversation_questions(conversation_id), 0)
                pipe.llen(self._keys.conversation_questions(conversation_id))
            replies = await pipe.execute()
        firsts, counts = replies[::2], replies[1::2]
        async with self._redis.pipeline(transaction=False) as pipe:
            for question_id in firsts:
                pipe.hget(self._keys.question(_text(question_id or "")), "question")
            titles = await pipe.execute()
        listed, expired = [], []
        rows = zip(entries, titles, counts, strict=True)
        for (conversation_id, updated_at), title, count in rows:
            if title is None:
                expired.append(conversation_id)
                continue
            summary = ConversationSummary(
                conversation_id=conversation_id,
                title=_text(title),
                updated_at=updated_at,
                question_count=count,
            )
            listed.append(summary)
        if expired:
            await self._redis.zrem(key, *expired)
        return listed


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value

"""Identical questions asked close together share one Genie call.

Genie allows only a few new questions a minute, and a team often asks the same thing at
once ("what is low on stock?"). The first question with a given normalised text and no
conversation before it claims that text in Redis for ``answer_cache_ttl_s``; a second
one finds the claim, waits for the first to finish, and — when it completed — replays
its sql, table, text and answer chunks into its own stream, re-sequenced by the
publisher, saying so in a status message and with ``cached: true`` on the answer. A
claim whose question failed or was cancelled is released, and the next question asks
Genie itself. Follow-ups never share: their answer depends on the conversation; and
questions of different API keys never share, in case Genie answers each caller from
what that caller may see.

A shared answer belongs to no Genie conversation of its own, yet the user's next
question follows up on it. Continuing the first asker's Genie conversation would mix
two users' follow-ups, so the follow-up's job asks the shared question again in a new
Genie conversation first (``unasked_antecedent``), and the follow-up continues that.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Awaitable, Callable

from redis.asyncio import Redis

from services.common.chunks import AnswerChunk, Chunk, StatusChunk, parse_chunk
from services.common.keys import RedisKeys
from services.common.questions import (
    ConversationNotFound,
    QuestionNotFound,
    QuestionRecord,
    QuestionStore,
)
from services.common.replay import read_log

logger = logging.getLogger(__name__)

#: the chunks that carry an answer; statuses, errors and done belong to the first run
REPLAYED_TYPES = frozenset({"sql", "table", "text", "answer"})

# KEYS[1] the claim; ARGV[1] the question id that must still hold it
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
    return redis.call('DEL', KEYS[1])
end
return 0
"""


def normalise(question: str) -> str:
    """Case, spacing and closing punctuation do not make a question different."""
    return " ".join(question.casefold().split()).rstrip("?!. ")


class SharedAnswers:
    """Claims question texts and replays a finished identical question's answer."""

    def __init__(
        self, redis: Redis, keys: RedisKeys, store: QuestionStore, ttl_s: int, poll_s: float
    ) -> None:
        self._redis = redis
        self._keys = keys
        self._store = store
        self._ttl_s = ttl_s
        self._poll_s = poll_s
        self._release = redis.register_script(_RELEASE)

    def _key(self, record: QuestionRecord) -> str:
        scope = f"{record.owner or ''}\n{normalise(record.question)}"
        digest = hashlib.sha256(scope.encode()).hexdigest()
        return self._keys.shared_answer(digest)

    def applies_to(self, record: QuestionRecord) -> bool:
        return self._ttl_s > 0 and record.previous_question_id is None

    async def source_for(
        self,
        record: QuestionRecord,
        max_wait_s: float,
        on_wait: Callable[[], Awaitable[None]],
    ) -> QuestionRecord | None:
        """The completed identical question to replay, or None: this one asks Genie.

        Waits (up to ``max_wait_s``) for an identical question still being answered,
        calling ``on_wait`` first so the user knows why nothing moves.
        """
        if not self.applies_to(record):
            return None
        key = self._key(record)
        deadline = time.monotonic() + max_wait_s
        while time.monotonic() < deadline:
            if await self._redis.set(key, record.id, nx=True, ex=self._ttl_s):
                return None
            holder = _text(await self._redis.get(key))
            if holder is None:
                continue  # expired between the two calls: claim it
            if holder == record.id:
                return None  # this question's own claim, from a run before a retry
            source = await self._finished(holder, deadline, on_wait)
            if source is not None and source.status == "completed":
                return source
            if time.monotonic() >= deadline:
                break
            await self._release(keys=[key], args=[holder])  # failed, cancelled or gone
        logger.warning("%s: identical question still unanswered; asking Genie", record.id)
        return None

    async def _finished(
        self, question_id: str, deadline: float, on_wait: Callable[[], Awaitable[None]]
    ) -> QuestionRecord | None:
        waited = False
        while time.monotonic() < deadline:
            try:
                record = await self._store.get_question(question_id)
            except QuestionNotFound:
                return None
            if record.finished:
                return record
            if not waited:
                await on_wait()
                waited = True
            await asyncio.sleep(self._poll_s)
        return None

    async def unasked_antecedent(self, record: QuestionRecord) -> QuestionRecord | None:
        """The question this follow-up refines, when its answer was shared and Genie has
        no conversation holding it yet: ask it again before the follow-up, or Genie reads
        the follow-up with no context ("just in Seattle" would list Seattle's warehouse)."""
        if record.previous_question_id is None:
            return None
        try:
            conversation = await self._store.get_conversation(record.conversation_id)
            previous = await self._store.get_question(record.previous_question_id)
        except (ConversationNotFound, QuestionNotFound):
            return None
        if conversation.genie_conversation_id or previous.genie_conversation_id:
            return None
        return previous if previous.status == "completed" else None

    async def answered(self, record: QuestionRecord) -> None:
        """The claim's time to live starts again when its answer exists."""
        if self.applies_to(record):
            key = self._key(record)
            if _text(await self._redis.get(key)) == record.id:
                await self._redis.expire(key, self._ttl_s)

    async def replay(self, source: QuestionRecord, record: QuestionRecord) -> list[Chunk]:
        """The source's answer chunks as chunks of ``record``, led by a status saying so."""
        chunks = [parse_chunk(raw) for raw in await read_log(self._redis, self._keys, source.id)]
        answered_at = chunks[-1].ts if chunks else source.created_at
        age_s = max(0, round(time.time() - answered_at))
        note = StatusChunk(
            question_id=record.id,
            status="starting",
            message=f"♻️ Same question answered {age_s} s ago",
        )
        replayed: list[Chunk] = [note]
        for chunk in chunks:
            if chunk.type not in REPLAYED_TYPES:
                continue
            update: dict[str, object] = {"question_id": record.id, "seq": None, "ts": time.time()}
            if isinstance(chunk, AnswerChunk):
                update |= {"cached": True, "conversation_id": record.conversation_id}
            replayed.append(chunk.model_copy(update=update))
        return replayed


def _text(value: bytes | str | None) -> str | None:
    return value.decode() if isinstance(value, bytes) else value

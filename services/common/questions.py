"""Question and conversation records in Redis hashes, shared by the API and the worker.

A conversation id is the API's own (``c_…``); the Genie conversation behind it is only
known after its first answer, when the worker records it here. Questions of one
conversation are kept in order so that a follow-up can wait for the one before it.
Records expire with the replay log (``settings.replay_ttl_s``).
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from pydantic import BaseModel
from redis.asyncio import Redis

from services.common.keys import ARQ_IN_PROGRESS_PREFIX, ARQ_JOB_PREFIX, RedisKeys


class QuestionNotFound(LookupError):
    """No question with this id (never asked, or expired)."""

    def __init__(self, question_id: str) -> None:
        super().__init__(f"no question with id {question_id!r}")
        self.question_id = question_id


class ConversationNotFound(LookupError):
    """No conversation with this id (never started, or expired)."""

    def __init__(self, conversation_id: str) -> None:
        super().__init__(f"no conversation with id {conversation_id!r}")
        self.conversation_id = conversation_id


class QuestionRecord(BaseModel):
    id: str
    question: str
    conversation_id: str
    created_at: float
    status: str = "queued"  # the latest status or done chunk's status (set by the publisher)
    finished: bool = False  # a done chunk was published (set by the publisher)
    previous_question_id: str | None = None  # the conversation's question before this one
    owner: str | None = None
    genie_conversation_id: str | None = None
    genie_message_id: str | None = None  # the answer's (the run's latest) Genie message
    # The run's first Genie message: a retried job resumes it. With a language model one
    # turn may ask Genie twice; its retry's first call must get the first question's answer.
    genie_first_message_id: str | None = None
    feedback: str | None = None
    feedback_comment: str | None = None


class ConversationRecord(BaseModel):
    id: str
    created_at: float
    owner: str | None = None
    genie_conversation_id: str | None = None  # known after the first answer
    last_message_id: str | None = None  # Genie message id of the latest answer


def new_question_id() -> str:
    return f"q_{uuid.uuid4().hex}"


def new_conversation_id() -> str:
    return f"c_{uuid.uuid4().hex}"


class QuestionStore:
    """Reads and writes question and conversation records."""

    def __init__(self, redis: Redis, keys: RedisKeys, ttl_s: int) -> None:
        self._redis = redis
        self._keys = keys
        self._ttl_s = ttl_s

    async def create_conversation(self, owner: str | None = None) -> ConversationRecord:
        record = ConversationRecord(id=new_conversation_id(), created_at=time.time(), owner=owner)
        key = self._keys.conversation(record.id)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(key, mapping=to_hash(record))
            pipe.expire(key, self._ttl_s)
            await pipe.execute()
        return record

    async def get_conversation(self, conversation_id: str) -> ConversationRecord:
        data = await self._redis.hgetall(self._keys.conversation(conversation_id))
        if not data:
            raise ConversationNotFound(conversation_id)
        return ConversationRecord.model_validate(_from_hash(data))

    async def create_question(
        self, question: str, conversation_id: str, owner: str | None = None
    ) -> QuestionRecord:
        """Record a new question as the latest of its (existing) conversation."""
        record = QuestionRecord(
            id=new_question_id(),
            question=question,
            conversation_id=conversation_id,
            created_at=time.time(),
            owner=owner,
        )
        order_key = self._keys.conversation_questions(conversation_id)
        # RPUSH's returned length tells which question came before, even under races.
        length = await self._redis.rpush(order_key, record.id)
        if length > 1:
            previous = await self._redis.lindex(order_key, length - 2)
            record.previous_question_id = _text(previous)
        key = self._keys.question(record.id)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(key, mapping=to_hash(record))
            pipe.expire(key, self._ttl_s)
            pipe.expire(order_key, self._ttl_s)
            pipe.expire(self._keys.conversation(conversation_id), self._ttl_s)
            await pipe.execute()
        return record

    async def get_question(self, question_id: str) -> QuestionRecord:
        data = _from_hash(await self._redis.hgetall(self._keys.question(question_id)))
        if "question" not in data:  # absent, or only the publisher's fields
            raise QuestionNotFound(question_id)
        return QuestionRecord.model_validate(data)

    async def has_job(self, question_id: str) -> bool:
        """Whether arq still holds the question's job (queued, deferred or running).

        A question written before submission was atomic (or by hand) may have none: it
        will never finish, and nothing should wait for it.
        """
        held = ARQ_JOB_PREFIX + question_id, ARQ_IN_PROGRESS_PREFIX + question_id
        return await self._redis.exists(*held) > 0

    async def question_exists(self, question_id: str) -> bool:
        return bool(await self._redis.hexists(self._keys.question(question_id), "question"))

    async def conversation_question_ids(self, conversation_id: str) -> list[str]:
        raw = await self._redis.lrange(self._keys.conversation_questions(conversation_id), 0, -1)
        return [_text(item) for item in raw]

    async def set_feedback(self, question_id: str, rating: str, comment: str | None = None) -> None:
        """The latest rating wins; a rating sent without a comment clears an older one."""
        key = self._keys.question(question_id)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(key, "feedback", rating)
            if comment:
                pipe.hset(key, "feedback_comment", comment)
            else:
                pipe.hdel(key, "feedback_comment")
            await pipe.execute()

    async def record_genie_ids(
        self, question_id: str, genie_conversation_id: str, genie_message_id: str | None
    ) -> None:
        """Remember which Genie conversation and message answered the question.

        The worker calls this as soon as Genie accepted the question: a retried job then
        polls the first such message instead of asking again, the conversation's next
        question continues that Genie conversation, and feedback reaches the latest message
        (the one the answer came from).
        """
        record = await self.get_question(question_id)
        question_fields = {"genie_conversation_id": genie_conversation_id}
        conversation_fields = {"genie_conversation_id": genie_conversation_id}
        if genie_message_id:
            question_fields["genie_message_id"] = genie_message_id
            conversation_fields["last_message_id"] = genie_message_id
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._keys.question(question_id), mapping=question_fields)
            if genie_message_id:
                pipe.hsetnx(
                    self._keys.question(question_id), "genie_first_message_id", genie_message_id
                )
            pipe.hset(self._keys.conversation(record.conversation_id), mapping=conversation_fields)
            await pipe.execute()


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def to_hash(record: BaseModel) -> dict[str, str]:
    """Hash fields are strings; unset optional fields are simply absent."""
    fields: dict[str, Any] = record.model_dump(exclude_none=True)
    return {name: str(int(v)) if isinstance(v, bool) else str(v) for name, v in fields.items()}


def _from_hash(data: dict[Any, Any]) -> dict[str, str]:
    return {_text(name): _text(value) for name, value in data.items()}

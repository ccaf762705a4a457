"""Take a question in with one Lua script: a crash leaves all of it or none of it.

Asking used to be five round trips (add to the conversation, write the record, record it
in the owner's history, publish ``queued``, enqueue the job). Redis or the API dying
between them left questions that never finish — a ``queued`` chunk with no job — and a
follow-up that waited ten minutes for one. Here one script does everything: Redis runs a
script as a unit and logs its writes to the AOF as one transaction (a torn tail is
dropped on load), so a question exists with its job and its first chunk, or not at all.
A script that fails midway (a command refused: an ACL, out of memory) keeps the writes
before the failure, so the job is written first: a job without its record ends at once
("not found"), while a record without its job would be an orphan.

The job is arq's own record (``serialize_job``, the key and score ``enqueue_job`` would
write), so the worker cannot tell it from one arq enqueued; its keyword arguments carry
the user's token when the agent runs as the user (services/common/on_behalf_of.py).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from arq.connections import ArqRedis
from arq.constants import expires_extra_ms
from arq.jobs import serialize_job
from pydantic import SecretStr

from services.common.chunks import StatusChunk, dump_chunk
from services.common.conversation_history import history_key
from services.common.keys import ARQ_JOB_PREFIX, ARQ_QUEUE, RedisKeys
from services.common.on_behalf_of import job_token_kwargs
from services.common.questions import (
    ConversationNotFound,
    ConversationRecord,
    QuestionRecord,
    new_conversation_id,
    new_question_id,
    to_hash,
)

#: the arq job the worker registers; its only argument is the question id
JOB_FUNCTION = "answer_question"

# KEYS: 1 conversation hash, 2 its question list, 3 question hash, 4 replay log,
#       5 arq job key, 6 arq queue, 7 the owner's conversation history
# ARGV: 1 ttl s, 2 conversation fields as JSON ('' when it must exist already),
#       3 question fields as JSON, 4 question id, 5 the queued chunk (seq 0),
#       6 channel, 7 the arq job, 8 the job's expiry in ms, 9 its queue score,
#       10 conversation id, 11 when the question was asked
# Returns {0} when the conversation does not exist, else {1, previous question id or ''}.
_INTAKE = """
if ARGV[2] == '' and redis.call('EXISTS', KEYS[1]) == 0 then
    return {0}
end
redis.call('PSETEX', KEYS[5], ARGV[8], ARGV[7])
redis.call('ZADD', KEYS[6], ARGV[9], ARGV[4])
if ARGV[2] ~= '' then
    for name, value in pairs(cjson.decode(ARGV[2])) do
        redis.call('HSET', KEYS[1], name, value)
    end
end
local length = redis.call('RPUSH', KEYS[2], ARGV[4])
local previous = ''
if length > 1 then
    previous = redis.call('LINDEX', KEYS[2], length - 2)
end
for name, value in pairs(cjson.decode(ARGV[3])) do
    redis.call('HSET', KEYS[3], name, value)
end
if previous ~= '' then
    redis.call('HSET', KEYS[3], 'previous_question_id', previous)
end
redis.call('RPUSH', KEYS[4], ARGV[5])
redis.call('PUBLISH', ARGV[6], ARGV[5])
redis.call('ZADD', KEYS[7], ARGV[11], ARGV[10])
for _, i in ipairs({1, 2, 3, 4, 7}) do
    redis.call('EXPIRE', KEYS[i], ARGV[1])
end
return {1, previous}
"""


@dataclass(frozen=True)
class Intake:
    """Writes new questions; one per API process, sharing its Redis client."""

    redis: ArqRedis
    keys: RedisKeys
    ttl_s: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "_script", self.redis.register_script(_INTAKE))

    async def take(
        self,
        question: str,
        conversation_id: str | None,
        owner: str | None,
        queued_message: str,
        position: int,
        user_token: SecretStr | None = None,
    ) -> QuestionRecord:
        """Record the question (in a new conversation when ``conversation_id`` is None),
        its ``queued`` chunk (seq 0), its job and the owner's history; raises
        ConversationNotFound."""
        now = time.time()
        conversation_fields = ""
        if conversation_id is None:
            conversation = ConversationRecord(id=new_conversation_id(), created_at=now, owner=owner)
            conversation_id = conversation.id
            conversation_fields = json.dumps(to_hash(conversation))
        record = QuestionRecord(
            id=new_question_id(),
            question=question,
            conversation_id=conversation_id,
            created_at=now,
            owner=owner,
        )
        chunk = StatusChunk(
            question_id=record.id, status="queued", message=queued_message, position=position
        )
        enqueued_ms = int(now * 1000)
        job = serialize_job(
            JOB_FUNCTION, (record.id,), job_token_kwargs(user_token), None, enqueued_ms
        )
        keys = [
            self.keys.conversation(conversation_id),
            self.keys.conversation_questions(conversation_id),
            self.keys.question(record.id),
            self.keys.replay_log(record.id),
            ARQ_JOB_PREFIX + record.id,
            ARQ_QUEUE,
            history_key(self.keys, owner),
        ]
        args = [
            self.ttl_s,
            conversation_fields,
            json.dumps(to_hash(record)),
            record.id,
            _first_chunk(dump_chunk(chunk)),
            self.keys.channel(record.id),
            job,
            expires_extra_ms,
            enqueued_ms,
            conversation_id,
            now,
        ]
        outcome = await self._script(keys=keys, args=args)  # type: ignore[attr-defined]
        if int(outcome[0]) == 0:
            raise ConversationNotFound(conversation_id)
        previous = outcome[1].decode() if isinstance(outcome[1], bytes) else outcome[1]
        record.previous_question_id = previous or None
        return record


def _first_chunk(body: str) -> str:
    """The chunk as the publisher writes it: ``seq`` spliced in first (see publisher)."""
    return '{"seq":0,' + body[1:]

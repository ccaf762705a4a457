"""Question and conversation records against a real Redis."""

from __future__ import annotations

import pytest
from redis.asyncio import Redis

from services.common.chunks import DoneChunk, StatusChunk
from services.common.keys import RedisKeys
from services.common.publisher import Publisher
from services.common.questions import ConversationNotFound, QuestionNotFound, QuestionStore


@pytest.fixture
def store(redis: Redis, keys: RedisKeys) -> QuestionStore:
    return QuestionStore(redis, keys, ttl_s=300)


async def test_questions_of_a_conversation_are_chained_in_order(store: QuestionStore):
    conversation = await store.create_conversation()
    first = await store.create_question("Which parts are low?", conversation.id)
    second = await store.create_question("And by warehouse?", conversation.id)
    assert first.previous_question_id is None
    assert second.previous_question_id == first.id
    assert await store.conversation_question_ids(conversation.id) == [first.id, second.id]
    assert await store.get_question(second.id) == second


async def test_unknown_ids_raise_named_errors(store: QuestionStore):
    with pytest.raises(QuestionNotFound):
        await store.get_question("q_nope")
    with pytest.raises(ConversationNotFound):
        await store.get_conversation("c_nope")
    assert not await store.question_exists("q_nope")


async def test_publisher_state_shows_on_the_record(
    store: QuestionStore, redis: Redis, keys: RedisKeys
):
    conversation = await store.create_conversation()
    record = await store.create_question("Which parts are low?", conversation.id)
    publisher = Publisher(redis, keys, ttl_s=300)
    running = StatusChunk(question_id=record.id, status="executing", message="⚡")
    assert await publisher.publish(running) is not None  # a fresh record is not finished
    assert (await store.get_question(record.id)).status == "executing"
    await publisher.publish(DoneChunk(question_id=record.id, status="failed", elapsed_ms=3))
    finished = await store.get_question(record.id)
    assert (finished.status, finished.finished) == ("failed", True)


async def test_genie_ids_reach_the_question_and_its_conversation(store: QuestionStore):
    conversation = await store.create_conversation()
    record = await store.create_question("Which parts are low?", conversation.id)
    await store.record_genie_ids(record.id, "genie-conv-1", "genie-msg-9")
    question = await store.get_question(record.id)
    assert (question.genie_conversation_id, question.genie_message_id) == (
        "genie-conv-1",
        "genie-msg-9",
    )
    updated = await store.get_conversation(conversation.id)
    assert (updated.genie_conversation_id, updated.last_message_id) == (
        "genie-conv-1",
        "genie-msg-9",
    )


async def test_records_expire(store: QuestionStore, redis: Redis, keys: RedisKeys):
    conversation = await store.create_conversation()
    record = await store.create_question("Which parts are low?", conversation.id)
    for key in (keys.question(record.id), keys.conversation(conversation.id)):
        assert 0 < await redis.ttl(key) <= 300

"""Each owner's conversation history in the session's real Redis: newest first, titled by
the first question, expired conversations dropped."""

from __future__ import annotations

from redis.asyncio import Redis

from services.common.conversation_history import ConversationHistory
from services.common.keys import RedisKeys
from services.common.questions import QuestionStore


async def ask(store: QuestionStore, history: ConversationHistory, owner, text, conversation=None):
    if conversation is None:
        conversation = (await store.create_conversation(owner)).id
    record = await store.create_question(text, conversation, owner)
    await history.asked(owner, conversation, record.created_at)
    return conversation


async def test_newest_first_titled_by_the_first_question(redis: Redis, keys: RedisKeys) -> None:
    store, history = QuestionStore(redis, keys, 60), ConversationHistory(redis, keys, 60)
    older = await ask(store, history, "k_a", "What parts are low stock?")
    newer = await ask(store, history, "k_a", "How many warehouses are there?")
    await ask(store, history, "k_a", "just in Seattle", older)  # the older one moves up
    listed = await history.newest_first("k_a")
    assert [(c.conversation_id, c.title, c.question_count) for c in listed] == [
        (older, "What parts are low stock?", 2),
        (newer, "How many warehouses are there?", 1),
    ]
    assert listed[0].updated_at >= listed[1].updated_at
    assert [c.conversation_id for c in await history.newest_first("k_a", limit=1)] == [older]


async def test_owners_see_only_their_own(redis: Redis, keys: RedisKeys) -> None:
    store, history = QuestionStore(redis, keys, 60), ConversationHistory(redis, keys, 60)
    mine = await ask(store, history, "k_a", "What parts are low stock?")
    anonymous = await ask(store, history, None, "Which suppliers deliver late?")
    assert [c.conversation_id for c in await history.newest_first("k_a")] == [mine]
    assert [c.conversation_id for c in await history.newest_first(None)] == [anonymous]
    assert await history.newest_first("k_nobody") == []


async def test_an_expired_conversation_leaves_the_history(redis: Redis, keys: RedisKeys) -> None:
    store, history = QuestionStore(redis, keys, 60), ConversationHistory(redis, keys, 60)
    kept = await ask(store, history, "k_a", "What parts are low stock?")
    gone = await ask(store, history, "k_a", "How many warehouses are there?")
    [first_question] = await store.conversation_question_ids(gone)
    await redis.delete(keys.question(first_question))  # what its TTL does
    assert [c.conversation_id for c in await history.newest_first("k_a")] == [kept]
    assert await redis.zscore(keys.conversation_history("k_a"), gone) is None

"""The Lua publish against a real Redis: gapless seq, one done, TTL, the live channel."""

from __future__ import annotations

import asyncio
import json

from redis.asyncio import Redis

from services.common.chunks import DoneChunk, StatusChunk, TableChunk, TextChunk, parse_chunk
from services.common.keys import RedisKeys
from services.common.publisher import Publisher
from services.common.replay import read_log

QID = "q_test"


def status(question_id: str = QID, message: str = "working") -> StatusChunk:
    return StatusChunk(question_id=question_id, status="executing", message=message)


async def test_seq_counts_from_zero_and_chunks_round_trip(redis: Redis, keys: RedisKeys):
    publisher = Publisher(redis, keys, ttl_s=60)
    table = TableChunk(question_id=QID, columns=[], rows=[], row_count=0)
    published = await publisher.publish(status(), table, TextChunk(question_id=QID, delta="hé"))
    assert [chunk.seq for chunk in published] == [0, 1, 2]
    logged = [parse_chunk(raw) for raw in await read_log(redis, keys, QID)]
    assert logged == published
    assert json.loads((await read_log(redis, keys, QID))[1])["rows"] == []  # not {} (cjson)


async def test_seq_is_gapless_under_concurrent_publishers(redis: Redis, keys: RedisKeys):
    clients = [Redis.from_url(_url(redis)) for _ in range(4)]
    publishers = [Publisher(client, keys, 60) for client in clients]
    results = await asyncio.gather(
        *(publishers[i % 4].publish(status(message=str(i))) for i in range(200))
    )
    for client in clients:
        await client.aclose()
    assert sorted(result[0].seq for result in results) == list(range(200))
    logged = [parse_chunk(raw) for raw in await read_log(redis, keys, QID)]
    assert [chunk.seq for chunk in logged] == list(range(200))


async def test_refuses_every_chunk_after_done(redis: Redis, keys: RedisKeys):
    publisher = Publisher(redis, keys, ttl_s=60)
    await publisher.publish(status(), DoneChunk(question_id=QID, status="completed", elapsed_ms=5))
    assert await publisher.publish(status()) is None
    late_done = DoneChunk(question_id=QID, status="failed", elapsed_ms=6)
    assert await publisher.publish(late_done) is None
    assert len(await read_log(redis, keys, QID)) == 2
    assert await redis.hget(keys.question(QID), "status") == b"completed"


async def test_exactly_one_done_when_two_publishers_race(redis: Redis, keys: RedisKeys):
    other_client = Redis.from_url(_url(redis))
    api, worker = Publisher(redis, keys, 60), Publisher(other_client, keys, 60)
    for round_ in range(50):
        question_id = f"q_race{round_}"
        cancelled = [
            StatusChunk(question_id=question_id, status="cancelled", message="Cancelled"),
            DoneChunk(question_id=question_id, status="cancelled", elapsed_ms=1),
        ]
        completed = [
            TextChunk(question_id=question_id, delta="answer"),
            DoneChunk(question_id=question_id, status="completed", elapsed_ms=2),
        ]
        results = await asyncio.gather(api.publish(*cancelled), worker.publish(*completed))
        assert sum(result is not None for result in results) == 1
        logged = [parse_chunk(raw) for raw in await read_log(redis, keys, question_id)]
        assert [chunk.type for chunk in logged].count("done") == 1
        assert logged[-1].type == "done"
        assert [chunk.seq for chunk in logged] == [0, 1]
    await other_client.aclose()


async def test_log_and_record_expire_after_ttl(redis: Redis, keys: RedisKeys):
    await Publisher(redis, keys, ttl_s=120).publish(status())
    assert 0 < await redis.ttl(keys.replay_log(QID)) <= 120
    assert 0 < await redis.ttl(keys.question(QID)) <= 120


async def test_a_rerun_continues_the_seq(redis: Redis, keys: RedisKeys):
    await Publisher(redis, keys, 60).publish(status(), status())
    again = await Publisher(redis, keys, 60).publish(status(message="retrying"))
    assert again[0].seq == 2


async def test_chunks_go_out_live_on_the_question_channel(redis: Redis, keys: RedisKeys):
    pubsub = redis.pubsub()
    await pubsub.subscribe(keys.channel(QID))
    await pubsub.get_message(timeout=1)  # the subscribe confirmation
    await Publisher(redis, keys, 60).publish(status())
    message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=5)
    assert parse_chunk(message["data"]).seq == 0
    await pubsub.aclose()


def _url(redis: Redis) -> str:
    kwargs = redis.connection_pool.connection_kwargs
    return f"redis://{kwargs['host']}:{kwargs['port']}/{kwargs.get('db', 0)}"

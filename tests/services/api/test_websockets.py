"""Websockets on a real uvicorn API: replay, live, resume, dedup, close codes, the stream."""

from __future__ import annotations

import asyncio
import json
import random
from typing import Any

import httpx
import pytest
import websockets
from websockets.exceptions import ConnectionClosed

from harness.processes import Server
from harness.questions import frame_chunks
from services.common.chunks import DoneChunk, StatusChunk, TextChunk
from services.common.publisher import Publisher
from tests.services.api.conftest import ws_url


async def ask(http: httpx.AsyncClient) -> str:
    response = await http.post("/questions", json={"question": "What is low on stock?"})
    assert response.status_code == 202, response.text
    return response.json()["question_id"]


def texts(question_id: str, count: int, start: int = 0) -> list[TextChunk]:
    return [TextChunk(question_id=question_id, delta=f"w{i} ") for i in range(start, start + count)]


def done(question_id: str, status: str = "completed") -> DoneChunk:
    return DoneChunk(question_id=question_id, status=status, elapsed_ms=12)


async def read_socket(url: str) -> tuple[list[dict[str, Any]], int | None, str]:
    """Every chunk a per-question socket sends, then how it closed."""
    chunks: list[dict[str, Any]] = []
    async with websockets.connect(url, open_timeout=10) as socket:
        try:
            async for frame in socket:
                chunks += frame_chunks(frame)
        except ConnectionClosed:
            pass
        return chunks, socket.close_code, socket.close_reason


async def test_replay_then_live_in_order_ending_with_one_done(
    http: httpx.AsyncClient, quiet_api: Server, publisher: Publisher
):
    question_id = await ask(http)
    await publisher.publish(*texts(question_id, 3))  # before anyone listens: replayed
    reader = asyncio.create_task(read_socket(ws_url(quiet_api, f"/ws/questions/{question_id}")))
    await asyncio.sleep(0.2)  # let it connect, so what follows is (most likely) live
    await publisher.publish(*texts(question_id, 3, start=3), done(question_id))
    chunks, code, reason = await asyncio.wait_for(reader, 10)
    assert [chunk["seq"] for chunk in chunks] == list(range(8))
    assert chunks[0]["status"] == "queued"
    assert "".join(c["delta"] for c in chunks if c["type"] == "text") == "w0 w1 w2 w3 w4 w5 "
    assert [c["type"] for c in chunks].count("done") == 1 and chunks[-1]["type"] == "done"
    assert (code, reason) == (1000, "done")


async def test_a_late_subscriber_gets_the_full_replay(
    http: httpx.AsyncClient, quiet_api: Server, publisher: Publisher
):
    question_id = await ask(http)
    await publisher.publish(*texts(question_id, 5), done(question_id))
    chunks, code, _ = await read_socket(ws_url(quiet_api, f"/ws/questions/{question_id}"))
    assert [chunk["seq"] for chunk in chunks] == list(range(7))
    assert code == 1000


async def test_resume_after_seq_mid_stream(
    http: httpx.AsyncClient, quiet_api: Server, publisher: Publisher
):
    question_id = await ask(http)
    await publisher.publish(*texts(question_id, 5))
    url = ws_url(quiet_api, f"/ws/questions/{question_id}?after_seq=3")
    reader = asyncio.create_task(read_socket(url))
    await asyncio.sleep(0.1)
    await publisher.publish(*texts(question_id, 2, start=5), done(question_id))
    chunks, _, _ = await asyncio.wait_for(reader, 10)
    assert [chunk["seq"] for chunk in chunks] == [4, 5, 6, 7, 8]


async def test_resuming_after_done_closes_at_once(
    http: httpx.AsyncClient, quiet_api: Server, publisher: Publisher
):
    question_id = await ask(http)
    await publisher.publish(*texts(question_id, 2), done(question_id))
    url = ws_url(quiet_api, f"/ws/questions/{question_id}?after_seq=3")
    chunks, code, _ = await asyncio.wait_for(read_socket(url), 10)
    assert (chunks, code) == ([], 1000)


async def test_two_subscribers_see_identical_streams(
    http: httpx.AsyncClient, quiet_api: Server, publisher: Publisher
):
    question_id = await ask(http)
    url = ws_url(quiet_api, f"/ws/questions/{question_id}")
    readers = [asyncio.create_task(read_socket(url)) for _ in range(2)]
    for chunk in texts(question_id, 20):
        await publisher.publish(chunk)
    await publisher.publish(done(question_id))
    (first, _, _), (second, _, _) = await asyncio.wait_for(asyncio.gather(*readers), 10)
    assert first == second
    assert [chunk["seq"] for chunk in first] == list(range(22))


async def test_chunks_published_during_replay_are_neither_lost_nor_doubled(
    http: httpx.AsyncClient, quiet_api: Server, publisher: Publisher
):
    """Subscribers connect at random moments while a publisher writes non-stop."""
    question_id = await ask(http)
    total = 300
    url = ws_url(quiet_api, f"/ws/questions/{question_id}")
    rng = random.Random(4)

    published = 0

    async def publish_all() -> None:
        nonlocal published
        for chunk in texts(question_id, total):
            await publisher.publish(chunk)
            published += 1
        await publisher.publish(done(question_id))

    async def subscribe_during(join_at: int, after_seq: int) -> list[int]:
        while published < join_at:  # join while the publisher is mid-stream
            await asyncio.sleep(0.001)
        chunks, _, _ = await read_socket(f"{url}?after_seq={after_seq}")
        return [chunk["seq"] for chunk in chunks]

    starts = [(rng.randrange(1, total - 20), rng.choice([-1, -1, 0, 10])) for _ in range(16)]
    results = await asyncio.wait_for(
        asyncio.gather(publish_all(), *(subscribe_during(j, a) for j, a in starts)), 60
    )
    for (_, after_seq), seqs in zip(starts, results[1:], strict=True):
        assert seqs == list(range(after_seq + 1, total + 2))


async def test_cancel_racing_a_finishing_worker_still_ends_with_one_done(
    http: httpx.AsyncClient, quiet_api: Server, publisher: Publisher
):
    for _ in range(10):
        question_id = await ask(http)
        finish = publisher.publish(
            TextChunk(question_id=question_id, delta="42"),
            StatusChunk(question_id=question_id, status="completed", message="✅"),
            done(question_id),
        )
        cancel = http.post(f"/questions/{question_id}/cancel")
        published, response = await asyncio.gather(finish, cancel)
        assert (published is None) == (response.status_code == 202)
        assert response.status_code in (202, 409)
        chunks, code, _ = await read_socket(ws_url(quiet_api, f"/ws/questions/{question_id}"))
        assert [chunk["type"] for chunk in chunks].count("done") == 1
        assert [chunk["seq"] for chunk in chunks] == list(range(len(chunks)))
        assert code == 1000


async def test_unknown_question_closes_4404(quiet_api: Server):
    chunks, code, reason = await read_socket(ws_url(quiet_api, "/ws/questions/q_never_asked"))
    assert chunks == []
    assert code == 4404
    assert "unknown question" in reason and "q_never_asked" in reason


async def test_a_long_unknown_id_still_gets_a_valid_close(quiet_api: Server):
    _, code, reason = await read_socket(ws_url(quiet_api, "/ws/questions/" + "é" * 200))
    assert code == 4404 and reason.startswith("unknown question")


@pytest.mark.parametrize(
    ("query", "hint"),
    [("after_seq=x", "after_seq"), ("after_seq=-5", "after_seq"), ("batch_ms=fast", "batch_ms")],
)
async def test_bad_query_closes_4400(http: httpx.AsyncClient, quiet_api: Server, query, hint):
    question_id = await ask(http)
    _, code, reason = await read_socket(ws_url(quiet_api, f"/ws/questions/{question_id}?{query}"))
    assert code == 4400 and hint in reason


async def test_batch_ms_sends_json_arrays(
    http: httpx.AsyncClient, quiet_api: Server, publisher: Publisher
):
    question_id = await ask(http)
    await publisher.publish(*texts(question_id, 4), done(question_id))
    url = ws_url(quiet_api, f"/ws/questions/{question_id}?batch_ms=25")
    async with websockets.connect(url) as socket:
        frames = [json.loads(frame) async for frame in socket]
    assert all(isinstance(frame, list) for frame in frames)
    assert [chunk["seq"] for frame in frames for chunk in frame] == list(range(6))


async def test_stream_carries_several_questions_and_flags_unknown_ones(
    http: httpx.AsyncClient, quiet_api: Server, publisher: Publisher
):
    first, second = await ask(http), await ask(http)
    await publisher.publish(*texts(first, 2))
    query = f"questions={first}:0,{second},q_gone"
    async with websockets.connect(ws_url(quiet_api, f"/ws/stream?{query}")) as socket:
        received: list[dict[str, Any]] = []

        async def until(predicate) -> None:
            while not predicate():
                frame = json.loads(await asyncio.wait_for(socket.recv(), 10))
                assert isinstance(frame, list) and frame  # always a non-empty JSON array
                received.extend(frame)

        await until(lambda: len(received) >= 4)
        assert {"type": "unknown_question", "question_id": "q_gone"} in received
        await publisher.publish(*texts(first, 1, start=2), done(first))
        await publisher.publish(*texts(second, 3), done(second))
        await until(lambda: sum(chunk["type"] == "done" for chunk in received) == 2)
        for question_id, expected in [(first, list(range(1, 5))), (second, list(range(5)))]:
            assert [c["seq"] for c in received if c.get("question_id") == question_id] == expected
        await socket.ping()  # still open after both questions are done


async def test_stream_closes_when_asked_once_every_question_has_ended(
    http: httpx.AsyncClient, quiet_api: Server, publisher: Publisher
):
    """``close_when_done=1``: the close tells a client that may have missed a question's
    last frame (the page can) to resume what it still holds as running."""
    first, second = await ask(http), await ask(http)
    await publisher.publish(*texts(first, 2), done(first))  # ended before the socket opens
    query = f"questions={first}:1,{second},q_gone&close_when_done=1"
    reader = asyncio.create_task(read_socket(ws_url(quiet_api, f"/ws/stream?{query}")))
    await asyncio.sleep(0.2)
    await publisher.publish(*texts(second, 2))
    assert not reader.done()  # the second question is still running
    await publisher.publish(done(second))
    chunks, code, reason = await asyncio.wait_for(reader, 10)
    assert [c["seq"] for c in chunks if c.get("question_id") == first] == [2, 3]
    assert [c["seq"] for c in chunks if c.get("question_id") == second] == list(range(4))
    assert {"type": "unknown_question", "question_id": "q_gone"} in chunks
    assert (code, reason) == (1000, "done")


@pytest.mark.parametrize("value", ["yes", "2", "1%20"])
async def test_stream_refuses_a_close_flag_it_cannot_read(quiet_api: Server, value: str):
    url = ws_url(quiet_api, f"/ws/stream?questions=q_1&close_when_done={value}")
    _, code, reason = await read_socket(url)
    assert code == 4400 and "close_when_done" in reason


async def test_stream_coalesces_a_burst_into_few_frames(
    http: httpx.AsyncClient, quiet_api: Server, publisher: Publisher
):
    question_id = await ask(http)
    url = ws_url(quiet_api, f"/ws/stream?questions={question_id}:0&batch_ms=50")
    async with websockets.connect(url) as socket:
        await asyncio.sleep(0.1)
        await publisher.publish(*texts(question_id, 100), done(question_id))
        frames: list[list[dict[str, Any]]] = []
        while sum(len(frame) for frame in frames) < 101:
            frames.append(json.loads(await asyncio.wait_for(socket.recv(), 10)))
    assert [chunk["seq"] for frame in frames for chunk in frame] == list(range(1, 102))
    assert len(frames) < 10


async def test_stream_rejects_a_malformed_question_list(quiet_api: Server):
    _, code, reason = await read_socket(ws_url(quiet_api, "/ws/stream?questions=q_1:abc"))
    assert code == 4400 and "after_seq" in reason

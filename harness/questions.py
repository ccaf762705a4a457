"""Ask the real API and read a question's stream, as a client would (tests, benchmarks)."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import websockets


def unique(question: str) -> str:
    """The question with a tag of its own, so that it really runs (identical questions
    asked close together may share one answer) — the local Genie ignores the tag."""
    return f"{question} [{uuid.uuid4().hex[:8]}]"


async def post_question(
    api_url: str, question: str, conversation_id: str | None = None
) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=api_url, timeout=10) as http:
        response = await http.post(
            "/questions", json={"question": question, "conversation_id": conversation_id}
        )
    assert response.status_code == 202, response.text
    return response.json()


def frame_chunks(frame: str | bytes) -> list[dict[str, Any]]:
    """A websocket frame carries one chunk or a JSON array of them."""
    data = json.loads(frame)
    return data if isinstance(data, list) else [data]


async def read_until_done(events_url: str, after_seq: int = -1) -> list[dict[str, Any]]:
    """Every chunk the question's websocket sends after ``after_seq``, through ``done``."""
    chunks: list[dict[str, Any]] = []
    async with websockets.connect(f"{events_url}?after_seq={after_seq}") as socket:
        async for frame in socket:
            chunks += frame_chunks(frame)
            if chunks and chunks[-1]["type"] == "done":
                break
    return chunks

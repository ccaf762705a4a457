"""Post a question to the API and follow its chunks over the websocket until ``done``.

The websocket is the API's per-question stream (``events_url``). If it drops before
``done``, the client reconnects with ``after_seq`` = the last seq it showed, so the
terminal neither misses nor repeats a chunk — the same resume a browser does.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any, TextIO
from urllib.parse import urlencode

import httpx
import websockets
from websockets.exceptions import ConnectionClosed, InvalidStatus

from services.client.render import ChunkPrinter
from services.common.chunks import ChunkType, QuestionStatus

logger = logging.getLogger(__name__)

#: how many times a dropped stream is resumed before giving up
MAX_RECONNECTS = 5
RECONNECT_DELAY_S = 0.5
#: the API's close code for a question id it does not know
UNKNOWN_QUESTION_CLOSE = 4404


class AskError(RuntimeError):
    """Something the user must fix or retry; its message is one readable line."""


async def ask(api_url: str, question: str, conversation_id: str | None, out: TextIO) -> str:
    """Ask, print the run live, and return how it ended (completed | failed | cancelled)."""
    started = time.monotonic()
    accepted = await post_question(api_url, question, conversation_id)
    print(
        f"question {accepted['question_id']} in conversation {accepted['conversation_id']}",
        file=out,
    )
    printer = ChunkPrinter(out, started)
    try:
        await follow(accepted["events_url"], printer)
    except asyncio.CancelledError:  # Ctrl-C: asyncio.run cancels this task first
        await cancel_question(api_url, accepted["question_id"], out)
        raise
    return printer.done_status or QuestionStatus.FAILED


async def cancel_question(api_url: str, question_id: str, out: TextIO) -> None:
    """Ctrl-C while watching also stops the question, sparing a Genie request."""
    try:
        async with httpx.AsyncClient(base_url=api_url, timeout=5.0) as http:
            response = await http.post(f"/questions/{question_id}/cancel")
    except httpx.TransportError as error:
        print(f"\ncould not cancel {question_id}: {error}", file=out)
        return
    if response.status_code < 400:
        print(f"\n🛑 cancelled {question_id}", file=out)
    else:
        print(f"\n{question_id} was not cancelled: {_detail(response)}", file=out)


async def post_question(api_url: str, question: str, conversation_id: str | None) -> dict:
    body = {"question": question, "conversation_id": conversation_id}
    try:
        async with httpx.AsyncClient(base_url=api_url, timeout=10.0) as http:
            response = await http.post("/questions", json=body)
    except httpx.TransportError as error:
        raise AskError(
            f"cannot reach the API at {api_url} ({error.__class__.__name__}): "
            "is it running? `make run` starts it"
        ) from error
    if response.status_code >= 400:
        raise AskError(
            f"the API refused the question ({response.status_code}): {_detail(response)}"
        )
    return response.json()


async def follow(events_url: str, printer: ChunkPrinter) -> None:
    """Show every chunk once, in seq order, until ``done``; resume on a dropped socket."""
    last_seq = -1
    for attempt in range(MAX_RECONNECTS + 1):
        if attempt:
            await asyncio.sleep(RECONNECT_DELAY_S)
        url = f"{events_url}?{urlencode({'after_seq': last_seq})}"
        try:
            async with websockets.connect(url, open_timeout=10) as socket:
                async for frame in socket:
                    for chunk in _chunks(frame):
                        if chunk.get("seq", last_seq + 1) <= last_seq:
                            continue  # already shown before a reconnect
                        last_seq = chunk.get("seq", last_seq)
                        printer.show(chunk)
                        if chunk.get("type") == ChunkType.DONE:
                            return
        except ConnectionClosed as closed:
            if closed.rcvd is not None and closed.rcvd.code == UNKNOWN_QUESTION_CLOSE:
                reason = closed.rcvd.reason
                raise AskError(f"the API does not know this question: {reason}") from closed
            logger.info("stream dropped (%s); resuming after seq %d", closed, last_seq)
        except (OSError, InvalidStatus, TimeoutError) as error:
            logger.info("stream unavailable (%s); retrying", error)
    raise AskError(f"lost the stream {MAX_RECONNECTS} times; the question may still finish")


def _chunks(frame: str | bytes) -> list[dict[str, Any]]:
    """A frame carries one chunk or a JSON array of them."""
    data = json.loads(frame)
    return data if isinstance(data, list) else [data]


def _detail(response: httpx.Response) -> str:
    """FastAPI's error body as one line: its detail text, or each validation message."""
    try:
        detail = response.json().get("detail", response.text)
    except ValueError:
        return response.text.strip() or response.reason_phrase
    if isinstance(detail, list):
        return "; ".join(str(item.get("msg", item)) for item in detail)
    return str(detail)

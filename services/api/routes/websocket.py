"""Websockets: one question's chunks, or every chunk of a browser session's questions.

``/ws/questions/{id}`` sends one chunk object per frame (or arrays with ``batch_ms``)
and closes after ``done``. ``/ws/stream`` (for the Dash UI) always sends JSON arrays,
at most one frame per ``batch_ms``, because dash-extensions' WebSocket drops messages
that arrive faster than one per browser frame; it stays open after ``done`` unless
``close_when_done=1``. The page asks for that close: a dropped frame is noticed by the
seq gap the next frame of the same question leaves, but nothing follows a question's
last frame, which a frame for another question can push out; the close makes the page
reconnect for whatever it still holds as running, and the replay brings the rest.
Close codes: 4400 bad query string, 4401 missing or wrong API key, 4403 page origin
not allowed, 4404 unknown question (or another key's), 1011 Redis unavailable.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from fastapi import APIRouter, WebSocket
from redis.exceptions import RedisError
from starlette.websockets import WebSocketDisconnect

from services.api.context import ApiContext
from services.api.deps import ContextDep
from services.api.forwarded_identity import forwarded_socket_caller, trusts_forwarded_identity
from services.api.relay import Relay
from services.api.security import Caller, NotAuthenticated, OriginNotAllowed, socket_caller
from services.api.subscriptions import (
    BadSubscription,
    parse_after_seq,
    parse_batch_ms,
    parse_flag,
    parse_question_list,
)
from services.common.chunks import UNKNOWN_QUESTION_FRAME
from services.common.logs import bind_question

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/ws", tags=["websocket"])

T = TypeVar("T")

BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, UNKNOWN_QUESTION, SERVER_ERROR = 4400, 4401, 4403, 4404, 1011
MAX_REASON_BYTES = 123


@router.websocket("/questions/{question_id}", name="question_events")
async def question_events(websocket: WebSocket, question_id: str, context: ContextDep) -> None:
    await websocket.accept()  # before any close: a close before accept is an HTTP 403
    bind_question(question_id)
    caller = await _authenticated(websocket, context)
    if caller is None:
        return

    async def subscription() -> tuple[int, int, bool]:
        after_seq = parse_after_seq(websocket.query_params.get("after_seq"))
        batch_ms = parse_batch_ms(websocket.query_params.get("batch_ms"), default=0)
        return after_seq, batch_ms, bool(await _known(context, {question_id: after_seq}, caller))

    wanted = await _subscription_or_close(websocket, subscription)
    if wanted is None:
        return
    after_seq, batch_ms, exists = wanted
    if not exists:
        reason = f"unknown question {question_id!r}: never asked here, or expired"
        await websocket.close(UNKNOWN_QUESTION, fit_reason(reason))
        return
    arrays = batch_ms > 0
    await _relay(
        websocket, context, {question_id: after_seq}, batch_ms, arrays, close_when_done=True
    )


@router.websocket("/stream")
async def stream(websocket: WebSocket, context: ContextDep) -> None:
    await websocket.accept()
    caller = await _authenticated(websocket, context)
    if caller is None:
        return

    async def subscription() -> tuple[dict[str, int], int, bool, set[str]]:
        params = websocket.query_params
        wanted = parse_question_list(params.get("questions"))
        batch_ms = parse_batch_ms(params.get("batch_ms"), default=context.settings.stream_batch_ms)
        close = parse_flag("close_when_done", params.get("close_when_done"))
        return wanted, batch_ms, close, await _known(context, wanted, caller)

    subscribed = await _subscription_or_close(websocket, subscription)
    if subscribed is None:
        return
    wanted, batch_ms, close_when_done, known = subscribed
    unknown = [
        json.dumps({"type": UNKNOWN_QUESTION_FRAME, "question_id": question_id})
        for question_id in wanted
        if question_id not in known
    ]
    after = {question_id: seq for question_id, seq in wanted.items() if question_id in known}
    await _relay(websocket, context, after, batch_ms, True, close_when_done, preface=unknown)


def fit_reason(text: str) -> str:
    """A close reason may be at most 123 bytes of UTF-8: cut longer ones (ids echoed)."""
    return text.encode()[:MAX_REASON_BYTES].decode(errors="ignore")


async def _authenticated(websocket: WebSocket, context: ApiContext) -> Caller | None:
    """The socket's caller, or None once it has been closed with the reason why."""
    try:
        if trusts_forwarded_identity(context.settings):
            return forwarded_socket_caller(websocket, context.settings)
        return await socket_caller(websocket, context.settings)
    except OriginNotAllowed as error:
        code, reason = FORBIDDEN, str(error)
    except NotAuthenticated as error:
        code, reason = UNAUTHORIZED, str(error)
    with contextlib.suppress(RuntimeError, OSError, WebSocketDisconnect):  # it may have left
        await websocket.close(code, fit_reason(reason))
    return None


async def _subscription_or_close(
    websocket: WebSocket, subscription: Callable[[], Awaitable[T]]
) -> T | None:
    """What the query string asks for, or None once the socket has been closed saying why
    (4400 for a bad query string, 1011 when Redis cannot tell which questions exist)."""
    try:
        return await subscription()
    except BadSubscription as error:
        await websocket.close(BAD_REQUEST, fit_reason(str(error)))
    except RedisError:
        await websocket.close(SERVER_ERROR, "Redis unavailable; reconnect shortly")
    return None


async def _known(context: ApiContext, wanted: dict[str, int], caller: Caller) -> set[str]:
    """The wanted questions that exist and the caller may see (another key's: unknown)."""
    async with context.redis.pipeline(transaction=False) as pipe:
        for question_id in wanted:
            pipe.hmget(context.keys.question(question_id), ["question", "owner"])
        found = await pipe.execute()
    return {
        question_id
        for question_id, (question, owner) in zip(wanted, found, strict=True)
        if question is not None and caller.can_see(owner.decode() if owner else None)
    }


async def _relay(
    websocket: WebSocket,
    context: ApiContext,
    after: dict[str, int],
    batch_ms: int,
    arrays: bool,
    close_when_done: bool,
    preface: list[str] | None = None,
) -> None:
    """Pump chunks until done (or forever), while noticing the client going away."""
    async with (
        context.broadcaster.subscribe(after) as subscription,
        context.metrics.websocket_open(),
    ):
        relay = Relay(context.redis, context.keys, subscription, after)
        pump = asyncio.create_task(
            _pump(websocket, relay, batch_ms, arrays, close_when_done, preface or [], context)
        )
        client_gone = asyncio.create_task(_until_client_leaves(websocket))
        await asyncio.wait({pump, client_gone}, return_when=asyncio.FIRST_COMPLETED)
        for task in (pump, client_gone):
            task.cancel()
        outcome, _ = await asyncio.gather(pump, client_gone, return_exceptions=True)
        if isinstance(outcome, Exception):  # not CancelledError: the pump itself failed
            await _close_after_error(websocket, outcome)


async def _pump(
    websocket: WebSocket,
    relay: Relay,
    batch_ms: int,
    arrays: bool,
    close_when_done: bool,
    preface: list[str],
    context: ApiContext,
) -> None:
    loop = asyncio.get_running_loop()
    batch_s, last_sent = batch_ms / 1000, float("-inf")
    chunks = preface + await relay.catch_up()
    while True:
        if chunks:
            if arrays:
                await websocket.send_text("[" + ",".join(chunks) + "]")
            else:
                for chunk in chunks:
                    await websocket.send_text(chunk)
            context.metrics.chunks_relayed.inc(len(chunks))
            last_sent = loop.time()
        if close_when_done and relay.all_finished:
            await websocket.close(1000, "done")
            return
        chunks = await relay.next_chunks()
        delay = last_sent + batch_s - loop.time()
        if batch_s and delay > 0:  # coalesce whatever else arrives within the window
            await asyncio.sleep(delay)
            chunks += await relay.next_chunks(wait=False)


async def _until_client_leaves(websocket: WebSocket) -> None:
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return


async def _close_after_error(websocket: WebSocket, error: BaseException) -> None:
    if isinstance(error, WebSocketDisconnect | OSError):
        return  # the client went away mid-send: nothing to tell it
    if isinstance(error, RedisError):
        logger.warning("websocket relay lost Redis: %s", error)
        reason = "Redis unavailable; reconnect with after_seq shortly"
    else:
        logger.error("websocket relay failed", exc_info=error)
        reason = "internal error; reconnect with after_seq"
    with contextlib.suppress(RuntimeError, OSError, WebSocketDisconnect):
        await websocket.close(SERVER_ERROR, reason)

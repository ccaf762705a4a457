"""Who is asking: API keys, question ownership, allowed browser origins, per-key rate limit.

With ``API_KEYS`` empty (the local default) the API is open: every caller is the same
anonymous user, sees every question, and is not rate limited. With keys configured,
every route but /healthz and /readyz needs one, each question belongs to the key that
asked it, and another key's question answers exactly like an unknown id, so ids cannot
be probed. Only a hash of the key is ever stored or logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import math
import re
import time
from dataclasses import dataclass

from redis.asyncio import Redis
from starlette.websockets import WebSocket

from services.common.keys import RedisKeys
from services.common.logs import bind_question
from services.common.questions import (
    ConversationNotFound,
    ConversationRecord,
    QuestionNotFound,
    QuestionRecord,
    QuestionStore,
)
from services.common.sessions import COOKIE_NAME, is_session_token, session_of
from services.common.settings import Settings

#: a caller of an open API (no keys configured): owns nothing, sees everything
ANONYMOUS: str | None = None
#: in the local default (no CORS_ORIGINS), any page served from this machine may connect
LOOPBACK_ORIGIN = re.compile(r"^https?://(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?$")
RATE_WINDOW_S = 60


class NotAuthenticated(PermissionError):
    """No API key, or not one of the configured ones."""


class OriginNotAllowed(PermissionError):
    """A browser page from an origin not on the allow-list opened a websocket."""


class TooManyQuestions(RuntimeError):
    """The key asked more questions this minute than ``questions_per_minute_per_key``."""

    def __init__(self, limit: int, retry_after_s: int) -> None:
        super().__init__(f"more than {limit} questions this minute")
        self.limit = limit
        self.retry_after_s = retry_after_s


@dataclass(frozen=True)
class Caller:
    """The authenticated caller; ``owner`` is its key's fingerprint (None: open API)."""

    owner: str | None

    def can_see(self, record_owner: str | None) -> bool:
        return self.owner is ANONYMOUS or self.owner == record_owner


def fingerprint(key: str) -> str:
    """What is stored as a question's owner: a hash, so Redis never holds a usable key."""
    return "k_" + hashlib.sha256(key.encode()).hexdigest()[:32]


def bearer_token(authorization: str | None) -> str | None:
    """The key of an ``Authorization: Bearer <key>`` header, else None."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def authenticate(settings: Settings, presented: str | None) -> Caller:
    """The caller owning ``presented``; raises NotAuthenticated when keys are required.

    Every configured key is compared, in constant time, whatever matched first: the
    time taken says nothing about how close a guess was or which key it resembled.
    """
    if not settings.api_keys:
        return Caller(ANONYMOUS)
    if not presented:
        raise NotAuthenticated(
            "this API needs a key: send the header 'Authorization: Bearer <key>' "
            "(websockets: ?api_key=<key> or the key as the first message)"
        )
    if is_session_token(presented):
        session = session_of(presented, settings.api_keys)
        if session is None:
            raise NotAuthenticated(
                "this chat session is expired or not signed with a valid API key "
                "(UI_API_KEY must be one of API_KEYS): reload the page"
            )
        return Caller("s_" + session)
    given = presented.encode()
    matched = False
    for key in settings.api_keys:
        matched |= hmac.compare_digest(given, key.encode())
    if not matched:
        raise NotAuthenticated("the API key is not valid: check it, or ask for a new one")
    return Caller(fingerprint(presented))


def check_origin(settings: Settings, origin: str | None, own_origin: str | None = None) -> None:
    """Refuse a websocket opened by a page from a foreign origin (cross-site hijacking).

    No Origin header means a non-browser client (curl, the ask CLI, a worker), which
    cannot be tricked into connecting by another site's page. Otherwise the origin must
    be on ``CORS_ORIGINS`` (unset: a loopback origin). The Host header proves nothing: a
    DNS-rebinding page sends a matching Origin and Host of its own choosing. Only
    behind the Databricks Apps proxy, the only way in there, is the app's own origin
    (``own_origin``, from the proxy's forwarded host) accepted too.
    """
    if origin is None:
        return
    origin = origin.rstrip("/")
    if origin in settings.cors_origins or (own_origin is not None and origin == own_origin):
        return
    if not settings.cors_origins and LOOPBACK_ORIGIN.match(origin):
        return
    raise OriginNotAllowed(
        f"origin {origin[:60]!r} is not allowed: add it to CORS_ORIGINS on the API"
    )


async def count_question(
    redis: Redis, keys: RedisKeys, settings: Settings, caller: Caller, now: float | None = None
) -> None:
    """Count one question against the caller's minute; raise TooManyQuestions past it.

    A fixed one-minute window (INCR + EXPIRE): cheap, one round trip, and shared by
    every API replica. An open API (no keys) and a limit of 0 count nothing.
    """
    limit = settings.questions_per_minute_per_key
    if caller.owner is ANONYMOUS or limit == 0:
        return
    now = time.time() if now is None else now
    window = int(now // RATE_WINDOW_S)
    key = keys.questions_asked(caller.owner, window)
    async with redis.pipeline(transaction=True) as pipe:
        pipe.incr(key)
        pipe.expire(key, RATE_WINDOW_S * 2)
        asked, _ = await pipe.execute()
    if asked > limit:
        retry_after_s = max(1, math.ceil((window + 1) * RATE_WINDOW_S - now))
        raise TooManyQuestions(limit, retry_after_s)


async def owned_question(store: QuestionStore, caller: Caller, question_id: str) -> QuestionRecord:
    """The caller's question; someone else's raises QuestionNotFound, like an unknown id.

    The request's logs are tagged with the id from here on.
    """
    bind_question(question_id)
    record = await store.get_question(question_id)
    if not caller.can_see(record.owner):
        raise QuestionNotFound(question_id)
    return record


async def owned_conversation(
    store: QuestionStore, caller: Caller, conversation_id: str
) -> ConversationRecord:
    """The caller's conversation; someone else's raises ConversationNotFound."""
    record = await store.get_conversation(conversation_id)
    if not caller.can_see(record.owner):
        raise ConversationNotFound(conversation_id)
    return record


async def socket_caller(websocket: WebSocket, settings: Settings) -> Caller:
    """Check an accepted websocket's Origin, then its key: ``?api_key=``, a bearer
    header, the chat page's session cookie, or the first message.

    A browser cannot set headers on a websocket, hence the query parameter; the first
    message (the key, or ``{"api_key": …}``) keeps the key out of proxy access logs.
    """
    check_origin(settings, websocket.headers.get("origin"))
    presented = (
        websocket.query_params.get("api_key")
        or bearer_token(websocket.headers.get("authorization"))
        or websocket.cookies.get(COOKIE_NAME)  # the chat page's session (see sessions.py)
    )
    if settings.api_keys and not presented:
        presented = await _first_message_key(websocket, settings.ws_auth_timeout_s)
    return authenticate(settings, presented)


async def _first_message_key(websocket: WebSocket, timeout_s: float) -> str | None:
    try:
        async with asyncio.timeout(timeout_s):
            message = await websocket.receive()
    except TimeoutError:
        return None
    text = message.get("text")
    if not text:
        return None
    with contextlib.suppress(ValueError):
        parsed = json.loads(text)
        if isinstance(parsed, dict):
            key = parsed.get("api_key")
            return key if isinstance(key, str) else None
    return text.strip()

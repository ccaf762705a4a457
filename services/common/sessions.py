"""Per-browser-session credentials for the chat page: no shared key in any page.

The chat page's server holds ``UI_API_KEY`` and never sends it to a browser. Instead it
gives each browser a session token in an HttpOnly cookie, signed with that key:
``s1.<session id>.<expiry>.<HMAC-SHA256(key, "s1.<session id>.<expiry>")>``. The API,
which knows the key as one of its ``API_KEYS``, accepts the token wherever it accepts a
key (bearer header from the page's server; the cookie on the page's websocket, which
the browser sends because cookies are scoped to the host name, not the port). Each
session is its own owner and its own rate-limit bucket; page scripts cannot read it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

COOKIE_NAME = "iga_session"
PREFIX = "s1"
SESSION_TTL_S = 12 * 3600


def issue(key: str, now: float | None = None, ttl_s: int = SESSION_TTL_S) -> str:
    """A new session's token, valid for ``ttl_s``."""
    expiry = int((time.time() if now is None else now) + ttl_s)
    body = f"{PREFIX}.{secrets.token_hex(16)}.{expiry}"
    return f"{body}.{_signature(key, body)}"


def is_session_token(presented: str) -> bool:
    return presented.startswith(PREFIX + ".")


def session_of(token: str, keys: list[str], now: float | None = None) -> str | None:
    """The session id of a token signed with one of ``keys`` and not expired, else None.

    Every key is tried, in constant time, whatever matched first (as with API keys).
    """
    body, _, signature = token.rpartition(".")
    parts = body.split(".")
    if len(parts) != 3 or parts[0] != PREFIX or not parts[2].isascii() or not parts[2].isdigit():
        return None
    matched = False
    for key in keys:
        matched |= hmac.compare_digest(signature.encode(), _signature(key, body).encode())
    current = time.time() if now is None else now
    return parts[1] if matched and int(parts[2]) > current else None


def _signature(key: str, body: str) -> str:
    return hmac.new(key.encode(), body.encode(), hashlib.sha256).hexdigest()

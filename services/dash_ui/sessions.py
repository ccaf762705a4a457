"""Give each browser its own signed session cookie; the page's API calls present it.

The cookie is HttpOnly (page scripts cannot read it) and SameSite=Strict (another
site's page cannot make the browser send it). The token inside is signed with
``UI_API_KEY`` (services/common/sessions.py), which stays on this server. With no
``UI_API_KEY`` (the open local API) there is nothing to sign and no cookie is set.
"""

from __future__ import annotations

from flask import Flask, Response, g, has_request_context, request

from services.common.sessions import COOKIE_NAME, SESSION_TTL_S, issue, session_of

_NEW = "iga_new_session"


def install_sessions(server: Flask, key: str | None, secure: bool) -> None:
    """Issue a session to every browser that has none (or an expired one)."""
    if key is None:
        return

    @server.before_request
    def _ensure_session() -> None:
        token = request.cookies.get(COOKIE_NAME)
        if token is None or session_of(token, [key]) is None:
            setattr(g, _NEW, issue(key))

    @server.after_request
    def _set_cookie(response: Response) -> Response:
        token = g.get(_NEW)
        if token is not None:
            response.set_cookie(
                COOKIE_NAME,
                token,
                max_age=SESSION_TTL_S,
                httponly=True,
                samesite="Strict",
                secure=secure,
            )
        return response


def current_session_token() -> str | None:
    """The session of the browser whose request this server is handling, if any."""
    if not has_request_context():
        return None
    return g.get(_NEW) or request.cookies.get(COOKIE_NAME)

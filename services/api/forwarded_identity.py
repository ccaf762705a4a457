"""``AUTH_MODE=databricks-apps``: the caller is who the Databricks Apps proxy says it is.

The Apps proxy signs users in and adds ``X-Forwarded-Email`` and (with user
authorization, ``user_api_scopes``) ``X-Forwarded-Access-Token`` to every request it
passes to the app, replacing any a client sent. In this mode those headers are the only
identity the API accepts: the owner of a question is the forwarded email, and the token
goes with the question's job so the agent runs as the user (see
services/common/on_behalf_of.py). In any other mode nothing here is consulted, so
forwarded headers are ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from fastapi import Depends
from pydantic import SecretStr
from starlette.requests import HTTPConnection
from starlette.websockets import WebSocket

from services.api.security import Caller, NotAuthenticated, check_origin
from services.common.settings import Settings

DATABRICKS_APPS = "databricks-apps"
EMAIL_HEADER = "X-Forwarded-Email"
TOKEN_HEADER = "X-Forwarded-Access-Token"
#: the headers the chat page's server copies onto its own calls to the API
IDENTITY_HEADERS = (EMAIL_HEADER, TOKEN_HEADER)


def trusts_forwarded_identity(settings: Settings) -> bool:
    return settings.auth_mode == DATABRICKS_APPS


def forwarded_caller(headers: Mapping[str, str]) -> Caller:
    """The signed-in user; NotAuthenticated when the proxy's headers are missing."""
    email = (headers.get(EMAIL_HEADER) or "").strip().lower()
    token = (headers.get(TOKEN_HEADER) or "").strip()
    if not email or not token:
        raise NotAuthenticated(
            f"no signed-in Databricks user: this app expects the Databricks Apps proxy's "
            f"{EMAIL_HEADER} and {TOKEN_HEADER} headers (open it through the app's URL; "
            "the app needs user authorization scopes)"
        )
    return Caller(owner=email)


def forwarded_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """The identity headers of an incoming request, to pass on to the API unchanged."""
    return {name: headers[name] for name in IDENTITY_HEADERS if headers.get(name)}


async def user_token(connection: HTTPConnection) -> SecretStr | None:
    """The forwarded access token the question's job carries; None outside this mode."""
    if not trusts_forwarded_identity(connection.app.state.context.settings):
        return None
    token = (connection.headers.get(TOKEN_HEADER) or "").strip()
    return SecretStr(token) if token else None


UserTokenDep = Annotated[SecretStr | None, Depends(user_token)]


def forwarded_socket_caller(websocket: WebSocket, settings: Settings) -> Caller:
    """A websocket's user: its page's origin checked first, like any websocket's.

    The proxy is the only way in, so the app's own origin is allowed (outside this mode
    the Host header proves nothing). The proxy may hand the app another Host than the
    browser used; it says which one in ``X-Forwarded-Host``, trusted here as the rest of
    its headers are. The proxy serves only https.
    """
    headers = websocket.headers
    host = headers.get("x-forwarded-host") or headers.get("host")
    check_origin(settings, headers.get("origin"), f"https://{host}" if host else None)
    return forwarded_caller(headers)

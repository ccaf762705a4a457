"""Who may reach the local Genie: which Host names it answers, and who may use ``/local/*``.

A DNS-rebinding page points a name it controls at 127.0.0.1 and then talks to loopback
servers from the victim's browser; its requests carry that name in ``Host``, so the
server answers only the names it is really reached by: the loopback names, the host of
``LOCAL_GENIE_BASE_URL`` (``genie`` under compose) and ``LOCAL_GENIE_ALLOWED_HOSTS``.

``/local/*`` changes faults and delays and reads counters: on loopback with no token set
it stays open for tests, but once the server listens beyond loopback or a token is set,
it needs ``Authorization: Bearer <LOCAL_GENIE_TOKEN>``, and with no token set it is shut.
"""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Header, Request

from genie_local.server.errors import PermissionDeniedError, UnauthenticatedError
from services.common.settings import Settings

#: Host header names of this machine, as Starlette's TrustedHostMiddleware compares them
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")


@dataclass(frozen=True)
class Access:
    """The server's access rules, fixed when the app is built."""

    required_token: str | None = None  # the only bearer token accepted, when set
    allowed_hosts: tuple[str, ...] = LOOPBACK_HOSTS
    beyond_loopback: bool = False  # listening on an address other machines can reach

    @property
    def admin_needs_token(self) -> bool:
        return self.beyond_loopback or self.required_token is not None


def access_from_settings(settings: Settings, listen_host: str) -> Access:
    """The rules for a server started with ``settings``, listening on ``listen_host``."""
    token = settings.local_genie_token
    names = [*LOOPBACK_HOSTS, *(h.lower() for h in settings.local_genie_allowed_hosts)]
    if base_host := urlsplit(settings.local_genie_base_url or "").hostname:
        names.append(base_host.lower())
    return Access(
        required_token=token.get_secret_value() if token else None,
        allowed_hosts=tuple(dict.fromkeys(names)),
        beyond_loopback=not is_loopback(listen_host),
    )


def is_loopback(listen_host: str) -> bool:
    """Whether a bind address is reachable only from this machine."""
    if listen_host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(listen_host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name that may resolve anywhere: treat it as reachable


def _bearer(authorization: str | None) -> str | None:
    scheme, _, token = (authorization or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def require_admin(request: Request, authorization: Annotated[str | None, Header()] = None) -> None:
    """``/local/*``: open on loopback with no token set, else only with the set token."""
    access: Access = request.app.state.access
    if not access.admin_needs_token:
        return
    if access.required_token is None:
        raise PermissionDeniedError(
            "The local Genie listens beyond loopback, so /local/* needs a token: "
            "set LOCAL_GENIE_TOKEN and send 'Authorization: Bearer <token>'."
        )
    token = _bearer(authorization)
    if token is None:
        raise UnauthenticatedError(
            "/local/* needs 'Authorization: Bearer <LOCAL_GENIE_TOKEN>' on this server."
        )
    if not secrets.compare_digest(token, access.required_token):
        raise PermissionDeniedError("Invalid access token.")


def require_bearer(request: Request, authorization: Annotated[str | None, Header()] = None) -> None:
    """Accept any bearer token, as a workspace accepts any valid PAT; or only the set one."""
    token = _bearer(authorization)
    if token is None:
        raise UnauthenticatedError(
            "Credential was not sent or was of an unsupported type for this API: "
            "send 'Authorization: Bearer <token>'."
        )
    required = request.app.state.access.required_token
    if required is not None and not secrets.compare_digest(token, required):
        raise PermissionDeniedError("Invalid access token.")

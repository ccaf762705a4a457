"""Which Host header names a service answers to: the guard against DNS rebinding.

A page on evil.example whose name is re-pointed at 127.0.0.1 reaches a loopback service
with ``Host: evil.example``; a service that answers only the names it is known by
refuses it (400). ``ALLOWED_HOSTS`` lists those names; unset, they are the loopback ones.
"""

from __future__ import annotations

from services.common.settings import Settings

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
#: a bind address meaning "every interface" is no name a client uses
_ANY_INTERFACE = ("0.0.0.0", "::", "")


def allowed_hosts(settings: Settings) -> list[str]:
    """The configured names, else the loopback names and the host it binds to by name.

    Behind the Databricks Apps proxy (``AUTH_MODE=databricks-apps``) the proxy is the
    only way in and chooses the Host itself: any is accepted.
    """
    if settings.auth_mode == "databricks-apps":
        return ["*"]
    if settings.allowed_hosts:
        return list(settings.allowed_hosts)
    bound = [] if settings.host in _ANY_INTERFACE else [settings.host]
    return list(dict.fromkeys([*LOOPBACK_HOSTS, *bound]))


def werkzeug_trusted_hosts(hosts: list[str]) -> list[str] | None:
    """The same names for Flask's ``TRUSTED_HOSTS`` (Starlette's ``*`` / ``*.x`` spellings
    are werkzeug's ``None`` / ``.x``)."""
    if "*" in hosts:
        return None
    return [f".{host[2:]}" if host.startswith("*.") else host for host in hosts]

"""Dependencies shared by the routes: the service, bearer auth, the fault header."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Header, Request

from genie_local.server.errors import PermissionDeniedError, UnauthenticatedError
from genie_local.server.faults import FAULT_HEADER
from genie_local.server.service import GenieService


def get_service(request: Request) -> GenieService:
    return request.app.state.service


def require_bearer(request: Request, authorization: Annotated[str | None, Header()] = None) -> None:
    """Accept any bearer token, as a workspace accepts any valid PAT; or only the set one."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise UnauthenticatedError(
            "Credential was not sent or was of an unsupported type for this API: "
            "send 'Authorization: Bearer <token>'."
        )
    required: str | None = request.app.state.required_token
    if required is not None and not secrets.compare_digest(token.strip(), required):
        raise PermissionDeniedError("Invalid access token.")


ServiceDep = Annotated[GenieService, Depends(get_service)]
FaultHeader = Annotated[str | None, Header(alias=FAULT_HEADER)]

"""Dependencies shared by the routes: the service and the fault header (auth: ``access``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from genie_local.server.faults import FAULT_HEADER
from genie_local.server.service import GenieService


def get_service(request: Request) -> GenieService:
    return request.app.state.service


ServiceDep = Annotated[GenieService, Depends(get_service)]
FaultHeader = Annotated[str | None, Header(alias=FAULT_HEADER)]

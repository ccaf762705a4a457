"""``/api/2.0/genie/spaces``: the one space this server hosts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from genie_local.server.deps import ServiceDep
from genie_local.server.payloads import page

router = APIRouter(prefix="/api/2.0/genie/spaces", tags=["spaces"])


@router.get("")
async def list_spaces(
    service: ServiceDep, page_size: int | None = None, page_token: str | None = None
) -> dict[str, Any]:
    spaces, next_token = page([service.space.as_dict()], page_size, page_token)
    body: dict[str, Any] = {"spaces": spaces}
    if next_token:
        body["next_page_token"] = next_token
    return body


@router.get("/{space_id}")
async def get_space(
    space_id: str, service: ServiceDep, include_serialized_space: bool = False
) -> dict[str, Any]:
    return service.get_space(space_id).as_dict(include_serialized_space)

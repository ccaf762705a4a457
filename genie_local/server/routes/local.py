"""The server's own endpoints, outside the Genie API: health, discovery, fault injection.

databricks-sdk probes ``/.well-known/databricks-config`` when a client is created and
logs a warning if it is missing, so the server answers it as a workspace host would.

``PUT /local/config`` lets tests of the agent and pipeline switch faults, step delays and
the rate-limit fault's Retry-After while the server runs. ``/local/*`` is the admin
router: ``access.require_admin`` guards it (a token once the server listens beyond
loopback or has one set).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from genie_local.server.deps import ServiceDep
from genie_local.server.schemas import LocalConfigBody

router = APIRouter(tags=["local"])
admin_router = APIRouter(prefix="/local", tags=["local"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/.well-known/databricks-config")
async def databricks_config(request: Request) -> dict[str, str]:
    return {"oidc_endpoint": f"{str(request.base_url).rstrip('/')}/oidc"}


@admin_router.get("/config")
async def get_config(service: ServiceDep) -> dict[str, Any]:
    return service.config.as_dict()


@admin_router.get("/stats")
async def get_stats(service: ServiceDep) -> dict[str, Any]:
    """How many questions were started and refused (429), and when the latest started
    (epoch seconds), so tests can check a limiter where Genie counts: at the start."""
    return {
        "starts": service.starts,
        "rate_limited": service.rate_limited,
        "start_times": list(service.start_times),
    }


@admin_router.put("/config")
async def put_config(body: LocalConfigBody, service: ServiceDep) -> dict[str, Any]:
    config = service.config
    sent = body.model_fields_set
    if "fault" in sent:
        config.fault = body.fault
        config.fault_count = body.fault_count if body.fault else None
    elif "fault_count" in sent:
        config.fault_count = body.fault_count
    if "step_delay_s" in sent and body.step_delay_s is not None:
        config.step_delay_s = body.step_delay_s
    if "retry_after_s" in sent and body.retry_after_s is not None:
        config.retry_after_s = body.retry_after_s
    return config.as_dict()

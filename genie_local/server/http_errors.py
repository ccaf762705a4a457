"""Every error the server sends, in Databricks' shape: ``{"error_code", "message"}``.

FastAPI's own errors (validation as 422, unknown routes as ``{"detail": …}``) would
reach databricks-sdk as unparseable failures, so they are rewritten here too: a bad body
becomes 400 INVALID_PARAMETER_VALUE naming the field, an unknown route 404
ENDPOINT_NOT_FOUND, as a Databricks workspace answers.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from genie_local.server.errors import (
    GenieError,
    InvalidParameterError,
    PermissionDeniedError,
    RateLimitedError,
    ResourceNotFoundError,
    UnauthenticatedError,
)

logger = logging.getLogger(__name__)

_STATUS: dict[type[GenieError], int] = {
    ResourceNotFoundError: 404,
    InvalidParameterError: 400,
    UnauthenticatedError: 401,
    PermissionDeniedError: 403,
    RateLimitedError: 429,
}


def error_response(status: int, error_code: str, message: str, **headers: str) -> JSONResponse:
    return JSONResponse(
        {"error_code": error_code, "message": message}, status_code=status, headers=headers
    )


def _describe_validation(error: RequestValidationError) -> str:
    """One sentence a person can act on, from pydantic's first complaint."""
    first = error.errors()[0] if error.errors() else {}
    if first.get("type") == "json_invalid":
        return "the request body is not valid JSON"
    location = [str(part) for part in first.get("loc", ()) if part != "body"]
    field = ".".join(location) or "body"
    reason = str(first.get("msg", "is invalid"))
    if first.get("type") == "missing":
        return f"'{field}' is required"
    return f"'{field}': {reason.removeprefix('Value error, ')}"


def install_error_handlers(app: FastAPI) -> None:
    """Make every failure the SDK can see a Databricks-shaped one."""

    @app.exception_handler(GenieError)
    async def _genie_error(_: Request, error: GenieError) -> JSONResponse:
        headers = {}
        if isinstance(error, RateLimitedError):
            headers["Retry-After"] = str(error.retry_after_s)
        return error_response(
            _STATUS.get(type(error), 500), error.error_code, error.message, **headers
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
        return error_response(400, InvalidParameterError.error_code, _describe_validation(error))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        if error.status_code == 404:
            message = f"No API found for '{request.method} {request.url.path}'"
            return error_response(404, "ENDPOINT_NOT_FOUND", message)
        if error.status_code == 405:
            message = f"Method {request.method} is not supported on {request.url.path}"
            return error_response(405, "BAD_REQUEST", message)
        return error_response(error.status_code, "BAD_REQUEST", str(error.detail))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        logger.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(500, "INTERNAL_ERROR", f"internal error: {type(error).__name__}")

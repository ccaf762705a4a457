"""The local Genie's failures, named the way Databricks names them.

Domain code raises these; ``http_errors`` turns each into the HTTP status and the
``{"error_code", "message"}`` body Databricks sends, so databricks-sdk raises its own
matching exception (``NotFound``, ``InvalidParameterValue``, ``ResourceExhausted``, …).
"""

from __future__ import annotations


class GenieError(Exception):
    """A request the local Genie refuses; ``error_code`` is Databricks' code for it."""

    error_code = "INTERNAL_ERROR"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ResourceNotFoundError(GenieError):
    """An unknown space, conversation, message or attachment."""

    error_code = "RESOURCE_DOES_NOT_EXIST"


class InvalidParameterError(GenieError):
    """A body or parameter the API cannot accept."""

    error_code = "INVALID_PARAMETER_VALUE"


class UnauthenticatedError(GenieError):
    """No usable bearer token on the request."""

    error_code = "UNAUTHENTICATED"


class PermissionDeniedError(GenieError):
    """A bearer token that is not the one the server requires."""

    error_code = "PERMISSION_DENIED"


class RateLimitedError(GenieError):
    """Too many new questions: Databricks answers 429 with a Retry-After header."""

    error_code = "RESOURCE_EXHAUSTED"

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s

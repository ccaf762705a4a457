"""What can go wrong talking to Genie, named so the user is told what happened.

Every failure the Genie tool meets becomes one ``GenieError`` with a short ``code`` (the
``error`` event's code), a message a person can act on, and whether trying again later
may help. databricks-sdk raises its own error classes, and wraps errors it gave up
retrying in ``TimeoutError``/``RuntimeError`` (``raise … from last_error``); both are
unwrapped here. A 429 keeps the server's ``Retry-After``: databricks-sdk parses that
header into ``retry_after_secs`` on the error it raises (errors/customizer.py; 1 s when
the header is missing or not an integer), and the Genie tool waits at least that long.
"""

from __future__ import annotations

import logging

import requests
from databricks.sdk.errors import (
    DatabricksError,
    NotFound,
    PermissionDenied,
    TooManyRequests,
    Unauthenticated,
)

from agent.stream_contract import ErrorCode

logger = logging.getLogger(__name__)


class GenieError(Exception):
    """A Genie failure, worded for the user."""

    def __init__(
        self, code: ErrorCode, message: str, retryable: bool, retry_after_s: float | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retryable = retryable
        self.retry_after_s = retry_after_s  # how long the server asked us to wait, if it did


def classify(error: BaseException, action: str) -> GenieError:
    """Name ``error`` (raised while ``action``, e.g. "asking Genie") for the user."""
    if isinstance(error, GenieError):
        return error
    cause = error.__cause__
    if isinstance(error, TimeoutError | RuntimeError) and cause is not None:
        return classify(cause, action)
    if isinstance(error, TooManyRequests):
        return GenieError(
            ErrorCode.RATE_LIMITED,
            f"Genie's rate limit was hit while {action}: {error}",
            retryable=True,
            retry_after_s=error.retry_after_secs,
        )
    if isinstance(error, Unauthenticated | PermissionDenied):
        return GenieError(
            ErrorCode.AUTH,
            f"Genie refused the credentials while {action}: {error}. Check DATABRICKS_HOST "
            "and DATABRICKS_TOKEN (or DATABRICKS_CONFIG_PROFILE) and access to the space.",
            retryable=False,
        )
    if isinstance(error, NotFound):
        return GenieError(
            ErrorCode.NOT_FOUND,
            f"Genie could not find what it was asked for while {action}: {error}. "
            "Check GENIE_SPACE_ID; a conversation or message may also have been deleted.",
            retryable=False,
        )
    if isinstance(error, requests.ConnectionError | requests.Timeout):
        return GenieError(
            ErrorCode.UNREACHABLE,
            f"Genie could not be reached while {action} ({type(error).__name__}). "
            "Is the Genie server running and the host right?",
            retryable=True,
        )
    if isinstance(error, DatabricksError):
        return GenieError(
            ErrorCode.GENIE_ERROR, f"Genie returned an error while {action}: {error}", False
        )
    logger.exception("unexpected error while %s", action, exc_info=error)
    return GenieError(
        ErrorCode.INTERNAL,
        f"Unexpected error while {action}: {type(error).__name__}: {error}",
        retryable=False,
    )

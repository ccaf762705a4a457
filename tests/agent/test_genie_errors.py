"""SDK failures are named for the user, including those the SDK wraps after retrying."""

from __future__ import annotations

import requests
from databricks.sdk.errors import NotFound, PermissionDenied, ResourceExhausted, Unauthenticated

from agent.genie_errors import classify


def _wrapped(error: Exception) -> TimeoutError:
    try:
        raise TimeoutError("Timed out after 0:00:01") from error
    except TimeoutError as wrapped:
        return wrapped


def test_rate_limit_direct_or_wrapped_by_the_sdk_is_retryable() -> None:
    for error in (ResourceExhausted("slow down"), _wrapped(ResourceExhausted("slow down"))):
        named = classify(error, "asking Genie")
        assert (named.code, named.retryable) == ("rate_limited", True)


def test_auth_errors_say_which_settings_to_check() -> None:
    for error in (Unauthenticated("bad token"), PermissionDenied("no access")):
        named = classify(error, "asking Genie")
        assert named.code == "auth" and not named.retryable
        assert "DATABRICKS_TOKEN" in named.message


def test_unreachable_genie_is_named_not_traced() -> None:
    named = classify(_wrapped(requests.ConnectionError("refused")), "asking Genie")
    assert (named.code, named.retryable) == ("unreachable", True)
    assert "Traceback" not in named.message


def test_unknown_space_and_unexpected_errors() -> None:
    assert classify(NotFound("no space"), "x").code == "not_found"
    named = classify(KeyError("boom"), "reading the answer")
    assert named.code == "internal" and "reading the answer" in named.message

"""Genie and the agent endpoint failing: bounded retries, then a clear error and done failed.

Faults come from the local Genie's runtime config (``PUT /local/config``): ``rate_limit``
answers every new question 429, ``fail`` ends it FAILED, ``stall`` never finishes it.
"""

from __future__ import annotations

import pytest

from harness.processes import free_port
from harness.questions import post_question
from tests.reliability.conftest import Cluster
from tests.reliability.streams import Followed, assert_complete, follow

#: the agent's own bounded retries (429 back-off, Genie deadline), kept short
GENIE_LIMITS = {
    "GENIE_RATE_LIMIT_RETRIES": "2",
    "GENIE_RATE_LIMIT_BACKOFF_S": "0.1",
    "GENIE_TIMEOUT_S": "3",
    "MAX_TRIES": "2",
    "AGENT_RETRY_DEFER_S": "0.2",
}


async def ask_and_follow(cluster: Cluster) -> Followed:
    accepted = await post_question(cluster.api_url, "Which parts are low on stock?")
    followed = await follow(accepted["events_url"], Followed(), deadline_s=120)
    assert_complete(followed)
    return followed


def error_of(followed: Followed) -> dict:
    errors = [chunk for chunk in followed.chunks if chunk["type"] == "error"]
    assert len(errors) == 1, followed.chunks
    return errors[0]


@pytest.mark.parametrize(
    ("fault", "code", "words"),
    [
        ("rate_limit", "rate_limited", "rate limit"),
        ("fail", None, ""),
        ("stall", None, ""),
    ],
)
async def test_a_genie_fault_ends_in_a_clear_error(
    cluster: Cluster, fault: str, code: str | None, words: str
) -> None:
    cluster.start_redis()
    cluster.start_genie()
    cluster.start_api()
    # the agent waits at least each 429's Retry-After (1 s): room for both back-offs
    deadline = {"GENIE_TIMEOUT_S": "8"} if fault == "rate_limit" else {}
    cluster.start_worker(**{**GENIE_LIMITS, **deadline})
    cluster.genie_config(fault=fault)

    followed = await ask_and_follow(cluster)

    assert followed.done["status"] == "failed"
    error = error_of(followed)
    assert error["message"] and "Traceback" not in error["message"]
    if code:
        assert error["code"] == code
        assert words in error["message"].lower()
    stats = cluster.genie_stats()
    if fault == "rate_limit":  # the first try and two back-offs, then it stops asking
        assert (stats["starts"], stats["rate_limited"]) == (0, 3), stats
    else:
        assert stats["starts"] == 1, stats  # Genie's own failure is not asked again
    print(f"{fault}: {error['code']}: {error['message']}")


@pytest.mark.parametrize("agent", ["down", "slow"])
async def test_an_agent_endpoint_down_or_too_slow_is_retried_then_fails(
    cluster: Cluster, agent: str
) -> None:
    cluster.start_redis()
    cluster.start_genie()
    cluster.start_api()
    if agent == "down":
        url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    else:
        url = cluster.start_agent().url
        cluster.genie_config(step_delay_s=3.0)  # longer than the worker waits between events
    cluster.start_worker(AGENT_URL=url, AGENT_READ_TIMEOUT_S="1", **GENIE_LIMITS)

    followed = await ask_and_follow(cluster)

    assert followed.statuses().count("retrying") == 1  # MAX_TRIES=2: one retry
    assert followed.done["status"] == "failed"
    error = error_of(followed)
    assert error["code"] == "agent_unavailable" and error["retryable"] is True
    print(f"agent {agent}: {error['message']}")

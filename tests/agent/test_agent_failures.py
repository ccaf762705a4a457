"""Every way Genie fails ends in one error event and one failed answer, in seconds.

The faults are the real local Genie server's (``PUT /local/config``); the agent is the
real serve-agent process, read through the openai client. Wrong credentials and an
unreachable Genie need a differently configured agent, so those two drive the agent
in-process (the same class the server serves) instead of starting two more servers; a
cancelled question is checked both ways. Retry-After is checked by what the user is
told and by how many questions the server saw (GET /local/stats), not by the clock.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from openai import OpenAI

from agent.genie_agent import InventoryGenieAgent
from agent.settings import AgentSettings
from agent.stream_contract import ErrorCode, Kind, read_event
from harness.agent_stream import AgentRun, stream_answer
from harness.processes import Server, free_port
from tests.agent.conftest import GENIE_TIMEOUT_S, GENIE_TOKEN, RETRY_AFTER_S

QUESTION = "Which parts are below reorder point?"
CANCELLED_LIFECYCLE = ["SUBMITTED", "FETCHING_METADATA", "ASKING_AI", "CANCELLED"]
LOCAL = {"databricks_host": None, "databricks_config_profile": None, "local_genie_base_url": None}


def _failed_with(run: AgentRun, code: str) -> dict:
    [error] = run.of(Kind.ERROR)
    assert error["code"] == code, error
    assert error["message"] and "Traceback" not in error["message"]
    kinds = [kind for kind, _ in run.events]
    assert kinds[-1] == Kind.ANSWER and kinds.count(Kind.ANSWER) == 1
    assert run.answer["status"] == "failed"
    assert error["message"] in run.answer["text"]
    return error


def test_genie_failed_shows_genie_message(own_client: OpenAI, genie_config: Callable) -> None:
    genie_config(fault="fail", fault_count=1)
    run = stream_answer(own_client, QUESTION)
    error = _failed_with(run, "genie_failed")
    assert "fault injection: fail" in error["message"]
    assert "failed" in run.statuses and run.answer["conversation_id"]


def _cancelled(run: AgentRun) -> None:
    """What a user sees when someone cancels the question in Genie: said, not hung."""
    error = _failed_with(run, "cancelled")
    assert error["retryable"] is True
    assert "cancelled" in run.answer["text"].lower()
    genie_states = [s["genie_status"] for s in run.of(Kind.STATUS) if s["genie_status"]]
    # Polls may miss a short state, but never see them out of order.
    assert genie_states == [s for s in CANCELLED_LIFECYCLE if s in genie_states]
    assert genie_states[-1] == "CANCELLED" and run.statuses[-1] == "cancelled"
    assert run.answer["conversation_id"] and not run.of(Kind.SQL)


def test_cancelled_in_genie_is_said_through_serve_agent(
    own_client: OpenAI, genie_config: Callable
) -> None:
    genie_config(fault="cancel", fault_count=1, step_delay_s=0.1)
    _cancelled(stream_answer(own_client, QUESTION))


def test_stalled_genie_times_out(own_client: OpenAI, genie_config: Callable) -> None:
    genie_config(fault="stall", fault_count=1)
    run = stream_answer(own_client, QUESTION)
    error = _failed_with(run, "timeout")
    assert error["retryable"] is True
    assert "generating_sql" in run.statuses


def test_expired_result_is_re_executed_and_answered(
    own_client: OpenAI, genie_config: Callable
) -> None:
    genie_config(fault="expire", fault_count=1)
    run = stream_answer(own_client, QUESTION)
    assert not run.of(Kind.ERROR)
    assert any(s["genie_status"] == "QUERY_RESULT_EXPIRED" for s in run.of(Kind.STATUS))
    [table] = run.of(Kind.TABLE)
    assert run.answer["status"] == "completed" and table["rows"]


def test_rate_limit_is_retried_with_a_retrying_status(
    own_client: OpenAI, genie_config: Callable
) -> None:
    genie_config(fault="rate_limit", fault_count=1)
    run = stream_answer(own_client, QUESTION)
    assert run.statuses.count("retrying") == 1
    [retrying] = [s for s in run.of(Kind.STATUS) if s["status"] == "retrying"]
    assert retrying["code"] == ErrorCode.RATE_LIMITED  # what metrics count, not the wording
    assert run.answer["status"] == "completed"


def test_rate_limit_waits_at_least_retry_after(
    own_client: OpenAI, genie_config: Callable, genie_stats: Callable
) -> None:
    before = genie_stats()
    genie_config(fault="rate_limit", fault_count=1, retry_after_s=RETRY_AFTER_S)
    run = stream_answer(own_client, QUESTION)
    [retrying] = [s["message"] for s in run.of(Kind.STATUS) if s["status"] == "retrying"]
    # The agent's own back-off here is 0.05 s; the server's Retry-After sets the floor.
    assert f"Genie asked to wait {RETRY_AFTER_S} s" in retrying, retrying
    wait = float(re.search(r"retrying in ([\d.]+) s", retrying).group(1))
    assert RETRY_AFTER_S <= wait <= RETRY_AFTER_S * 1.2 + 0.05, retrying
    assert run.answer["status"] == "completed" and not run.of(Kind.ERROR)
    after = genie_stats()
    assert after["rate_limited"] - before["rate_limited"] == 1
    assert after["starts"] - before["starts"] == 1


def test_retry_after_past_the_deadline_gives_up_at_once(
    own_client: OpenAI, genie_config: Callable, genie_stats: Callable
) -> None:
    before = genie_stats()
    genie_config(fault="rate_limit", fault_count=1, retry_after_s=GENIE_TIMEOUT_S + 10)
    run = stream_answer(own_client, QUESTION)
    error = _failed_with(run, "rate_limited")
    assert f"asked to wait {GENIE_TIMEOUT_S + 10} s" in error["message"]
    assert "retrying" not in run.statuses
    after = genie_stats()
    assert after["rate_limited"] - before["rate_limited"] == 1
    assert after["starts"] == before["starts"]


def test_rate_limit_that_persists_gives_up_after_the_bounded_retries(
    own_client: OpenAI, genie_config: Callable
) -> None:
    genie_config(fault="rate_limit", fault_count=None)
    run = stream_answer(own_client, QUESTION)
    error = _failed_with(run, "rate_limited")
    assert error["retryable"] is True
    assert run.statuses.count("retrying") == 2  # GENIE_RATE_LIMIT_RETRIES in conftest


def _in_process(settings: AgentSettings) -> AgentRun:
    agent = InventoryGenieAgent(settings)
    request = {"input": [{"role": "user", "content": QUESTION}]}
    run = AgentRun()
    for raw in agent.predict_stream(request):
        if (event := read_event(raw.model_dump())) is not None:
            run.events.append(event)
    return run


def test_cancelled_in_genie_is_said_in_process(own_genie: Server, genie_config: Callable) -> None:
    genie_config(fault="cancel", fault_count=1, step_delay_s=0.1)
    settings = AgentSettings(genie_port=own_genie.port, local_genie_token=GENIE_TOKEN, **LOCAL)
    _cancelled(_in_process(settings))


def test_wrong_token_is_an_auth_error(own_genie: Server) -> None:
    settings = AgentSettings(genie_port=own_genie.port, local_genie_token="wrong", **LOCAL)
    error = _failed_with(_in_process(settings), "auth")
    assert error["retryable"] is False


def test_unreachable_genie_is_retried_then_named(own_genie: Server) -> None:
    settings = AgentSettings(
        genie_port=free_port(),
        local_genie_token=GENIE_TOKEN,
        **LOCAL,
        genie_rate_limit_retries=1,
        genie_rate_limit_backoff_s=0.05,
    )
    run = _in_process(settings)
    error = _failed_with(run, "unreachable")
    assert error["retryable"] is True and run.statuses.count("retrying") == 1

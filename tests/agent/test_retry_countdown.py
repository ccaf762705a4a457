"""A rate-limit back-off counts down: the same ``retrying`` status, each second, with
what is left, through the real serve-agent and the local Genie's 429 with Retry-After."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from openai import OpenAI

from agent.stream_contract import Kind
from harness.agent_stream import stream_answer

RETRY_AFTER_S = 3  # under the own agent's 5 s limit, even stretched by the jitter


def test_a_long_back_off_says_what_is_left_each_second(
    own_client: OpenAI, genie_config: Callable
) -> None:
    genie_config(fault="rate_limit", fault_count=1, retry_after_s=RETRY_AFTER_S)
    run = stream_answer(own_client, "Which parts are below reorder point?")
    said = [s["message"] for s in run.of(Kind.STATUS) if s["status"] == "retrying"]
    left = [float(re.search(r"retrying in ([\d.]+) s", text).group(1)) for text in said]
    assert len(said) == RETRY_AFTER_S and all("(retry 1 of 2)" in text for text in said), said
    assert [round(a - b, 1) for a, b in itertools.pairwise(left)] == [1.0, 1.0], left
    assert run.answer["status"] == "completed" and not run.of(Kind.ERROR)

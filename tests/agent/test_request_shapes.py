"""The bodies the agent server reads besides MLflow's own shape."""

from __future__ import annotations

import pytest

from agent.request_shapes import RequestShapeError, normalize_request


def test_a_string_input_is_one_user_message() -> None:
    body = normalize_request({"input": "Which parts are low?", "model": "m"})
    assert body == {"input": [{"role": "user", "content": "Which parts are low?"}], "model": "m"}


def test_chat_messages_become_the_input() -> None:
    messages = [{"role": "system", "content": "be brief"}, {"role": "user", "content": "hi"}]
    assert normalize_request({"messages": messages}) == {"input": messages}


def test_input_items_pass_unchanged() -> None:
    body = {"input": [{"role": "user", "content": "hi"}], "custom_inputs": {"a": 1}}
    assert normalize_request(body) == body


def test_no_question_says_what_to_send() -> None:
    with pytest.raises(RequestShapeError, match=r'send \{"input"'):
        normalize_request({"stream": True})

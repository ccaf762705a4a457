"""Parsing a websocket's query string (pure functions, no server)."""

from __future__ import annotations

import pytest

from services.api.subscriptions import (
    MAX_QUESTIONS_PER_STREAM,
    BadSubscription,
    parse_after_seq,
    parse_batch_ms,
    parse_question_list,
)


def test_question_list_with_and_without_seq():
    assert parse_question_list("q_a:4, q_b ,q_c:-1,") == {"q_a": 4, "q_b": -1, "q_c": -1}
    assert parse_question_list(None) == {}
    assert parse_question_list("") == {}


@pytest.mark.parametrize("value", ["q a:1", "q_a:x", "q_a:-2", ":3", "q/../x", "a" * 101])
def test_bad_question_lists(value: str):
    with pytest.raises(BadSubscription):
        parse_question_list(value)


def test_too_many_questions():
    many = ",".join(f"q_{i}" for i in range(MAX_QUESTIONS_PER_STREAM + 1))
    with pytest.raises(BadSubscription, match="at most"):
        parse_question_list(many)


def test_after_seq_and_batch_ms():
    assert parse_after_seq(None) == -1 and parse_after_seq("7") == 7
    assert parse_batch_ms(None, default=25) == 25 and parse_batch_ms("0", default=25) == 0
    for bad in ("-1", "1.5", "99999"):
        with pytest.raises(BadSubscription):
            parse_batch_ms(bad, default=25)


def test_reasons_fit_a_websocket_close_frame():
    """The protocol caps a close reason at 123 bytes."""
    for call in (
        lambda: parse_question_list("é" * 100),
        lambda: parse_after_seq("9" * 500 + "x"),
        lambda: parse_batch_ms("x" * 500, default=0),
    ):
        with pytest.raises(BadSubscription) as error:
            call()
        assert len(str(error.value).encode()) <= 123

"""Tool calls are put together from the deltas servers stream, whatever their habits."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from agent.llm.completion import ToolCall, _add_piece
from agent.llm.errors import LLMError


def _piece(index=None, id=None, name=None, arguments=None):
    function = SimpleNamespace(name=name, arguments=arguments)
    return SimpleNamespace(index=index, id=id, function=function)


def _assemble(*pieces) -> list[ToolCall]:
    calls: dict[int, ToolCall] = {}
    for piece in pieces:
        _add_piece(calls, piece)
    return [calls[i] for i in sorted(calls)]


def test_openai_style_deltas_by_index() -> None:
    calls = _assemble(
        _piece(0, "call_a", "query_genie_space", ""),
        _piece(1, "call_b", "query_genie_space", '{"question": "b"}'),
        _piece(0, None, None, '{"question"'),
        _piece(0, None, None, ': "a"}'),
    )
    assert [(c.id, c.arguments) for c in calls] == [
        ("call_a", '{"question": "a"}'),
        ("call_b", '{"question": "b"}'),
    ]


def test_repeated_names_no_index_and_no_id() -> None:
    [call] = _assemble(
        _piece(None, None, "query_genie_space", '{"question":'),
        _piece(None, None, None, ' "x"}'),
    )
    assert call.name == "query_genie_space" and call.arguments == '{"question": "x"}'
    assert call.id.startswith("call_")
    [same] = _assemble(_piece(0, "c", "t", '{"a":'), _piece(0, "c", "t", " 1}"))
    assert same.arguments == '{"a": 1}'


def test_a_call_with_no_name_is_an_error() -> None:
    with pytest.raises(LLMError, match="no name"):
        _assemble(_piece(0, "call_a", None, "{}"))

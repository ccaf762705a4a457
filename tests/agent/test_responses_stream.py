"""The Responses envelope around the agent's contract events (no server needed)."""

from __future__ import annotations

from agent.responses_stream import ResponseEnvelope
from agent.stream_events import answer_event, status_event, text_delta_event, tool_result_event


def test_the_lifecycle_around_items_and_streamed_text() -> None:
    envelope = ResponseEnvelope(model="m")
    events = list(
        envelope.wrap(
            [
                status_event("s1", "executing", "⚡ Executing query…"),
                tool_result_event("call_1", {"conversation_id": "c"}, conversation_id="c"),
                text_delta_event("a1", "Eight "),
                text_delta_event("a1", "warehouses."),
                answer_event("a1", "Eight warehouses.", conversation_id="c"),
            ]
        )
    )
    types = [event["type"] for event in events]
    assert types == [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.output_item.done",
        "response.output_item.added",
        "response.output_item.done",
        "response.output_item.added",
        "response.content_part.added",
        "response.output_text.delta",
        "response.output_text.delta",
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.completed",
    ]
    assert [event["sequence_number"] for event in events] == list(range(len(events)))
    indexes = [e["output_index"] for e in events if e["type"].startswith("response.output_")]
    assert indexes == [0, 0, 1, 1, 2, 2, 2, 2, 2]
    completed = events[-1]
    assert completed["response"]["id"] == envelope.id and completed["response"]["model"] == "m"
    assert [item["type"] for item in completed["response"]["output"]] == [
        "reasoning",
        "function_call_output",
        "message",
    ]
    assert completed["custom_outputs"]["text"] == "Eight warehouses."
    text_done = next(e for e in events if e["type"] == "response.output_text.done")
    assert text_done["text"] == "Eight warehouses."

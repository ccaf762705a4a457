"""The Responses envelope: turn the agent's contract events into a stream strict clients accept.

The agent's modes yield only finished items (``response.output_item.done``) and text
deltas. openai's ``client.responses.stream()`` (and anything built like it) wants the
whole lifecycle: ``response.created`` first, each item announced by
``response.output_item.added`` at its ``output_index`` before its content, a text's
``content_part`` opened and closed around its deltas, a ``sequence_number`` on every
event, and ``response.completed`` last with the finished response. This module adds
exactly that around any run, so both modes and every transport (AgentServer, Model
Serving, ``predict_stream`` in process) carry the same events.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from agent.stream_contract import ITEM_DONE, KIND_KEY, TEXT_DELTA, Kind
from agent.stream_events import new_id

CREATED = "response.created"
IN_PROGRESS = "response.in_progress"
COMPLETED = "response.completed"
ITEM_ADDED = "response.output_item.added"
PART_ADDED = "response.content_part.added"
PART_DONE = "response.content_part.done"
TEXT_DONE = "response.output_text.done"


def _identity(item: dict[str, Any]) -> str:
    """An item's key within one response (a function_call_output has only its call id)."""
    return item.get("id") or f"{item.get('type')}:{item.get('call_id')}"


def _text_part(text: str) -> dict[str, Any]:
    return {"type": "output_text", "text": text, "annotations": []}


@dataclass
class _OpenText:
    """A message whose text is streaming: its place and what has arrived so far."""

    output_index: int
    text: str = ""


@dataclass
class ResponseEnvelope:
    """One response's lifecycle around a run of contract events."""

    model: str
    id: str = field(default_factory=lambda: new_id("resp"))
    created_at: float = field(default_factory=time.time)
    output: list[dict[str, Any]] = field(default_factory=list)
    custom_outputs: dict[str, Any] | None = None
    _sequence: int = 0
    _next_index: int = 0
    _open: dict[str, _OpenText] = field(default_factory=dict)

    def wrap(self, events: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """``events`` with the lifecycle added; the last event is ``response.completed``."""
        yield self._numbered({"type": CREATED, "response": self._response("in_progress")})
        yield self._numbered({"type": IN_PROGRESS, "response": self._response("in_progress")})
        for event in events:
            if event.get("type") == TEXT_DELTA:
                yield from self._delta(event)
            elif event.get("type") == ITEM_DONE:
                yield from self._item_done(event)
            else:
                yield self._numbered(event)
        completed = {"type": COMPLETED, "response": self._response("completed")}
        if self.custom_outputs is not None:
            completed["custom_outputs"] = self.custom_outputs
        yield self._numbered(completed)

    def _delta(self, event: dict[str, Any]) -> Iterator[dict[str, Any]]:
        item_id = event["item_id"]
        text = self._open.get(item_id)
        if text is None:
            text = self._open[item_id] = _OpenText(self._take_index())
            message = {
                "type": "message",
                "id": item_id,
                "role": "assistant",
                "status": "in_progress",
                "content": [],
            }
            yield self._added(message, text.output_index)
            yield self._part(PART_ADDED, item_id, text.output_index, _text_part(""))
        text.text += event.get("delta", "")
        yield self._numbered(
            {**event, "output_index": text.output_index, "content_index": 0, "logprobs": []}
        )

    def _item_done(self, event: dict[str, Any]) -> Iterator[dict[str, Any]]:
        item = event["item"]
        text = self._open.pop(_identity(item), None)
        if text is None:
            index = self._take_index()
            yield self._added(item, index)
        else:
            index = text.output_index
            final = "".join(part.get("text", "") for part in item.get("content", []))
            yield self._numbered(
                {
                    "type": TEXT_DONE,
                    "item_id": item["id"],
                    "output_index": index,
                    "content_index": 0,
                    "text": final,
                    "logprobs": [],
                }
            )
            yield self._part(PART_DONE, item["id"], index, _text_part(final))
        self.output.append(item)
        outputs = event.get("custom_outputs") or {}
        if outputs.get(KIND_KEY) == Kind.ANSWER:  # the response's outputs are its answer's
            self.custom_outputs = {k: v for k, v in outputs.items() if k != KIND_KEY}
        yield self._numbered({**event, "output_index": index})

    def _added(self, item: dict[str, Any], index: int) -> dict[str, Any]:
        return self._numbered({"type": ITEM_ADDED, "item": item, "output_index": index})

    def _part(self, kind: str, item_id: str, index: int, part: dict[str, Any]) -> dict[str, Any]:
        return self._numbered(
            {
                "type": kind,
                "item_id": item_id,
                "output_index": index,
                "content_index": 0,
                "part": part,
            }
        )

    def _take_index(self) -> int:
        self._next_index += 1
        return self._next_index - 1

    def _numbered(self, event: dict[str, Any]) -> dict[str, Any]:
        event["sequence_number"] = self._sequence
        self._sequence += 1
        return event

    def _response(self, status: str) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "response",
            "created_at": self.created_at,
            "model": self.model,
            "status": status,
            "output": list(self.output) if status == "completed" else [],
        }

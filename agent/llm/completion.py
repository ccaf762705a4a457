"""One streamed chat completion: the text as it arrives, and the tool calls it asks for.

Chat-completions servers stream a tool call in pieces: the first delta of each call
(by ``index``) carries its id and name, later ones append to its JSON arguments. Servers
differ in the details, so a piece with no ``index`` continues the call before it (or
starts one when it names a tool), a call with no id gets one, and a name or id repeated
in later pieces is not appended twice. Text
deltas are passed on at once (the user reads the answer as it is written); the tool
calls are whole only when the stream ends. A server that ignores ``stream=True`` and
answers with the whole completion as JSON is read as one piece.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

import openai
from openai.types.chat import ChatCompletion

from agent.llm.client import ChatModel
from agent.llm.errors import LLMError, from_openai
from agent.stream_contract import ErrorCode
from agent.stream_events import text_delta_event


@dataclass
class ToolCall:
    id: str
    name: str
    arguments: str = ""

    def message(self) -> dict[str, Any]:
        """As an assistant message's ``tool_calls`` entry."""
        return {
            "id": self.id,
            "type": "function",
            "function": {"name": self.name, "arguments": self.arguments},
        }


@dataclass
class Completion:
    text: str = ""
    tool_calls: list[ToolCall] = field(default_factory=list)

    def message(self) -> dict[str, Any]:
        """As the assistant message the next request repeats."""
        message: dict[str, Any] = {"role": "assistant", "content": self.text or None}
        if self.tool_calls:
            message["tool_calls"] = [call.message() for call in self.tool_calls]
        return message


def stream_completion(
    model: ChatModel,
    messages: list[dict[str, Any]],
    tools: list[dict[str, Any]],
    allow_tools: bool,
    timeout_s: float,
    text_item_id: str,
) -> Generator[dict[str, Any], None, Completion]:
    """Ask the model; yield its text as text-delta events; return the whole completion.

    With ``allow_tools`` False the tools are still declared (the history holds calls of
    them) but ``tool_choice`` is "none": the model must answer now.
    """
    calls: dict[int, ToolCall] = {}
    text: list[str] = []
    try:
        with model.client.chat.completions.with_streaming_response.create(
            model=model.model,
            messages=messages,
            tools=tools,
            tool_choice="auto" if allow_tools else "none",
            stream=True,
            timeout=timeout_s,
        ) as response:
            if _is_json(response.headers.get("content-type")):
                whole = _whole(ChatCompletion.model_validate(response.json()))
                if whole.text:
                    yield text_delta_event(text_item_id, whole.text)
                return whole
            for chunk in response.parse():
                for choice in chunk.choices:
                    delta = choice.delta
                    if delta.content:
                        text.append(delta.content)
                        yield text_delta_event(text_item_id, delta.content)
                    for piece in delta.tool_calls or []:
                        _add_piece(calls, piece)
    except openai.OpenAIError as error:
        raise from_openai(error, model.where) from error
    return Completion("".join(text), [calls[index] for index in sorted(calls)])


def _is_json(content_type: str | None) -> bool:
    """A server that ignored ``stream=True`` and sent the whole completion as JSON."""
    return (content_type or "").split(";")[0].strip().endswith("json")


def _whole(completion: ChatCompletion) -> Completion:
    message = completion.choices[0].message if completion.choices else None
    if message is None:
        return Completion()
    calls = [
        ToolCall(call.id or f"call_{uuid4().hex[:16]}", call.function.name, call.function.arguments)
        for call in message.tool_calls or []
        if call.type == "function"
    ]
    return Completion(message.content or "", calls)


def _add_piece(calls: dict[int, ToolCall], piece: Any) -> None:
    function = piece.function
    name = function.name if function else None
    index = getattr(piece, "index", None)
    if not isinstance(index, int):
        starts = name and (not calls or calls[max(calls)].arguments)
        index = len(calls) if starts or not calls else max(calls)
    call = calls.get(index)
    if call is None:
        if not name:
            message = "The language model streamed a tool call with no name."
            raise LLMError(ErrorCode.LLM_ERROR, message, False)
        call = calls[index] = ToolCall(piece.id or f"call_{uuid4().hex[:16]}", name)
    if function and function.arguments:
        call.arguments += function.arguments

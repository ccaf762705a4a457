"""The language model's turn: system message, history and tools, in a bounded loop.

One turn: the model reads the system message and the conversation so far and either
answers or asks for tools. Each tool call is emitted as a standard Responses
``function_call`` item, the tool runs (its progress streaming to the client as status,
SQL and table events) and its result is emitted as a ``function_call_output`` item and
handed back to the model as a ``tool`` message; then the model is asked again. Its
final words stream as text deltas and end in the contract's one ``answer`` item.

Bounded twice: at most ``agent_max_tool_calls`` calls per turn (calls past it are not
run, and the model is then asked with ``tool_choice="none"``; one that calls a tool
anyway ends the turn), and one deadline, ``agent_deadline_s``, for the whole turn —
every model request and tool gets only what is left of it. A tool's failure and a call
of an unknown tool are results the model reads and can recover from; the model itself
failing (down, refusing, too slow) ends the turn with an ``error`` item and a failed
answer, as a Genie failure does on the direct route.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Generator, Iterator
from typing import Any

from databricks.sdk import WorkspaceClient
from mlflow.types.responses import create_text_output_item

from agent.llm.chat_history import chat_messages
from agent.llm.client import ChatModel, chat_model
from agent.llm.completion import ToolCall, stream_completion
from agent.llm.errors import LLMError
from agent.llm.system_message import system_message
from agent.settings import AgentSettings
from agent.stream_contract import ITEM_DONE, ErrorCode, Status
from agent.stream_events import (
    answer_event,
    error_event,
    new_id,
    status_event,
    tool_call_event,
    tool_result_event,
)
from agent.tools.registry import TOOLS, tool_specs
from agent.tools.tool import Tool, ToolContext, ToolResult, failed_result
from agent.tracing import StepSpans

logger = logging.getLogger(__name__)

WRITING = "✍️ Writing the answer…"  # the summarizing status, while the model writes


class ToolLoop:
    """The agent's language model, its client made on first use and shared by requests."""

    def __init__(self, settings: AgentSettings, workspace: Callable[[], WorkspaceClient]) -> None:
        self._settings = settings
        self._workspace = workspace
        self._model: ChatModel | None = None
        self._lock = threading.Lock()

    def _chat_model(self) -> ChatModel:
        with self._lock:
            if self._model is None:
                try:
                    self._model = chat_model(self._settings)
                except ValueError as error:  # databricks-sdk: no usable auth configured
                    message = f"The language model is not reachable: {error}"
                    raise LLMError(ErrorCode.AUTH, message, False) from error
            return self._model

    def run(
        self, items: list[Any], conversation_id: str | None, resumed_message_id: str | None = None
    ) -> Iterator[dict[str, Any]]:
        """One turn over the request's ``items``, continuing Genie ``conversation_id``.

        The conversation is the one the request names (agent/history.py: custom_inputs,
        the history's last ``query_genie_space`` result, or the context).
        ``resumed_message_id``: the Genie message a retried request's first try started;
        the turn's first Genie call polls it instead of asking again.
        """
        deadline = time.monotonic() + self._settings.agent_deadline_s
        context = ToolContext(
            self._settings, self._workspace, deadline, conversation_id, resumed_message_id
        )
        return _Turn(self._chat_model, context, chat_messages(items)).run()


class _Turn:
    """One request's turn: the messages so far, the calls made, the answer's id."""

    def __init__(
        self, model: Callable[[], ChatModel], context: ToolContext, history: list[dict]
    ) -> None:
        self._model = model
        self._context = context
        self._settings = context.settings
        self._messages = [{"role": "system", "content": system_message()}, *history]
        self._calls = 0
        self._last_output: dict[str, Any] = {}
        self._answer_id = new_id("answer")
        self._spans = StepSpans()  # one span per model request and per tool call, if tracing

    def _ids(self) -> dict[str, Any]:
        return {"conversation_id": self._context.genie_conversation_id}

    def run(self) -> Iterator[dict[str, Any]]:
        try:
            yield from self._converse()
        except LLMError as error:
            yield from self._fail(error)
        except Exception as error:  # anything else still ends the turn with an answer
            logger.exception("the tool loop failed")
            message = f"Unexpected error: {type(error).__name__}: {error}"
            yield from self._fail(LLMError(ErrorCode.INTERNAL, message, False))
        finally:
            self._spans.end()

    def _converse(self) -> Generator[dict[str, Any]]:
        model = self._model()
        limit = self._settings.agent_max_tool_calls
        while True:
            remaining = self._context.remaining_s()
            if remaining <= 0:
                raise LLMError(
                    ErrorCode.TIMEOUT,
                    f"No answer within the turn's {self._settings.agent_deadline_s:g} s limit.",
                    True,
                )
            allow_tools = self._calls < limit
            self._spans.begin("llm.chat", {"messages": self._messages, "tools": allow_tools})
            completion = yield from stream_completion(
                model, self._messages, tool_specs(), allow_tools, remaining, self._answer_id
            )
            self._spans.end(completion.message())
            if not completion.tool_calls:
                yield from self._answer(completion.text)
                return
            if not allow_tools:
                raise LLMError(
                    ErrorCode.TOOL_LIMIT,
                    f"The language model kept calling tools after its {limit} calls this turn.",
                    False,
                )
            if completion.text:  # words before the calls: a finished message of their own
                item = create_text_output_item(completion.text, self._answer_id)
                yield {"type": ITEM_DONE, "item": item}
                self._answer_id = new_id("answer")
            self._messages.append(completion.message())
            for call in completion.tool_calls:
                yield from self._call(call)
            yield status_event(new_id("status"), Status.SUMMARIZING, WRITING, **self._ids())

    # --- tools --------------------------------------------------------------------

    def _call(self, call: ToolCall) -> Generator[dict[str, Any]]:
        yield tool_call_event(new_id("fc"), call.id, call.name, call.arguments)
        self._calls += 1
        self._spans.begin(f"tool.{call.name}", {"arguments": call.arguments})
        result = yield from self._result(call)
        self._spans.end(result.output)
        self._last_output = result.output
        yield tool_result_event(
            call.id,
            result.output,
            **self._ids(),
            message_id=result.output.get("message_id"),
            status=result.output.get("status"),
        )
        content = json.dumps(result.output, default=str)
        self._messages.append({"role": "tool", "tool_call_id": call.id, "content": content})

    def _result(self, call: ToolCall) -> Generator[dict[str, Any], None, ToolResult]:
        limit = self._settings.agent_max_tool_calls
        tool = TOOLS.get(call.name)
        if tool is None:
            names = ", ".join(TOOLS)
            message = f"There is no tool {call.name!r}; the tools are: {names}."
            return failed_result(ErrorCode.UNKNOWN_TOOL, message)
        if self._calls > limit:
            message = f"Not run: at most {limit} tool calls a turn. Answer with what you have."
            return failed_result(ErrorCode.TOOL_LIMIT, message)
        try:
            arguments = json.loads(call.arguments or "{}")
        except ValueError:
            arguments = None
        if not isinstance(arguments, dict):
            message = f"The arguments are not a JSON object: {call.arguments!r}"
            return failed_result(ErrorCode.BAD_REQUEST, message)
        return (yield from self._run_tool(tool, arguments))

    def _run_tool(
        self, tool: Tool, arguments: dict[str, Any]
    ) -> Generator[dict[str, Any], None, ToolResult]:
        try:
            for item in tool.run(arguments, self._context):
                if isinstance(item, ToolResult):
                    return item
                yield item
        except Exception as error:  # a tool's bug is told to the model, not raised through
            logger.exception("tool %s failed", tool.name)
            message = f"{tool.name} failed: {type(error).__name__}: {error}"
            return failed_result(ErrorCode.INTERNAL, message)
        return failed_result(ErrorCode.INTERNAL, f"{tool.name} returned no result.")

    # --- the end ------------------------------------------------------------------

    def _answer_payload(self) -> dict[str, Any]:
        return {**self._ids(), "message_id": self._last_output.get("message_id")}

    def _answer(self, text: str) -> Iterator[dict[str, Any]]:
        if not text.strip():
            message = "The language model returned an empty answer."
            raise LLMError(ErrorCode.LLM_ERROR, message, True)
        yield answer_event(
            self._answer_id,
            text,
            suggested_questions=self._last_output.get("suggested_questions") or [],
            **self._answer_payload(),
        )

    def _fail(self, error: LLMError) -> Iterator[dict[str, Any]]:
        logger.warning("turn failed (%s): %s", error.code, error.message)
        yield error_event(
            new_id("error"), error.code, error.message, error.retryable, **self._ids()
        )
        yield answer_event(
            self._answer_id,
            f"Sorry, I could not answer that. {error.message}",
            status=Status.FAILED,
            suggested_questions=[],
            **self._answer_payload(),
        )

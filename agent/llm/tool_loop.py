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
from uuid import uuid4

from databricks.sdk import WorkspaceClient
from mlflow.types.responses import (
    create_function_call_item,
    create_function_call_output_item,
    create_text_output_item,
)

from agent import stream_contract as contract
from agent.genie_status import STARTING
from agent.llm.client import ChatModel, chat_model
from agent.llm.completion import ToolCall, stream_completion
from agent.llm.errors import AUTH, LLM_ERROR, TIMEOUT, TOOL_LIMIT, LLMError
from agent.llm.history import chat_messages, genie_conversation_id
from agent.llm.system_message import system_message
from agent.tools.registry import TOOLS, tool_specs
from agent.tools.tool import Tool, ToolContext, ToolResult, failed_result
from agent.tracing import StepSpans
from services.common.settings import Settings

logger = logging.getLogger(__name__)

UNKNOWN_TOOL = "unknown_tool"
BAD_ARGUMENTS = "bad_arguments"
SUMMARIZING = ("summarizing", "✍️ Writing the answer…")


def _new_id(prefix: str) -> str:
    return f"{prefix}_{uuid4().hex[:16]}"


def _item_done(item: dict[str, Any], **custom_outputs: Any) -> dict[str, Any]:
    """A finished item the contract gives no kind (function calls, a text preamble)."""
    event: dict[str, Any] = {"type": contract.ITEM_DONE, "item": item}
    if custom_outputs:
        event["custom_outputs"] = custom_outputs
    return event


class ToolLoop:
    """The agent's language model, its client made on first use and shared by requests."""

    def __init__(self, settings: Settings, workspace: Callable[[], WorkspaceClient]) -> None:
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
                    raise LLMError(AUTH, message, False) from error
            return self._model

    def run(self, items: list[Any], conversation_id: str | None = None) -> Iterator[dict[str, Any]]:
        """One turn over the request's ``items``; ``conversation_id`` overrides the history's."""
        deadline = time.monotonic() + self._settings.agent_deadline_s
        context = ToolContext(
            self._settings,
            self._workspace,
            deadline,
            conversation_id or genie_conversation_id(items),
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
        self._answer_id = _new_id("answer")
        self._spans = StepSpans()  # one span per model request and per tool call, if tracing

    def _ids(self) -> dict[str, Any]:
        return {"conversation_id": self._context.genie_conversation_id}

    def run(self) -> Iterator[dict[str, Any]]:
        yield contract.status_event(_new_id("status"), *STARTING, genie_status=None, **self._ids())
        try:
            yield from self._converse()
        except LLMError as error:
            yield from self._fail(error)
        except Exception as error:  # anything else still ends the turn with an answer
            logger.exception("the tool loop failed")
            message = f"Unexpected error: {type(error).__name__}: {error}"
            yield from self._fail(LLMError("internal", message, False))
        finally:
            self._spans.end()

    def _converse(self) -> Generator[dict[str, Any]]:
        model = self._model()
        limit = self._settings.agent_max_tool_calls
        while True:
            remaining = self._context.remaining_s()
            if remaining <= 0:
                raise LLMError(
                    TIMEOUT,
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
                    TOOL_LIMIT,
                    f"The language model kept calling tools after its {limit} calls this turn.",
                    False,
                )
            if completion.text:  # words before the calls: a finished message of their own
                yield _item_done(create_text_output_item(completion.text, self._answer_id))
                self._answer_id = _new_id("answer")
            self._messages.append(completion.message())
            for call in completion.tool_calls:
                yield from self._call(call)
            yield contract.status_event(
                _new_id("status"), *SUMMARIZING, genie_status=None, **self._ids()
            )

    # --- tools --------------------------------------------------------------------

    def _call(self, call: ToolCall) -> Generator[dict[str, Any]]:
        yield _item_done(
            create_function_call_item(_new_id("fc"), call.id, call.name, call.arguments),
            name=call.name,
            call_id=call.id,
        )
        self._calls += 1
        self._spans.begin(f"tool.{call.name}", {"arguments": call.arguments})
        result = yield from self._result(call)
        self._spans.end(result.output)
        output = json.dumps(result.output, default=str)
        self._last_output = result.output
        yield _item_done(
            create_function_call_output_item(call.id, output),
            call_id=call.id,
            status=result.output.get("status"),
            **self._ids(),
        )
        self._messages.append({"role": "tool", "tool_call_id": call.id, "content": output})

    def _result(self, call: ToolCall) -> Generator[dict[str, Any], None, ToolResult]:
        limit = self._settings.agent_max_tool_calls
        tool = TOOLS.get(call.name)
        if tool is None:
            names = ", ".join(TOOLS)
            return failed_result(UNKNOWN_TOOL, f"There is no tool {call.name!r}; tools: {names}.")
        if self._calls > limit:
            message = f"Not run: at most {limit} tool calls a turn. Answer with what you have."
            return failed_result(TOOL_LIMIT, message)
        try:
            arguments = json.loads(call.arguments or "{}")
        except ValueError:
            arguments = None
        if not isinstance(arguments, dict):
            message = f"The arguments are not a JSON object: {call.arguments!r}"
            return failed_result(BAD_ARGUMENTS, message)
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
            return failed_result("internal", f"{tool.name} failed: {type(error).__name__}: {error}")
        return failed_result("internal", f"{tool.name} returned no result.")

    # --- the end ------------------------------------------------------------------

    def _answer_payload(self) -> dict[str, Any]:
        return {
            **self._ids(),
            "message_id": self._last_output.get("message_id"),
            "sql": self._last_output.get("sql"),
        }

    def _answer(self, text: str) -> Iterator[dict[str, Any]]:
        if not text.strip():
            raise LLMError(LLM_ERROR, "The language model returned an empty answer.", True)
        yield contract.answer_event(
            self._answer_id,
            text,
            status="completed",
            suggested_questions=self._last_output.get("suggested_questions") or [],
            **self._answer_payload(),
        )

    def _fail(self, error: LLMError) -> Iterator[dict[str, Any]]:
        logger.warning("turn failed (%s): %s", error.code, error.message)
        yield contract.error_event(
            _new_id("error"), error.code, error.message, error.retryable, **self._ids()
        )
        yield contract.answer_event(
            self._answer_id,
            f"Sorry, I could not answer that. {error.message}",
            status="failed",
            suggested_questions=[],
            **self._answer_payload(),
        )

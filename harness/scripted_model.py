"""A stand-in language model: an OpenAI-compatible chat-completions server with scripted turns.

Run it with uvicorn on loopback (``python -m uvicorn harness.scripted_model:app``) and
point the agent at it (``AGENT_LLM_BASE_URL=http://127.0.0.1:PORT/v1``, or as a
Databricks workspace: ``DATABRICKS_HOST=http://127.0.0.1:PORT`` with
``AGENT_LLM_ENDPOINT``, served at ``/serving-endpoints/chat/completions``). It streams
as real servers do: text in pieces, each tool call as deltas (id and name first, then
the JSON arguments in fragments), ``finish_reason`` and ``[DONE]``.

With no script it behaves as a plain tool-using model: asked a user's question it
calls ``query_genie_space`` with the user's words verbatim; given a tool result it
answers from it; asked with ``tool_choice="none"`` it answers. ``PUT /script`` sets the
next replies instead, one step per request (consumed in order; ``"forever": true``
keeps a step), and clears the request log:

- ``{"content": "text"}``: answer;
- ``{"tool_calls": [{"name": …, "arguments": {…} or "raw"}], "content": optional}``;
  ``"{user}"`` inside a string argument is replaced by the last user message;
- ``{"status": 503, "message": "…"}``: fail with that HTTP status;
- ``{"stall_s": 30}``: wait that long before answering (a hung model);
- ``"whole": true`` on a step: answer it as one JSON completion, ignoring ``stream``.

``GET /requests`` returns every request body so far, with its ``authorization`` header.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import AsyncIterator
from typing import Any
from uuid import uuid4

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse

GENIE_TOOL = "query_genie_space"
PIECE_CHARS = 12  # how finely text and arguments are split into deltas

app = FastAPI(title="scripted chat model")
_script: list[dict[str, Any]] = []
_requests: list[dict[str, Any]] = []
_delay_s = 0.0  # between streamed chunks


def command(port: int) -> list[str]:
    """The stand-in as a process on ``port`` (loopback); ready when ``/healthz`` answers."""
    return [sys.executable, "-m", "uvicorn", "harness.scripted_model:app",
            "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]  # fmt: skip


@app.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@app.put("/script")
async def put_script(request: Request) -> dict[str, int]:
    """Body: ``{"steps": [...], "delay_s": 0.0}``; an empty list restores the default model."""
    global _delay_s
    body = await request.json()
    _script[:] = body.get("steps", [])
    _delay_s = float(body.get("delay_s", 0.0))
    _requests.clear()
    return {"steps": len(_script)}


@app.get("/requests")
def get_requests() -> list[dict[str, Any]]:
    return _requests


def _last(messages: list[dict[str, Any]], role: str) -> dict[str, Any] | None:
    return next((m for m in reversed(messages) if m.get("role") == role), None)


def _default_step(body: dict[str, Any]) -> dict[str, Any]:
    """What a plain tool-using model does: ask Genie the user's words, then answer from it."""
    messages = body["messages"]
    last = messages[-1]
    if last.get("role") == "tool" or body.get("tool_choice") == "none":
        tool = _last(messages, "tool")
        return {"content": _answer_from(tool["content"] if tool else None)}
    return {"tool_calls": [{"name": GENIE_TOOL, "arguments": {"question": "{user}"}}]}


def _answer_from(output: str | None) -> str:
    try:
        result = json.loads(output) if output else {}
    except ValueError:
        result = {}
    if not result:
        return "I can answer inventory questions: stock, parts, warehouses, suppliers, orders."
    if result.get("status") == "failed":
        return f"Genie could not answer: {result.get('error', {}).get('message', 'no reason')}"
    text = result.get("text") or ""
    return f"Genie found {result.get('row_count', 0)} row(s). {text}".strip()


def _next_step(body: dict[str, Any]) -> dict[str, Any]:
    if not _script:
        return _default_step(body)
    step = _script[0]
    if not step.get("forever"):
        _script.pop(0)
    return step


def _with_user_words(value: Any, user: str) -> Any:
    if isinstance(value, str):
        return value.replace("{user}", user)
    if isinstance(value, dict):
        return {k: _with_user_words(v, user) for k, v in value.items()}
    return value


def _pieces(text: str) -> list[str]:
    return [text[i : i + PIECE_CHARS] for i in range(0, len(text), PIECE_CHARS)]


def _deltas(step: dict[str, Any], user: str) -> list[tuple[dict[str, Any], str | None]]:
    """The (delta, finish_reason) pairs that stream this step."""
    deltas: list[tuple[dict[str, Any], str | None]] = [({"role": "assistant"}, None)]
    deltas += [({"content": piece}, None) for piece in _pieces(step.get("content") or "")]
    calls = step.get("tool_calls") or []
    for index, call in enumerate(calls):
        arguments = call.get("arguments", {})
        if not isinstance(arguments, str):
            arguments = json.dumps(_with_user_words(arguments, user))
        head = {"index": index, "id": f"call_{uuid4().hex[:12]}", "type": "function"}
        deltas.append(({"tool_calls": [{**head, "function": {"name": call["name"]}}]}, None))
        deltas += [
            ({"tool_calls": [{"index": index, "function": {"arguments": piece}}]}, None)
            for piece in _pieces(arguments)
        ]
    deltas.append(({}, "tool_calls" if calls else "stop"))
    return deltas


def _whole(body: dict[str, Any], step: dict[str, Any]) -> dict[str, Any]:
    """The step as one non-streamed completion: the streamed deltas, merged."""
    message: dict[str, Any] = {"role": "assistant", "content": None}
    finish = "stop"
    for delta, finish_reason in _deltas(step, _user_words(body)):
        finish = finish_reason or finish
        if delta.get("content"):
            message["content"] = (message["content"] or "") + delta["content"]
        for piece in delta.get("tool_calls", []):
            calls = message.setdefault("tool_calls", [])
            if piece.get("id"):
                function = {"name": piece["function"]["name"], "arguments": ""}
                calls.append({"id": piece["id"], "type": "function", "function": function})
            else:
                calls[piece["index"]]["function"]["arguments"] += piece["function"]["arguments"]
    choice = {"index": 0, "message": message, "finish_reason": finish}
    return {"id": f"chatcmpl-{uuid4().hex[:12]}", "object": "chat.completion",
            "created": int(time.time()), "model": body["model"], "choices": [choice]}  # fmt: skip


def _user_words(body: dict[str, Any]) -> str:
    return (_last(body["messages"], "user") or {}).get("content") or ""


async def _stream(body: dict[str, Any], step: dict[str, Any]) -> AsyncIterator[str]:
    completion_id, created = f"chatcmpl-{uuid4().hex[:12]}", int(time.time())
    for delta, finish in _deltas(step, _user_words(body)):
        chunk = {
            "id": completion_id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": body["model"],
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
        yield f"data: {json.dumps(chunk)}\n\n"
        if _delay_s:
            await asyncio.sleep(_delay_s)
    yield "data: [DONE]\n\n"


async def _stall(request: Request, seconds: float) -> None:
    """Wait ``seconds``, or until the client gives up (so the server can stop at once)."""
    until = time.monotonic() + seconds
    while time.monotonic() < until and not await request.is_disconnected():
        await asyncio.sleep(0.05)


@app.post("/v1/chat/completions", response_model=None)
@app.post("/serving-endpoints/chat/completions", response_model=None)
async def chat_completions(request: Request) -> StreamingResponse | JSONResponse:
    body = await request.json()
    _requests.append({**body, "authorization": request.headers.get("authorization")})
    if not body.get("stream"):
        return JSONResponse({"error": {"message": "this stand-in only streams"}}, 400)
    step = _next_step(body)
    if step.get("stall_s"):
        await _stall(request, float(step["stall_s"]))
    if step.get("status"):
        error = {"message": step.get("message", "scripted failure"), "type": "server_error"}
        return JSONResponse({"error": error}, status_code=int(step["status"]))
    if step.get("whole"):
        return JSONResponse(_whole(body, step))
    return StreamingResponse(_stream(body, step), media_type="text/event-stream")

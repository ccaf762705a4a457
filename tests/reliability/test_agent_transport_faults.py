"""The agent endpoint's transport failing mid-stream is ``AgentUnavailableError`` (retried).

A raw TCP server on loopback plays the broken endpoint: it answers a streamed response
and then cuts the body short, resets the connection, or falls silent past the read
timeout; a refused connection is a port nobody listens on. Each must reach the job as
the retryable error, never as an unexpected exception that fails the question.
"""

from __future__ import annotations

import asyncio
import json
import socket
import struct
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from agent.stream_contract import Event
from agent.stream_events import status_event
from harness.processes import free_port
from services.common.settings import Settings
from services.worker.agent_client import AgentUnavailableError, make_agent_client

pytestmark = pytest.mark.timeout(60)

HEAD = b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"


def _sse_chunk() -> bytes:
    data = f"data: {json.dumps(status_event('s1', 'starting', 'Starting'))}\n\n".encode()
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


async def _cut_short(writer: asyncio.StreamWriter) -> None:
    writer.write(HEAD + _sse_chunk() + b"ff\r\npartial")
    await writer.drain()
    writer.close()


async def _reset(writer: asyncio.StreamWriter) -> None:
    writer.write(HEAD + _sse_chunk())
    await writer.drain()
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()  # an RST, as when the agent's process is killed


async def _silent(writer: asyncio.StreamWriter) -> None:
    writer.write(HEAD + _sse_chunk())
    await writer.drain()
    await asyncio.sleep(30)


Behaviour = Callable[[asyncio.StreamWriter], Awaitable[None]]


async def _endpoint(behave: Behaviour) -> AsyncIterator[str]:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while (await reader.readline()) not in (b"\r\n", b""):
            pass  # the request's head; its body is not needed
        await behave(writer)

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        yield f"http://127.0.0.1:{port}"


@pytest.mark.parametrize("fault", ["cut_short", "reset", "silent", "refused"])
async def test_a_broken_agent_stream_is_retryable(fault: str) -> None:
    behaviours = {"cut_short": _cut_short, "reset": _reset, "silent": _silent}
    settings = Settings(agent_read_timeout_s=0.5)
    seen: list[Event] = []
    if fault == "refused":
        endpoints: AsyncIterator[str] | None = None
        url = f"http://127.0.0.1:{free_port()}"
    else:
        endpoints = _endpoint(behaviours[fault])
        url = await anext(endpoints)
    client = make_agent_client(settings.model_copy(update={"agent_url": url}))
    try:
        with pytest.raises(AgentUnavailableError):
            async for event in client.stream("Which parts are low?", None):
                seen.append(event)
    finally:
        await client.close()
        if endpoints is not None:
            await endpoints.aclose()
    if fault != "refused":
        assert [event.payload["status"] for event in seen] == ["starting"]

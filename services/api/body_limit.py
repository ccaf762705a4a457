"""Refuse request bodies over a size limit before anything parses them (413).

The API's bodies are a question and a conversation id, a few KiB at most; without a
limit a 50 MB JSON body was read and parsed whole (API memory 67 → 216 MB). The limit
is checked against ``Content-Length`` when sent, and counted as a chunked body streams
in, so neither spelling gets past it. A pure ASGI middleware: websockets pass through.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(send)
            return
        received = 0
        too_large = False
        more_to_discard = False  # the client was still sending when the limit was crossed

        async def counting_receive() -> Message:
            """The body up to the limit; past it, the end (the app's answer is dropped)."""
            nonlocal received, too_large, more_to_discard
            if too_large:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    too_large = True
                    more_to_discard = message.get("more_body", False)
                    return {"type": "http.request", "body": b"", "more_body": False}
            return message

        async def refusing_send(message: Message) -> None:
            if not too_large:
                await send(message)
            elif message["type"] == "http.response.start":
                if more_to_discard:  # else a further receive() waits for a disconnect
                    await self._discard_rest(receive)
                await self._refuse(send)

        await self.app(scope, counting_receive, refusing_send)

    async def _discard_rest(self, receive: Receive) -> None:
        """Read what the client still sends, keeping none of it: a client refused while
        still sending would otherwise get a reset instead of the 413."""
        while True:
            message = await receive()
            if message["type"] != "http.request" or not message.get("more_body", False):
                return

    async def _refuse(self, send: Send) -> None:
        detail = (
            f"the request body is larger than {self.max_bytes} bytes: "
            'a question is a short JSON object, e.g. {"question": "…"}'
        )
        body = json.dumps({"detail": detail}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

"""Read one agent answer with the official ``openai`` client, as the worker does.

Used by the agent's tests and benchmark, and by any test that needs the agent's stream
classified by the contract (agent/stream_contract.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from openai import OpenAI

from agent.stream_contract import Event, Kind, read_event

MODEL = "inventory_genie_agent"


@dataclass
class AgentRun:
    """Every contract event of one streamed answer, in order."""

    events: list[Event] = field(default_factory=list)

    def of(self, kind: Kind) -> list[dict[str, Any]]:
        return [payload for k, payload in self.events if k == kind]

    @property
    def statuses(self) -> list[str]:
        return [payload["status"] for payload in self.of(Kind.STATUS)]

    @property
    def text(self) -> str:
        return "".join(p["delta"] for p in self.of(Kind.TEXT))

    @property
    def answer(self) -> dict[str, Any]:
        answers = self.of(Kind.ANSWER)
        assert len(answers) == 1, f"expected exactly one answer, got {len(answers)}"
        return answers[0]


def agent_client(agent_url: str, timeout_s: float = 60.0) -> OpenAI:
    return OpenAI(base_url=agent_url, api_key="local", timeout=timeout_s, max_retries=0)


def stream_answer(client: OpenAI, question: str, conversation_id: str | None = None) -> AgentRun:
    """Ask through ``/responses`` with ``stream=True`` and classify every event."""
    custom_inputs = {"conversation_id": conversation_id} if conversation_id else {}
    stream = client.responses.create(
        model=MODEL,
        input=[{"role": "user", "content": question}],
        stream=True,
        extra_body={"custom_inputs": custom_inputs},
    )
    run = AgentRun()
    for raw in stream:
        if (event := read_event(raw.model_dump())) is not None:
            run.events.append(event)
    return run

"""The language model's servers: the scripted stand-in model, and agents pointed at it.

The stand-in (harness/scripted_model.py) is real uvicorn on loopback, read by the real
openai client inside the agent; Genie is the session's local Genie server. Agents run
in-process (the class serve-agent serves), each built with the settings a test needs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from mlflow.types.responses import ResponsesAgentRequest

from agent.genie_agent import InventoryGenieAgent
from agent.settings import AgentSettings
from agent.stream_contract import ITEM_DONE
from harness.processes import Server, free_port, running
from harness.scripted_model import command

MODEL = "scripted-model"


@pytest.fixture(scope="session")
def scripted_model(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    port = free_port()
    log = tmp_path_factory.mktemp("scripted-model") / "model.log"
    with running(command(port), port, log, ready_url=f"http://127.0.0.1:{port}/healthz") as server:
        yield server


@pytest.fixture
def script(scripted_model: Server) -> Iterator[Callable[..., None]]:
    """``script(step, …)``: the model's next replies (none: the default tool-using model)."""

    def put(*steps: dict[str, Any], delay_s: float = 0.0) -> None:
        body = {"steps": list(steps), "delay_s": delay_s}
        httpx.put(f"{scripted_model.url}/script", json=body, timeout=5).raise_for_status()

    put()
    yield put
    put()


@pytest.fixture
def model_requests(scripted_model: Server) -> Callable[[], list[dict[str, Any]]]:
    """``model_requests()``: every chat-completions request the model got since the script."""
    return lambda: httpx.get(f"{scripted_model.url}/requests", timeout=5).json()


@pytest.fixture
def llm_settings(genie_server: Server, scripted_model: Server) -> Callable[..., AgentSettings]:
    """``llm_settings(**overrides)``: the local Genie, and the stand-in model as the LLM."""

    def make(**overrides: Any) -> AgentSettings:
        values: dict[str, Any] = {
            "genie_port": genie_server.port,
            "databricks_host": None,
            "databricks_config_profile": None,
            "local_genie_base_url": None,
            "mlflow_tracing": False,
            "agent_llm_base_url": f"{scripted_model.url}/v1",
            "agent_llm_model": MODEL,
            "agent_llm_api_key": "test-key",
        }
        return AgentSettings(**{**values, **overrides})

    return make


def turn(
    agent: InventoryGenieAgent,
    *items: dict[str, Any] | str,
    custom_inputs: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """One request's stream as event dicts; a string item is a user message."""
    inputs = [{"role": "user", "content": i} if isinstance(i, str) else i for i in items]
    request = ResponsesAgentRequest(input=inputs, custom_inputs=custom_inputs)
    return [event.model_dump(exclude_none=True) for event in agent.predict_stream(request)]


def items_of(events: list[dict[str, Any]], item_type: str) -> list[dict[str, Any]]:
    """The finished items of one type, in order."""
    done = (e["item"] for e in events if e["type"] == ITEM_DONE)
    return [item for item in done if item.get("type") == item_type]


def tool_outputs(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [json.loads(item["output"]) for item in items_of(events, "function_call_output")]

"""serve-agent with a language model configured: the openai client sees the tool items.

The real ``inventory-agent serve-agent`` process (MLflow AgentServer) reads the LLM
settings from its environment, runs the tool loop against the stand-in model and the
local Genie, and streams ``function_call`` / ``function_call_output`` items between
Genie's progress and the answer's text.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest

from agent.stream_contract import Kind, read_event
from harness.agent_stream import MODEL, agent_client
from harness.processes import CLI, Server, free_port, running
from tests.conftest import local_genie_env

pytestmark = pytest.mark.servers


@pytest.fixture(scope="module")
def llm_agent(
    genie_server: Server, scripted_model: Server, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    port = free_port()
    log = tmp_path_factory.mktemp("llm-agent") / "agent.log"
    env = {
        **local_genie_env(genie_server),
        "AGENT_LLM_BASE_URL": f"{scripted_model.url}/v1",
        "AGENT_LLM_MODEL": "scripted-model",
    }
    argv = [*CLI, "serve-agent", "--port", str(port)]
    with running(argv, port, log, env=env, ready_url=f"http://127.0.0.1:{port}/health") as s:
        yield s


def test_tool_items_stream_through_serve_agent(llm_agent: Server, script: Callable) -> None:
    client = agent_client(llm_agent.url, timeout_s=30)
    stream = client.responses.create(
        model=MODEL, input=[{"role": "user", "content": "What parts are low stock?"}], stream=True
    )
    events = [event.model_dump() for event in stream]
    assert events[0]["type"] == "response.created" and events[-1]["type"] == "response.completed"
    done = [e["item"] for e in events if e["type"] == "response.output_item.done"]
    types = [item["type"] for item in done]
    assert types.index("function_call") < types.index("function_call_output")
    call = done[types.index("function_call")]
    output = json.loads(done[types.index("function_call_output")]["output"])
    assert call["name"] == "query_genie_space"
    assert json.loads(call["arguments"]) == {"question": "What parts are low stock?"}
    assert output["status"] == "completed" and output["conversation_id"]
    read = list(filter(None, map(read_event, events)))
    kinds = [event.kind for event in read]
    assert kinds[0] == Kind.TOOL_CALL and kinds[-1] == Kind.ANSWER
    assert Kind.SQL in kinds and Kind.TABLE in kinds
    [answer] = [event.payload for event in read if event.kind == Kind.ANSWER]
    assert answer["status"] == "completed" and answer["text"].startswith("Genie found")
    assert answer["conversation_id"] == output["conversation_id"]

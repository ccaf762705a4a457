"""``kill -9`` of the agent server mid-question: the question resumes, on the same Genie message.

A broken agent stream (connection reset, protocol error, read timeout, refused) is a
transport failure, worth retrying: the job says ``retrying``, continues the seq, and
passes the Genie conversation and message it had already started to the agent, which
polls that message instead of asking Genie again — Genie allows only 5 starts a minute.
Both routes: the direct one, and the language model's tool loop (its first Genie call
of the retried turn polls the message, though the model words the question anew).
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import time

import httpx

from harness.questions import post_question
from tests.reliability.conftest import Cluster
from tests.reliability.streams import Followed, assert_complete, follow
from tests.reliability.test_worker_killed import wait_for_status

logger = logging.getLogger(__name__)

QUESTION = "Which parts are low on stock?"
#: room for the agent server's restart (its imports take seconds) between the tries
RETRIES = {"MAX_TRIES": "6", "AGENT_RETRY_DEFER_S": "1"}


async def _killed_at_generating_sql(cluster: Cluster, **agent_env: str) -> Followed:
    """Ask through an agent server killed (and restarted) while Genie writes the SQL;
    the question's whole stream, checked complete and answered."""
    cluster.start_api()
    agent = cluster.start_agent(**agent_env)
    cluster.start_worker(AGENT_URL=agent.url, **RETRIES)

    accepted = await post_question(cluster.api_url, QUESTION)
    followed = Followed()
    reader = asyncio.create_task(follow(accepted["events_url"], followed, deadline_s=180))
    await wait_for_status(followed, {"generating_sql"})
    agent.stop(signal.SIGKILL)
    killed_at, seq_at_kill = time.monotonic(), followed.last_seq
    cluster.start_agent(port=agent.port, **agent_env)

    await asyncio.wait_for(reader, 180)
    assert_complete(followed)
    assert followed.done["status"] == "completed", cluster.logs()
    assert [c for c in followed.chunks if c["type"] == "answer"]
    retry_seq = next(c["seq"] for c in followed.chunks if c.get("status") == "retrying")
    assert retry_seq > seq_at_kill
    logger.warning(
        "agent kill -9 at generating_sql: done %.1f s later, %d chunks",
        time.monotonic() - killed_at,
        len(followed.chunks),
    )
    return followed


async def test_a_killed_agent_servers_question_completes_on_the_same_genie_message(
    cluster: Cluster,
) -> None:
    cluster.start_redis()
    cluster.start_genie(step_delay_s=1.0)  # each Genie step takes a second: time to kill
    await _killed_at_generating_sql(cluster)
    assert cluster.genie_stats()["starts"] == 1  # the retry polled the message it had started


async def test_a_killed_llm_agents_turn_completes_on_the_same_genie_message(
    cluster: Cluster,
) -> None:
    cluster.start_redis()
    cluster.start_genie(step_delay_s=1.0)
    model = cluster.start_scripted_model()
    # The first try asks Genie the user's words; the retry's model words them anew.
    asks = [{"tool_calls": [{"name": "query_genie_space", "arguments": {"question": q}}]}
            for q in ("{user}", "Which parts run low?")]  # fmt: skip
    httpx.put(f"{model.url}/script", json={"steps": asks}, timeout=5).raise_for_status()
    llm = {"AGENT_LLM_BASE_URL": f"{model.url}/v1", "AGENT_LLM_MODEL": "scripted-model"}

    followed = await _killed_at_generating_sql(cluster, **llm)

    assert cluster.genie_stats()["starts"] == 1  # the retried turn polled the first message
    requests = httpx.get(f"{model.url}/requests", timeout=5).json()
    assert len(requests) == 3  # the first try's call; the retry's call, then its answer
    result = json.loads(requests[-1]["messages"][-1]["content"])
    assert result["status"] == "completed" and result["row_count"] > 0
    [answer] = [c for c in followed.chunks if c["type"] == "answer"]
    assert answer["text"].startswith(f"Genie found {result['row_count']} row(s)")

"""GET /metrics on the real stack: ask a real question, scrape, and see the figures move."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from harness.processes import Server
from harness.questions import post_question, read_until_done, unique


def scrape(api: Server) -> dict[str, float]:
    """Every sample of the exposition, by name (histograms: _count, _sum, _bucket{le})."""
    response = httpx.get(f"{api.url}/metrics", timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    samples: dict[str, float] = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            le = sample.labels.get("le")
            samples[sample.name + (f"{{le={le}}}" if le else "")] = sample.value
    return samples


@pytest.fixture
def one_genie_429(genie_server: Server) -> Iterator[None]:
    """The local Genie answers the next new question with a 429 (then clears itself)."""
    config = f"{genie_server.url}/local/config"
    httpx.put(config, json={"fault": "rate_limit", "fault_count": 1}).raise_for_status()
    yield
    httpx.put(config, json={"fault": None, "fault_count": None}).raise_for_status()


async def test_a_real_question_moves_every_metric(
    api_server: Server, worker_process: Server, one_genie_429: None
):
    before = scrape(api_server)
    accepted = await post_question(api_server.url, unique("What parts are low stock?"))
    chunks = await read_until_done(accepted["events_url"])
    assert chunks[-1] == {**chunks[-1], "type": "done", "status": "completed"}
    after = scrape(api_server)

    def moved(name: str) -> float:
        return after[name] - before.get(name, 0.0)

    assert moved("iga_questions_accepted_total") == 1
    assert moved("iga_chunks_relayed_total") == len(chunks)
    assert after["iga_websocket_clients"] == 0  # the socket above has closed
    assert after["iga_queue_depth"] >= 0
    for histogram in ("job_duration_seconds", "job_queue_wait_seconds"):
        assert moved(f"iga_{histogram}_count") >= 1, histogram
        assert after[f"iga_{histogram}_bucket{{le=+Inf}}"] == after[f"iga_{histogram}_count"]
    assert moved("iga_time_to_first_chunk_seconds_count") == 1
    assert moved("iga_time_to_first_chunk_seconds_sum") > 0
    assert moved("iga_genie_calls_total") == 1
    assert moved("iga_genie_rate_limited_total") == 1  # the 429 the agent backed off
    worker_log = worker_process.log()  # the job's own records carry its question id
    assert f"question_id={accepted['question_id']} msg=" in worker_log


def test_metrics_need_no_key_on_an_open_api(quiet_api: Server):
    samples = scrape(quiet_api)
    assert samples["iga_websocket_clients"] == 0
    assert "iga_genie_calls_total" in samples and "iga_queue_depth" in samples

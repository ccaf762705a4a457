"""The replay log survives a host crash: Redis fsyncs every write (``appendfsync always``).

Losing the AOF's tail (a crash within ``everysec``'s second) would let a restarted Redis
reuse seq numbers, and a client already past them would silently miss those chunks. The
project makes that impossible rather than detectable: the Redis it starts (``make run``,
tests) and the compose file's both fsync before answering.
"""

from __future__ import annotations

from pathlib import Path

import redis
import yaml

from harness.processes import REPO_ROOT
from tests.reliability.conftest import Cluster


def test_the_redis_it_starts_fsyncs_every_write(cluster: Cluster) -> None:
    cluster.start_redis()
    client = redis.Redis.from_url(cluster.redis_url)
    try:
        config = client.config_get("append*")
    finally:
        client.close()
    assert config["appendonly"] == "yes" and config["appendfsync"] == "always"


def test_the_compose_redis_fsyncs_every_write() -> None:
    compose = yaml.safe_load(Path(REPO_ROOT / "docker-compose.yml").read_text())
    command = compose["services"]["redis"]["command"]
    assert command[command.index("--appendfsync") + 1] == "always"

"""The one place that builds the databricks-sdk ``WorkspaceClient`` the Genie tool talks to.

Locally there is no Databricks account: the client points at the local Genie server
(``settings.local_genie_url``) with ``LOCAL_GENIE_TOKEN`` (else a dummy token), so the
Genie tool runs the same SDK code path against both. Otherwise databricks-sdk's unified auth
decides (``DATABRICKS_HOST``/``DATABRICKS_TOKEN``, ``DATABRICKS_CONFIG_PROFILE``, or the
credentials Model Serving injects for declared resources). With on-behalf-of-user auth
(``AGENT_ON_BEHALF_OF_USER``) on Model Serving, the client carries the asking user's
down-scoped token instead (``ModelServingUserCredentials``, read per request from the
serving thread): the agent builds one such client per request.

The SDK retries 429s and connection errors by itself for up to 300 s by default, and
even with its shortest budget (1 s) it first sleeps a 429's whole ``Retry-After``. The
Genie tool has its own bounded back-off that tells the user what is happening, so the
SDK gets a clock on which its one-second budget is spent by its first failure: one
attempt, no hidden sleep, and the error reaches the tool.
"""

from __future__ import annotations

import logging
import threading
import time

from databricks.sdk import WorkspaceClient
from databricks.sdk.clock import Clock
from databricks.sdk.config import Config
from databricks.sdk.credentials_provider import ModelServingUserCredentials

from agent.settings import AgentSettings

logger = logging.getLogger(__name__)

# databricks-sdk treats 0 as "use the 300 s default"; 1 s is the shortest budget it honours.
SDK_RETRY_TIMEOUT_S = 1
LOCAL_TOKEN = "local-genie"


class NoWaitClock(Clock):
    """A clock on which the SDK's retry sleeps pass instantly (per thread) instead of waiting.

    databricks-sdk uses its config's clock only for retry deadlines and sleeps, so the
    effect is exactly "never retry inside the SDK". The offset is per thread because one
    client serves concurrent requests, each of which must get its own first attempt.
    """

    def __init__(self) -> None:
        self._skipped = threading.local()

    def time(self) -> float:
        return time.time() + getattr(self._skipped, "seconds", 0.0)

    def sleep(self, seconds: float) -> None:
        self._skipped.seconds = getattr(self._skipped, "seconds", 0.0) + seconds


def workspace_client(settings: AgentSettings) -> WorkspaceClient:
    """A client for the configured Genie: the local stand-in, or the workspace's."""
    retries = {"retry_timeout_seconds": SDK_RETRY_TIMEOUT_S, "clock": NoWaitClock()}
    if settings.genie_is_local:
        logger.info("Genie: local server at %s", settings.local_genie_url)
        token = settings.local_genie_token
        config = Config(
            host=settings.local_genie_url,
            token=token.get_secret_value() if token else LOCAL_TOKEN,
            auth_type="pat",
            **retries,
        )
    elif acts_as_user(settings):
        config = Config(credentials_strategy=ModelServingUserCredentials(), **retries)
    else:
        token = settings.databricks_token
        config = Config(
            host=settings.databricks_host,
            token=token.get_secret_value() if token else None,
            profile=settings.databricks_config_profile,
            **retries,
        )
        logger.info("Genie: Databricks workspace %s", config.host)
    return WorkspaceClient(config=config)


def acts_as_user(settings: AgentSettings) -> bool:
    """Genie is asked as the requesting user: each request needs its own client."""
    return settings.agent_on_behalf_of_user and not settings.genie_is_local

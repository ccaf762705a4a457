"""The Databricks workspace as the services reach it: databricks-sdk's unified auth.

The agent has its own client factory (agent/workspace.py) with its own settings; the
services need the workspace for two things: sending a rating to Genie (the local
stand-in when no workspace is configured) and authenticating calls to the agent's
serving endpoint.
"""

from __future__ import annotations

from databricks.sdk import WorkspaceClient
from databricks.sdk.config import Config

from services.common.settings import Settings

LOCAL_TOKEN = "local-genie"
#: databricks-sdk retries for up to 300 s by default, also while a Config discovers its
#: host at construction: a worker starting while the workspace is unreachable would hang
RETRY_TIMEOUT_S = 2


def databricks_config(settings: Settings) -> Config:
    """Unified auth: DATABRICKS_HOST/TOKEN, a profile, or whatever the environment provides."""
    token = settings.databricks_token
    return Config(
        host=settings.databricks_host,
        token=token.get_secret_value() if token else None,
        profile=settings.databricks_config_profile,
        retry_timeout_seconds=RETRY_TIMEOUT_S,
    )


def genie_workspace(settings: Settings) -> WorkspaceClient:
    """The workspace whose Genie the services talk to: the configured one, or the local Genie."""
    if not settings.genie_is_local:
        return WorkspaceClient(config=databricks_config(settings))
    token = settings.local_genie_token
    config = Config(
        host=settings.local_genie_url,
        token=token.get_secret_value() if token else LOCAL_TOKEN,
        auth_type="pat",
        retry_timeout_seconds=RETRY_TIMEOUT_S,
    )
    return WorkspaceClient(config=config)

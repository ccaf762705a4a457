"""The agent's own settings: only what the agent reads, from the environment.

The agent is logged and served on its own (Model Serving builds it from ``agent/``
alone), so it cannot read the services' settings. The names are the environment
variables the rest of the project already uses (``GENIE_SPACE_ID``, ``DATABRICKS_HOST``,
…), so one ``.env`` configures both; the services never import this module.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

#: Model Serving ends a request after this long (Databricks documents 297 s); the
#: agent's own deadlines stay inside it so that a slow Genie ends with a clear answer.
MODEL_SERVING_REQUEST_LIMIT_S = 297.0


class AgentSettings(BaseSettings):
    # An empty variable means "not set": docker-compose passes every setting as ${NAME:-}.
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", env_ignore_empty=True)

    # --- the local agent server (`inventory-agent serve-agent`) ---
    host: str = "127.0.0.1"
    agent_port: int = 8070
    # Every route but /health needs this bearer token (the workers send it); serve-agent
    # refuses to listen beyond loopback without one (agent/server_auth.py).
    agent_token: SecretStr | None = None

    # --- Genie: the workspace's space, or the local stand-in ---
    genie_space_id: str = "inventory"
    databricks_host: str | None = None
    databricks_token: SecretStr | None = None
    databricks_config_profile: str | None = None
    databricks_warehouse_id: str | None = None  # declared as a resource when deploying
    # Set by Databricks Model Serving: Genie is the workspace's even with no DATABRICKS_HOST.
    is_in_db_model_serving_env: bool = Field(
        default=False,
        validation_alias=AliasChoices(
            "IS_IN_DB_MODEL_SERVING_ENV", "IS_IN_DATABRICKS_MODEL_SERVING_ENV"
        ),
    )
    genie_port: int = 8090
    local_genie_base_url: str | None = None  # the local Genie when not on HOST:GENIE_PORT
    local_genie_token: SecretStr | None = None

    # --- asking Genie ---
    genie_poll_initial_s: float = 1.0
    genie_poll_max_s: float = 5.0
    genie_local_poll_s: float = 0.05  # the local Genie has no rate limit on polls
    # One question's budget (polls and back-offs alike), inside Model Serving's limit.
    genie_timeout_s: float = Field(default=240.0, gt=0, lt=MODEL_SERVING_REQUEST_LIMIT_S)
    genie_max_rows: int = 1000  # rows of a result passed on to the user
    genie_rate_limit_retries: int = 4
    genie_rate_limit_backoff_s: float = 2.0  # first back-off after a 429; doubles, with jitter
    #: rows of a result the tool's output (what a language model reads) carries
    tool_output_rows: int = Field(default=20, ge=0)
    #: earlier user turns sent along when a follow-up cannot continue a Genie conversation
    history_context_turns: int = Field(default=3, ge=0)

    # --- the documents (search_inventory_docs): a Databricks Vector Search index when
    # named, else the local index `inventory-agent data generate` writes beside the
    # database (agent/docs_index.py)
    docs_vector_index: str | None = None  # catalog.schema.index
    docs_index_path: Path = Path("data/inventory_docs.sqlite")
    docs_results: int = Field(default=3, ge=1, le=20)  # passages per search

    # --- the language model (optional): a Databricks endpoint, or any OpenAI-compatible ---
    agent_llm_endpoint: str | None = None
    agent_llm_base_url: str | None = None
    agent_llm_model: str | None = None
    agent_llm_api_key: SecretStr | None = None
    agent_max_tool_calls: int = Field(default=4, ge=1)  # per turn
    # The whole turn (model and tools), inside Model Serving's request limit.
    agent_deadline_s: float = Field(default=280.0, gt=0, lt=MODEL_SERVING_REQUEST_LIMIT_S)

    # --- MLflow: tracing, and where deploy_agent logs and serves ---
    mlflow_tracking_uri: str | None = None
    mlflow_tracing: bool = False
    agent_uc_model_name: str = "main.inventory.inventory_genie_agent"  # catalog.schema.model
    agent_endpoint_name: str | None = None
    # Model Serving calls Genie as the asking user (on-behalf-of-user auth), not as the
    # endpoint's service principal.
    agent_on_behalf_of_user: bool = False

    @property
    def genie_is_local(self) -> bool:
        """No Databricks host or profile configured means the local Genie server."""
        return not (
            self.databricks_host
            or self.databricks_config_profile
            or self.is_in_db_model_serving_env
        )

    @property
    def local_genie_url(self) -> str:
        return self.local_genie_base_url or f"http://{self.host}:{self.genie_port}"

    @property
    def llm_configured(self) -> bool:
        """A language model orchestrates the turn (else the question goes straight to Genie)."""
        return bool(self.agent_llm_endpoint or (self.agent_llm_base_url and self.agent_llm_model))


@lru_cache
def get_agent_settings() -> AgentSettings:
    return AgentSettings()

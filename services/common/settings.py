"""Every setting of the services' processes, read from the environment in one place.

Nothing else in the services reads ``os.environ``: a newcomer finds every knob here (the
agent, deployed on its own, reads its own: agent/settings.py), and ``make run`` works
with none of them set. Names are the environment variables,
case-insensitive (``REDIS_URL`` → ``redis_url``). Durations carry their unit (``_s``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

GenieFault = Literal["fail", "stall", "expire", "rate_limit", "cancel"]


class Settings(BaseSettings):
    # An empty variable means "not set": docker-compose passes every setting as ${NAME:-}.
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", env_ignore_empty=True)

    # --- where things listen (one machine) ---
    host: str = "127.0.0.1"
    api_port: int = 8000
    ui_port: int = 8050
    agent_port: int = 8070
    genie_port: int = 8090
    redis_port: int = 6379

    # --- Redis ---
    redis_url: str = "redis://127.0.0.1:6379/0"
    redis_namespace: str = "iga"
    replay_ttl_s: int = 24 * 3600
    redis_data_dir: Path = Path("data/redis")
    redis_socket_timeout_s: float = 2.0  # a dead Redis answers 503 quickly, never a hang
    redis_connect_timeout_s: float = 1.0

    # --- API ---
    api_url: str = "http://127.0.0.1:8000"
    public_api_url: str | None = None  # the API as browsers reach it (UI websocket); else api_url
    ui_api_timeout_s: float = 10.0  # the Dash server's calls to the API
    # The chat page's key when API_KEYS is set: it signs each browser's session cookie
    # (services/common/sessions.py) and never reaches a browser.
    ui_api_key: SecretStr | None = None
    api_keys: Annotated[list[str], NoDecode] = Field(default_factory=list)
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    max_question_chars: int = 2000
    stream_batch_ms: int = 25  # WS /ws/stream: at most one frame per this many ms
    # With API_KEYS set: POST /questions per key per minute (0: no limit). Open (no keys): none.
    questions_per_minute_per_key: int = Field(default=30, ge=0)
    ws_auth_timeout_s: float = 10.0  # a websocket sending its key as first message has this long
    log_format: Literal["text", "json"] = "text"  # text: key=value pairs; json: one object a line
    max_request_body_bytes: int = Field(default=64 * 1024, ge=1024)  # larger bodies get a 413
    # Host header names the API and the chat page answer to (DNS rebinding): "*.example.com"
    # allowed; empty means the loopback names only.
    allowed_hosts: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Who a caller is: "api-keys" (API_KEYS above; open when empty), or "databricks-apps":
    # the Apps proxy's X-Forwarded-Email / X-Forwarded-Access-Token and nothing else
    # (services/api/forwarded_identity.py). Only behind that proxy: anyone reaching the
    # port directly could claim any email.
    auth_mode: Literal["api-keys", "databricks-apps"] = "api-keys"
    # Set by Databricks Apps: the one port the app container serves (`inventory-agent app`).
    databricks_app_port: int | None = None
    app_workers: int = Field(default=2, ge=1)  # arq workers `inventory-agent app` runs

    # --- worker (arq) ---
    job_timeout_s: int = 900
    max_tries: int = 3
    # A running job's claim (arq's in-progress key) lives this long and its worker renews
    # it every third of that: a killed worker's question runs again within this.
    job_lease_s: float = Field(default=30.0, ge=1.0)
    max_jobs: int = 10
    queue_poll_delay_s: float = 0.01

    # --- agent endpoint the worker streams ---
    agent_url: str | None = None  # e.g. http://127.0.0.1:8070 (the local serve-agent)
    agent_endpoint_name: str | None = None  # a Databricks Model Serving endpoint
    agent_model: str = "inventory_genie_agent"
    agent_connect_timeout_s: float = 5.0
    agent_read_timeout_s: float = 120.0  # longest silence allowed between two agent events
    agent_retry_defer_s: float = 2.0  # first retry delay when the agent endpoint fails
    # The agent server's bearer token (the worker sends it); required off loopback.
    agent_token: SecretStr | None = None
    followup_poll_s: float = 0.2  # how often a follow-up checks the question before it
    followup_max_wait_s: float = 600.0  # then it runs anyway (Genie may see it out of order)

    # --- Genie (Databricks, or the local stand-in); how the agent asks it: agent/settings.py ---
    genie_space_id: str = "inventory"
    databricks_host: str | None = None
    databricks_token: SecretStr | None = None
    databricks_config_profile: str | None = None
    # Genie's per-workspace limit on new questions, shared by every worker through Redis
    # (only conversation/message starts count; polling is free): at most
    # genie_rate_limit_per_min starts in any genie_rate_window_s (a minute; tests shorten
    # it), counted over a window genie_rate_margin longer (0.05: 63 s for 60 s) to absorb
    # the time from a worker's turn to Genie seeing the start. Within that, a token bucket
    # spreads the starts out, holding at most genie_rate_burst unused.
    genie_rate_limit_per_min: int = Field(default=5, ge=1)
    genie_rate_window_s: float = Field(default=60.0, gt=0)
    genie_rate_margin: float = Field(default=0.05, ge=0)
    genie_rate_burst: int = Field(default=1, ge=1)
    # how often a waiting question's place is re-checked and shown: in Genie's line by its
    # own job, in arq's queue (no worker free) by one worker's backlog ticker
    genie_queue_update_s: float = 1.0
    # Identical first questions (same normalised text) within this share one Genie call.
    answer_cache_ttl_s: int = Field(default=120, ge=0)  # 0 turns the cache off
    # How long a rating waits for Genie to take it before the user is told it was only
    # saved: a slow or unreachable Genie must not hold the page's thumbs-up.
    genie_feedback_timeout_s: float = Field(default=10.0, gt=0)
    # Set by Databricks Model Serving: Genie is the workspace's even with no DATABRICKS_HOST.
    is_in_db_model_serving_env: bool = Field(
        default=False,
        validation_alias=AliasChoices(
            "IS_IN_DB_MODEL_SERVING_ENV", "IS_IN_DATABRICKS_MODEL_SERVING_ENV"
        ),
    )

    # --- the local Genie server ---
    local_genie_db: Path = Path("data/inventory.duckdb")
    # How clients reach the local Genie when not on this host (containers: http://genie:8090).
    local_genie_base_url: str | None = None
    local_genie_step_delay_s: float = 0.0
    local_genie_max_conversations: int = 1000
    local_genie_fault: GenieFault | None = None
    local_genie_result_rows: int = 5000
    local_genie_retry_after_s: int = 1  # Retry-After of the rate_limit fault's 429s
    local_genie_token: SecretStr | None = None  # when set, the only bearer token accepted
    # Host names the local Genie answers besides the loopback names and the host of
    # local_genie_base_url (a DNS-rebinding page's requests carry its own name).
    local_genie_allowed_hosts: Annotated[list[str], NoDecode] = Field(default_factory=list)

    # --- optional language-model planner for the local Genie ---
    llm_base_url: str | None = None
    llm_api_key: SecretStr | None = None
    llm_model: str | None = None

    @field_validator(
        "api_keys", "cors_origins", "allowed_hosts", "local_genie_allowed_hosts", mode="before"
    )
    @classmethod
    def _split_commas(cls, value: object) -> object:
        """Lists come from the environment as comma-separated strings."""
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @property
    def genie_is_local(self) -> bool:
        """No Databricks host or profile configured means the local Genie server."""
        return not (
            self.databricks_host
            or self.databricks_config_profile
            or self.is_in_db_model_serving_env
        )

    @property
    def browser_api_url(self) -> str:
        """Browsers may reach the API by another name than the Dash server does."""
        return (self.public_api_url or self.api_url).rstrip("/")

    @property
    def local_genie_url(self) -> str:
        return self.local_genie_base_url or f"http://{self.host}:{self.genie_port}"


@lru_cache
def get_settings() -> Settings:
    return Settings()

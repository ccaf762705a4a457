"""The chat-completions client for the configured language model.

Two ways to reach a model, one client (the official ``openai`` one):

- ``AGENT_LLM_BASE_URL`` + ``AGENT_LLM_MODEL`` (+ ``AGENT_LLM_API_KEY``): any
  OpenAI-compatible chat-completions server;
- ``AGENT_LLM_ENDPOINT``: a Databricks serving endpoint (foundation or external model)
  at ``{host}/serving-endpoints``, the model being the endpoint's name. Requests carry
  the headers databricks-sdk's unified auth produces (``Config.authenticate()``, asked
  on every request so that OAuth tokens refresh; on Model Serving, the credentials it
  injects for the declared endpoint resource). databricks-openai would do the same
  but pins openai<3.

Retries are the loop's business (it has the turn's deadline), so the client makes one.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass

import httpx2
from databricks.sdk.config import Config
from mlflow.models.resources import DatabricksResource, DatabricksServingEndpoint
from openai import DefaultHttpxClient, OpenAI

from agent.settings import AgentSettings

UNUSED_KEY = "unused"  # the openai client insists on a key; the server may not need one


class DatabricksAuth(httpx2.Auth):
    """Sets databricks-sdk's auth headers on every request (replacing the openai key's)."""

    def __init__(self, config: Config) -> None:
        self._config = config

    def auth_flow(self, request: httpx2.Request) -> Generator[httpx2.Request, None, None]:
        request.headers.update(self._config.authenticate())
        yield request


@dataclass(frozen=True)
class ChatModel:
    client: OpenAI
    model: str
    where: str  # said in error messages: the base URL, or the endpoint's name


def databricks_config(settings: AgentSettings) -> Config:
    """The workspace's config: DATABRICKS_HOST/TOKEN, a profile, or Model Serving's own."""
    token = settings.databricks_token
    return Config(
        host=settings.databricks_host,
        token=token.get_secret_value() if token else None,
        profile=settings.databricks_config_profile,
    )


def chat_model(settings: AgentSettings) -> ChatModel:
    """The configured model's client; a Databricks endpoint wins over a base URL."""
    if settings.agent_llm_endpoint:
        config = databricks_config(settings)
        base_url = f"{config.host.rstrip('/')}/serving-endpoints"
        client = OpenAI(
            base_url=base_url,
            api_key=UNUSED_KEY,
            max_retries=0,
            http_client=DefaultHttpxClient(auth=DatabricksAuth(config)),
        )
        where = f"serving endpoint {settings.agent_llm_endpoint!r}"
        return ChatModel(client, settings.agent_llm_endpoint, where)
    if not (settings.agent_llm_base_url and settings.agent_llm_model):
        raise ValueError("no language model configured (AGENT_LLM_ENDPOINT or AGENT_LLM_BASE_URL)")
    key = settings.agent_llm_api_key
    client = OpenAI(
        base_url=settings.agent_llm_base_url,
        api_key=key.get_secret_value() if key else UNUSED_KEY,
        max_retries=0,
    )
    return ChatModel(client, settings.agent_llm_model, settings.agent_llm_base_url)


def llm_resources(settings: AgentSettings) -> list[DatabricksResource]:
    """The serving endpoint of the model, when it is one: Model Serving grants access to it."""
    if not settings.agent_llm_endpoint:
        return []
    return [DatabricksServingEndpoint(endpoint_name=settings.agent_llm_endpoint)]

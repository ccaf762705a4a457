"""What can go wrong talking to the language model, named so the user is told what happened.

The openai client raises its own classes (connection, timeout, HTTP status); each
becomes one ``LLMError`` with the ``error`` event's code and a message a person can act
on. The loop's own limits (the tool-call bound, the turn's deadline) are ``LLMError``s too.
"""

from __future__ import annotations

import openai

from agent.stream_contract import ErrorCode


class LLMError(Exception):
    """A language-model failure, worded for the user."""

    def __init__(self, code: ErrorCode, message: str, retryable: bool) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retryable = retryable


def from_openai(error: openai.OpenAIError, where: str) -> LLMError:
    """Name an openai client error raised while calling the model at ``where``."""
    if isinstance(error, openai.APITimeoutError):
        message = f"The language model at {where} did not answer in time."
        return LLMError(ErrorCode.TIMEOUT, message, True)
    if isinstance(error, openai.APIConnectionError):
        return LLMError(
            ErrorCode.LLM_UNAVAILABLE,
            f"The language model at {where} could not be reached. Is it running, and are "
            "AGENT_LLM_BASE_URL / AGENT_LLM_ENDPOINT right?",
            True,
        )
    if isinstance(error, openai.AuthenticationError | openai.PermissionDeniedError):
        return LLMError(
            ErrorCode.AUTH,
            f"The language model at {where} refused the credentials "
            f"({error.status_code}). Check AGENT_LLM_API_KEY or the Databricks credentials.",
            False,
        )
    if isinstance(error, openai.APIStatusError):
        retryable = error.status_code == 429 or error.status_code >= 500
        return LLMError(
            ErrorCode.LLM_ERROR,
            f"The language model at {where} answered {error.status_code}: {error.message}",
            retryable,
        )
    return LLMError(ErrorCode.LLM_ERROR, f"The language model at {where} failed: {error}", False)

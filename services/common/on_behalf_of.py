"""A user's access token for one job: from the API, with the job, to the agent call — no further.

With ``AUTH_MODE=databricks-apps`` the API enqueues a question's job with the user's
forwarded access token as its ``user_token`` argument, and the worker calls the agent
endpoint with it as the bearer, so the agent (deployed on behalf of the user) runs
Genie as that user and Unity Catalog's permissions hold. Where the token may live:

- in the arq job's own key (``arq:job:<question id>``), which arq deletes when the job
  ends — the worker keeps no job results, since arq's result copies the arguments;
- as a ``SecretStr``: arq logs a job's arguments on start, and this repr is masked;
- in a context variable for the duration of the job, read by the agent client.

Never in the question's record, its replay log, or any log line.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from pydantic import SecretStr

#: the job keyword argument that carries the token
USER_TOKEN_ARG = "user_token"

_JOB_USER_TOKEN: ContextVar[SecretStr | None] = ContextVar("job_user_token", default=None)


def job_token_kwargs(token: SecretStr | None) -> dict[str, SecretStr]:
    """What to add to ``enqueue_job``: nothing when the question runs as the service."""
    return {USER_TOKEN_ARG: token} if token is not None else {}


def current_user_token() -> str | None:
    """The token of the job this task runs, or None (the worker's own credentials)."""
    token = _JOB_USER_TOKEN.get()
    return token.get_secret_value() if token is not None else None


def on_behalf_of_user(
    job: Callable[..., Awaitable[Any]],
) -> Callable[..., Awaitable[Any]]:
    """Wrap an arq job so that it runs with its ``user_token`` argument as the current token."""

    @functools.wraps(job)
    async def run(ctx: dict[str, Any], *args: Any, user_token: SecretStr | None = None) -> Any:
        bound = _JOB_USER_TOKEN.set(user_token)
        try:
            return await job(ctx, *args)
        finally:
            _JOB_USER_TOKEN.reset(bound)

    return run

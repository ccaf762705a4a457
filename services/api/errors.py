"""Turn domain exceptions and bad requests into HTTP answers a person can act on.

Every error body is ``{"detail": "<one sentence>"}``; no stack trace ever reaches a
client. FastAPI's default 422 body (a list of pydantic error dicts) is replaced by a
sentence naming each bad field.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from redis.exceptions import RedisError

from services.api.security import NotAuthenticated, TooManyQuestions
from services.api.submission import QuestionAlreadyFinished
from services.common.questions import ConversationNotFound, QuestionNotFound

logger = logging.getLogger(__name__)

REDIS_DOWN = "the question queue (Redis) is unavailable; try again in a few seconds"


def _detail(code: int, message: str) -> JSONResponse:
    return JSONResponse(status_code=code, content={"detail": message})


def describe_validation_errors(errors: Sequence[Any]) -> str:
    """One readable sentence from pydantic/FastAPI error dicts."""
    parts = []
    for error in errors:
        kind, message = error.get("type", ""), error.get("msg", "invalid")
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query")]
        if kind == "json_invalid":
            parts.append(
                "the request body is not valid JSON: send e.g. "
                '{"question": "Which parts are low on stock?"}'
            )
            continue
        message = message.removeprefix("Value error, ")
        if kind == "model_attributes_type" and not location:
            if isinstance(error.get("input"), bytes | str):  # not parsed: not sent as JSON
                parts.append(
                    "send the body as JSON, with the header Content-Type: "
                    'application/json, e.g. {"question": "…"}'
                )
            else:
                parts.append('the request body must be a JSON object, e.g. {"question": "…"}')
        elif kind == "missing" and not location:
            parts.append('the request needs a JSON body, e.g. {"question": "…"}')
        elif kind == "extra_forbidden":
            parts.append(f"unexpected field {'.'.join(location)!r}")
        elif location:
            parts.append(f"{'.'.join(location)}: {message}")
        else:
            parts.append(message)
    return "; ".join(parts) or "the request is not valid"


async def _validation_error(_: Request, error: RequestValidationError) -> JSONResponse:
    return _detail(
        status.HTTP_422_UNPROCESSABLE_CONTENT, describe_validation_errors(error.errors())
    )


async def _question_not_found(_: Request, error: QuestionNotFound) -> JSONResponse:
    return _detail(
        status.HTTP_404_NOT_FOUND,
        f"no question {error.question_id!r}: it was never asked here or has expired",
    )


async def _conversation_not_found(_: Request, error: ConversationNotFound) -> JSONResponse:
    return _detail(
        status.HTTP_404_NOT_FOUND,
        f"no conversation {error.conversation_id!r}: it has expired or never existed; "
        "send conversation_id null to start a new one",
    )


async def _already_finished(_: Request, error: QuestionAlreadyFinished) -> JSONResponse:
    return _detail(
        status.HTTP_409_CONFLICT,
        f"question {error.question_id!r} has already finished ({error.status}); "
        "there is nothing to cancel",
    )


async def _not_authenticated(_: Request, error: NotAuthenticated) -> JSONResponse:
    return JSONResponse(
        status_code=status.HTTP_401_UNAUTHORIZED,
        content={"detail": str(error)},
        headers={"WWW-Authenticate": "Bearer"},
    )


async def _too_many_questions(_: Request, error: TooManyQuestions) -> JSONResponse:
    return JSONResponse(
        status_code=status.HTTP_429_TOO_MANY_REQUESTS,
        content={
            "detail": f"this API key may ask {error.limit} questions a minute; "
            f"try again in {error.retry_after_s} s"
        },
        headers={"Retry-After": str(error.retry_after_s)},
    )


async def _redis_unavailable(_: Request, error: RedisError) -> JSONResponse:
    logger.warning("Redis error: %s", error)
    return _detail(status.HTTP_503_SERVICE_UNAVAILABLE, REDIS_DOWN)


def register_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(QuestionNotFound, _question_not_found)
    app.add_exception_handler(ConversationNotFound, _conversation_not_found)
    app.add_exception_handler(QuestionAlreadyFinished, _already_finished)
    app.add_exception_handler(RedisError, _redis_unavailable)
    app.add_exception_handler(NotAuthenticated, _not_authenticated)
    app.add_exception_handler(TooManyQuestions, _too_many_questions)

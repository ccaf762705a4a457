"""A user's rating of an answer: kept on the question and passed on to Genie.

Genie uses the rating to improve the space (Databricks shows it to the space's
authors), so it goes to the Genie message that produced the answer, whose ids the
worker recorded on the question. The SDK call is blocking, so it runs in a thread, for at
most ``GENIE_FEEDBACK_TIMEOUT_S``; a Genie that refuses, hangs or cannot be reached does
not lose the rating, which is stored first.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Literal

from services.common.questions import QuestionRecord, QuestionStore
from services.common.settings import Settings

if TYPE_CHECKING:
    from databricks.sdk import WorkspaceClient

logger = logging.getLogger(__name__)

Rating = Literal["positive", "negative"]


class GenieFeedback:
    """Sends ratings to Genie through the services' WorkspaceClient."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._client: WorkspaceClient | None = None

    @property
    def timeout_s(self) -> float:
        return self._settings.genie_feedback_timeout_s

    def _workspace(self) -> WorkspaceClient:
        if self._client is None:  # built on first use: databricks-sdk is slow to import
            from services.common.workspace import genie_workspace

            self._client = genie_workspace(self._settings)
        return self._client

    def send(self, record: QuestionRecord, rating: Rating, comment: str | None = None) -> None:
        from databricks.sdk.service.dashboards import GenieFeedbackRating

        self._workspace().genie.send_message_feedback(
            space_id=self._settings.genie_space_id,
            conversation_id=record.genie_conversation_id,
            message_id=record.genie_message_id,
            rating=GenieFeedbackRating(rating.upper()),
            comment=comment,
        )


async def rate_answer(
    store: QuestionStore,
    genie: GenieFeedback,
    question_id: str,
    rating: Rating,
    comment: str | None = None,
) -> tuple[bool, str]:
    """Store the rating (and comment), then forward it; returns (sent to Genie, what happened)."""
    record = await store.get_question(question_id)  # raises QuestionNotFound
    await store.set_feedback(question_id, rating, comment)
    if not (record.genie_conversation_id and record.genie_message_id):
        return False, "saved; not sent to Genie: this question has no Genie answer yet"
    from databricks.sdk.errors import DatabricksError

    try:
        # the SDK call cannot be cancelled: past the timeout it finishes on its own thread
        await asyncio.wait_for(
            asyncio.to_thread(genie.send, record, rating, comment), genie.timeout_s
        )
    except TimeoutError:
        logger.warning("Genie did not take feedback for %s in %g s", question_id, genie.timeout_s)
        return False, f"saved; Genie did not answer within {genie.timeout_s:g} s"
    except (DatabricksError, OSError) as error:
        logger.warning("Genie refused feedback for %s: %s", question_id, error)
        return False, f"saved; Genie did not accept it ({error}): it will not be retried"
    return True, "saved and sent to Genie"

"""Every component id of the chat page, so layout, callbacks and tests agree on one name.

Ids of things that exist once are plain strings. Things that exist once per question are
pattern-matching dicts built by the helpers below, keyed by the question id.
"""

from __future__ import annotations

# --- page-wide components ---
CONVERSATION = "conversation"  # session store: conversation id + the questions asked
RENDERED = "rendered"  # memory store: question ids whose cards are on the page
CONFIG = "config"  # memory store: what the browser needs (websocket base URL)
SOCKET = "socket"  # dash-extensions WebSocket carrying every question's chunks
CHAT = "chat"
WELCOME = "welcome"
NOTICE = "notice"
QUESTION_INPUT = "question-input"
SEND = "send"
NEW_CONVERSATION = "new-conversation"
CLEANUP = "cleanup"  # memory store written by the clientside "new conversation" cleanup
ASK_REQUEST = "ask-request"  # memory store: what a sample, follow-up or retry button asks
HISTORY = "history"  # sidebar: the caller's conversations, newest first
HISTORY_PANEL = "history-panel"  # the sidebar itself (opened by HISTORY_TOGGLE on a phone)
HISTORY_TOGGLE = "history-toggle"
HISTORY_ITEM = "history-item"  # one conversation in it (pattern id keyed by "cid")

# --- per-question component types ---
CARD = "card"
LIVE = "q-live"  # session store: status line, streamed text, last seq (changes every frame)
RESULT = "q-result"  # session store: sql, description, table (what sits above the answer)
OUTCOME = "q-outcome"  # session store: follow-ups, error, end (what sits below it)
STATUS = "q-status"
STATUS_TEXT = "q-status-text"
ANSWER_TEXT = "q-answer-text"
RESULT_TOP = "q-result-top"  # sql, table, chart: above the answer text
RESULT_BOTTOM = "q-result-bottom"  # follow-ups, feedback, download, error: below it
CANCEL = "q-cancel"
DOWNLOAD_BUTTON = "q-download-button"
DOWNLOAD = "q-download"
FEEDBACK_UP = "q-feedback-up"
FEEDBACK_DOWN = "q-feedback-down"
FEEDBACK_NOTE = "q-feedback-note"
FEEDBACK_FORM = "q-feedback-form"  # after a thumbs-down: an optional comment
FEEDBACK_COMMENT = "q-feedback-comment"
FEEDBACK_SEND = "q-feedback-send"

# --- what a button asks: its data-<key> attribute, which the page's click handler (page.js)
# writes to ASK_REQUEST under <key> ---
ASKS = "ask"  # data-ask: the question text to ask
RETRIES = "retry"  # data-retry: the id of the question to ask again


def per_question(kind: str, question_id: str) -> dict[str, str]:
    """The id of one question's component of the given kind."""
    return {"type": kind, "qid": question_id}


def history_item(conversation_id: str) -> dict[str, str]:
    return {"type": HISTORY_ITEM, "cid": conversation_id}

"""Every callback of the chat page, registered by ``register_callbacks(app)``.

Server callbacks do what needs the server: call the API, build the table, chart and CSV.
The stream itself never touches the server: clientside callbacks (assets/stream.js)
apply websocket frames to the per-question stores and redraw the status line.
"""

from __future__ import annotations

import logging
from typing import Any

from dash import (
    ALL,
    MATCH,
    ClientsideFunction,
    Dash,
    Input,
    Output,
    Patch,
    State,
    ctx,
    dcc,
    no_update,
)
from dash.exceptions import PreventUpdate

from services.dash_ui import api_client, cards, ids, layout, tables

logger = logging.getLogger(__name__)


def register_callbacks(app: Dash) -> None:
    _register_asking(app)
    _register_history(app)
    _register_chat(app)
    _register_stream(app)
    _register_answer_actions(app)


def _register_asking(app: Dash) -> None:
    @app.callback(
        Output(ids.CONVERSATION, "data", allow_duplicate=True),
        Output(ids.QUESTION_INPUT, "value"),
        Output(ids.NOTICE, "children", allow_duplicate=True),
        Input(ids.SEND, "n_clicks"),
        Input(ids.QUESTION_INPUT, "n_submit"),
        State(ids.QUESTION_INPUT, "value"),
        State(ids.CONVERSATION, "data"),
        prevent_initial_call=True,
    )
    def ask_typed(
        _send: int, _submit: int, typed: str | None, conversation: dict | None
    ) -> tuple[Any, Any, Any]:
        """Send or Enter asks what is in the box, which empties once the question is in."""
        updated, notice = _ask(typed, conversation or {})
        return updated, no_update if updated is no_update else "", notice

    @app.callback(
        Output(ids.CONVERSATION, "data", allow_duplicate=True),
        Output(ids.NOTICE, "children", allow_duplicate=True),
        Input(ids.ASK_REQUEST, "data"),
        State(ids.CONVERSATION, "data"),
        prevent_initial_call=True,
    )
    def ask_by_button(request: dict | None, conversation: dict | None) -> tuple[Any, Any]:
        """A sample, follow-up or "Try again" button (ask_buttons.py: page.js writes the
        button's data attributes to ``ASK_REQUEST``, keyed without "data-")."""
        request, conversation = request or {}, conversation or {}
        retried = request.get(ids.RETRIES)
        if retried:
            asked = {item["qid"]: item["question"] for item in conversation.get("questions", [])}
            return _ask(asked.get(retried), conversation)
        return _ask(request.get(ids.ASKS), conversation)

    @app.callback(
        Output(ids.CONVERSATION, "data", allow_duplicate=True),
        Output(ids.NOTICE, "children", allow_duplicate=True),
        Input(ids.NEW_CONVERSATION, "n_clicks"),
        prevent_initial_call=True,
    )
    def new_conversation(_clicks: int | None) -> tuple[dict, None]:
        return {}, None

    app.clientside_callback(
        ClientsideFunction("iga", "forgetConversation"),
        Output(ids.CLEANUP, "data"),
        Input(ids.NEW_CONVERSATION, "n_clicks"),
        prevent_initial_call=True,
    )


def _ask(question: str | None, conversation: dict) -> tuple[Any, Any]:
    """Ask ``question`` in ``conversation``: the conversation with it added, or no update
    and a notice saying why not."""
    question = (question or "").strip()
    if not question:
        return no_update, layout.notice("Type a question first, then press Enter.")
    try:
        accepted = api_client.ask(question, conversation.get("conversation_id"))
    except api_client.ApiError as error:
        return no_update, layout.notice(str(error))
    entry = {
        "qid": accepted["question_id"],
        "question": question,
        "position": accepted.get("position"),
    }
    updated = {
        "conversation_id": accepted.get("conversation_id"),
        "questions": [*conversation.get("questions", []), entry],
    }
    return updated, None


def _used_input() -> Any:
    """The id of the input the reader used, or PreventUpdate when none was.

    Dash makes one call for every input that changed in the same moment, so a click on a
    conversation in the history can arrive with the list's redraw (``n_clicks`` None),
    in either order: the first trigger is not always the click.
    """
    for trigger in ctx.triggered:
        if trigger["value"]:
            return ctx.triggered_prop_ids[trigger["prop_id"]]
    raise PreventUpdate  # buttons appeared or vanished; nobody clicked


def _register_history(app: Dash) -> None:
    @app.callback(
        Output(ids.HISTORY, "children"),
        Input(ids.CONVERSATION, "data"),
    )
    def show_history(conversation: dict | None) -> list:
        """Redrawn when this tab asks or switches: the caller's conversations, newest first."""
        try:
            listed = api_client.conversations()
        except api_client.ApiError as error:
            return [cards.history_note(f"History unavailable: {error}")]
        return cards.history_list(listed, (conversation or {}).get("conversation_id"))

    @app.callback(
        Output(ids.CONVERSATION, "data", allow_duplicate=True),
        Output(ids.NOTICE, "children", allow_duplicate=True),
        Input(ids.history_item(ALL), "n_clicks"),
        State(ids.CONVERSATION, "data"),
        prevent_initial_call=True,
    )
    def reopen(_clicks: list[int], conversation: dict | None) -> tuple[Any, Any]:
        """Lay the conversation out again; each answer then replays (and, if still running,
        goes on streaming) over the page's socket from the start of its log."""
        conversation_id = _used_input()["cid"]
        if conversation_id == (conversation or {}).get("conversation_id"):
            raise PreventUpdate
        try:
            asked = api_client.conversation_questions(conversation_id)
        except api_client.ApiError as error:
            return no_update, layout.notice(f"Could not open that conversation: {error}")
        questions = [
            {"qid": item["question_id"], "question": item["question"], "position": None}
            for item in asked
        ]
        return {"conversation_id": conversation_id, "questions": questions}, None

    app.clientside_callback(
        ClientsideFunction("igaPage", "toggleHistory"),
        Output(ids.HISTORY_PANEL, "className"),
        Input(ids.HISTORY_TOGGLE, "n_clicks"),
        Input(ids.CONVERSATION, "data"),
        Input(ids.history_item(ALL), "n_clicks"),
        State(ids.HISTORY_PANEL, "className"),
        prevent_initial_call=True,
    )


def _register_chat(app: Dash) -> None:
    @app.callback(
        Output(ids.CHAT, "children"),
        Output(ids.RENDERED, "data"),
        Input(ids.CONVERSATION, "data"),
        State(ids.RENDERED, "data"),
    )
    def render_chat(conversation: dict | None, rendered: list[str] | None) -> tuple[Any, Any]:
        """Append cards for new questions; never redraw a card (its stores would reset)."""
        questions = (conversation or {}).get("questions", [])
        rendered = rendered or []
        qids = [entry["qid"] for entry in questions]
        if set(rendered) - set(qids):
            return [cards.question_card(entry) for entry in questions], qids
        missing = [entry for entry in questions if entry["qid"] not in rendered]
        if not missing:
            raise PreventUpdate
        chat = Patch()
        chat.extend([cards.question_card(entry) for entry in missing])
        return chat, qids

    app.clientside_callback(
        ClientsideFunction("iga", "toggleWelcome"),
        Output(ids.WELCOME, "style"),
        Input(ids.CONVERSATION, "data"),
    )


def _register_stream(app: Dash) -> None:
    lives = State(ids.per_question(ids.LIVE, ALL), "data")
    config = State(ids.CONFIG, "data")
    url = Output(ids.SOCKET, "url", allow_duplicate=True)
    app.clientside_callback(
        ClientsideFunction("iga", "onFrame"),
        Output(ids.per_question(ids.LIVE, ALL), "data"),
        Output(ids.per_question(ids.RESULT, ALL), "data"),
        Output(ids.per_question(ids.OUTCOME, ALL), "data"),
        url,
        Input(ids.SOCKET, "message"),
        lives,
        State(ids.per_question(ids.RESULT, ALL), "data"),
        State(ids.per_question(ids.OUTCOME, ALL), "data"),
        config,
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("iga", "onRendered"),
        url,
        Input(ids.RENDERED, "data"),
        lives,
        config,
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("iga", "onSocketState"),
        url,
        Input(ids.SOCKET, "state"),
        lives,
        config,
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("iga", "renderStatus"),
        Output(ids.per_question(ids.STATUS_TEXT, MATCH), "children"),
        Output(ids.per_question(ids.STATUS, MATCH), "className"),
        Output(ids.per_question(ids.CANCEL, MATCH), "style"),
        Output(ids.per_question(ids.ANSWER_TEXT, MATCH), "children"),
        Input(ids.per_question(ids.LIVE, MATCH), "data"),
    )

    @app.callback(
        Output(ids.per_question(ids.RESULT_TOP, MATCH), "children"),
        Input(ids.per_question(ids.RESULT, MATCH), "data"),
    )
    def render_result(result: dict | None) -> list:
        """Redrawn only when the SQL or the table changes, so sorting and paging survive."""
        return cards.result_top(ctx.outputs_list["id"]["qid"], result or {})

    @app.callback(
        Output(ids.per_question(ids.RESULT_BOTTOM, MATCH), "children"),
        Input(ids.per_question(ids.OUTCOME, MATCH), "data"),
    )
    def render_outcome(outcome: dict | None) -> list:
        return cards.result_bottom(ctx.outputs_list["id"]["qid"], outcome or {})


def _register_answer_actions(app: Dash) -> None:
    @app.callback(
        Output(ids.per_question(ids.CANCEL, MATCH), "children"),
        Output(ids.per_question(ids.CANCEL, MATCH), "disabled"),
        Input(ids.per_question(ids.CANCEL, MATCH), "n_clicks"),
        prevent_initial_call=True,
    )
    def cancel(clicks: int) -> tuple[str, bool]:
        if not clicks:
            raise PreventUpdate
        try:
            api_client.cancel(ctx.triggered_id["qid"])
        except api_client.ApiError as error:
            return f"Could not cancel: {error}", False
        return "Cancelling…", True

    @app.callback(
        Output(ids.per_question(ids.FEEDBACK_NOTE, MATCH), "children"),
        Output(ids.per_question(ids.FEEDBACK_UP, MATCH), "disabled"),
        Output(ids.per_question(ids.FEEDBACK_DOWN, MATCH), "disabled"),
        Output(ids.per_question(ids.FEEDBACK_FORM, MATCH), "style"),
        Input(ids.per_question(ids.FEEDBACK_UP, MATCH), "n_clicks"),
        Input(ids.per_question(ids.FEEDBACK_DOWN, MATCH), "n_clicks"),
        prevent_initial_call=True,
    )
    def feedback(up: int, down: int) -> tuple[str, bool, bool, Any]:
        """The rating is saved at once; a thumbs-down then offers an optional comment."""
        if not (up or down):
            raise PreventUpdate
        trigger = ctx.triggered_id
        rating = "positive" if trigger["type"] == ids.FEEDBACK_UP else "negative"
        try:
            api_client.send_feedback(trigger["qid"], rating)
        except api_client.ApiError as error:
            return f"Feedback not saved: {error}", False, False, no_update
        if rating == "negative":
            return "Thanks, noted. What was wrong?", True, True, {}
        return "Thanks, noted.", True, True, no_update

    @app.callback(
        Output(ids.per_question(ids.FEEDBACK_SEND, MATCH), "children"),
        Output(ids.per_question(ids.FEEDBACK_SEND, MATCH), "disabled"),
        Output(ids.per_question(ids.FEEDBACK_COMMENT, MATCH), "disabled"),
        Input(ids.per_question(ids.FEEDBACK_SEND, MATCH), "n_clicks"),
        State(ids.per_question(ids.FEEDBACK_COMMENT, MATCH), "value"),
        prevent_initial_call=True,
    )
    def feedback_comment(clicks: int, comment: str | None) -> tuple[str, bool, bool]:
        if not clicks:
            raise PreventUpdate
        comment = (comment or "").strip()
        if not comment:
            return "Type what was wrong first", False, False
        try:
            sent = api_client.send_feedback(ctx.triggered_id["qid"], "negative", comment)
        except api_client.ApiError as error:
            return f"Not sent ({error}): try again", False, False
        return ("Comment sent to Genie ✓" if sent else "Comment saved ✓"), True, True

    @app.callback(
        Output(ids.per_question(ids.DOWNLOAD, MATCH), "data"),
        Input(ids.per_question(ids.DOWNLOAD_BUTTON, MATCH), "n_clicks"),
        State(ids.per_question(ids.RESULT, MATCH), "data"),
        prevent_initial_call=True,
    )
    def download_csv(clicks: int, result: dict | None) -> dict:
        table = (result or {}).get("table")
        if not clicks or not table:
            raise PreventUpdate
        frame = tables.to_frame(table)
        return dcc.send_data_frame(frame.to_csv, "inventory-answer.csv", index=False)

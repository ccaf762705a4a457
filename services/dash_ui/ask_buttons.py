"""Buttons that ask a question: the samples, the follow-ups and "Try again".

They have no Dash input of their own. A callback with a pattern-matching input over
buttons that come and go is called each time some appear, and Dash drops a call still
waiting or running when the same callback is called again: a press made as another
answer drew its follow-ups was lost, or asked without its card ever showing. So the
button carries what it asks in a data attribute, and one click handler on the page
(assets/page.js) writes that to the ``ASK_REQUEST`` store, which never comes and goes.
"""

from __future__ import annotations

from dash import html

from services.dash_ui import ids


def ask_chip(text: str, size: str = "") -> html.Button:
    """A chip asking ``text`` (a sample or a follow-up; ``size="sm"`` for the smaller)."""
    classes = "btn btn-light iga-chip" + (f" btn-{size}" if size else "")
    return html.Button(text, type="button", className=classes, **{f"data-{ids.ASKS}": text})


def retry_button(question_id: str) -> html.Button:
    """ "Try again": asks the question ``question_id`` asked once more."""
    return html.Button(
        "Try again",
        type="button",
        className="btn btn-outline-danger btn-sm",
        **{f"data-{ids.RETRIES}": question_id},
    )

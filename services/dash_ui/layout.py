"""The page, declared: header, chat, composer and the invisible plumbing (stores, socket).

Nothing here talks to the network or reacts to anything; ``callbacks.py`` does that.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html
from dash_extensions import WebSocket

from services.common.inventory_space import SAMPLE_QUESTIONS
from services.dash_ui import ask_buttons, ids


def page(websocket_base: str) -> html.Div:
    """The page holds no credential: its socket presents the session cookie (sessions.py)."""
    return html.Div(
        [
            _plumbing(websocket_base),
            _header(),
            html.Div(
                [
                    _history(),
                    html.Div(
                        [
                            dbc.Container(
                                [
                                    _welcome(),
                                    html.Div([], id=ids.CHAT, className="iga-chat"),
                                    _notice(),
                                ],
                                className="iga-main",
                            ),
                            _composer(),
                        ],
                        className="iga-column",
                    ),
                ],
                className="iga-body",
            ),
        ],
        className="iga-page",
    )


def _history() -> html.Aside:
    return html.Aside(
        [
            html.H2("History", className="iga-history-heading"),
            html.Nav(id=ids.HISTORY, className="iga-history-list", **{"aria-label": "History"}),
        ],
        id=ids.HISTORY_PANEL,
        className="iga-history",
    )


def _plumbing(websocket_base: str) -> html.Div:
    return html.Div(
        [
            dcc.Store(id=ids.CONVERSATION, storage_type="session"),
            dcc.Store(id=ids.RENDERED, data=[]),
            dcc.Store(id=ids.CLEANUP),
            dcc.Store(id=ids.ASK_REQUEST),
            dcc.Store(id=ids.CONFIG, data={"websocket_base": websocket_base}),
            WebSocket(id=ids.SOCKET),
        ]
    )


def _header() -> html.Header:
    return html.Header(
        dbc.Container(
            [
                html.Div(
                    [
                        html.Span("📦", className="iga-logo", **{"aria-hidden": "true"}),
                        html.Div(
                            [
                                html.H1("Inventory Genie", className="iga-title"),
                                html.Div(
                                    "Stock, demand, suppliers and orders, in plain English.",
                                    className="iga-subtitle",
                                ),
                            ]
                        ),
                    ],
                    className="iga-brand",
                ),
                html.Div(
                    [
                        dbc.Button(
                            "History",
                            id=ids.HISTORY_TOGGLE,
                            color="light",
                            size="sm",
                            className="iga-new iga-history-toggle",
                            n_clicks=0,
                        ),
                        dbc.Button(
                            "New conversation",
                            id=ids.NEW_CONVERSATION,
                            color="light",
                            size="sm",
                            className="iga-new",
                        ),
                    ],
                    className="iga-header-actions",
                ),
            ],
            className="iga-header-inner",
        ),
        className="iga-header",
    )


def _welcome() -> html.Div:
    return html.Div(
        [
            html.H2("What would you like to know?", className="iga-welcome-title"),
            html.P(
                "Answers come from the inventory data: the SQL, the rows and a chart "
                "appear as soon as they exist.",
                className="iga-welcome-text",
            ),
            html.Div(
                [ask_buttons.ask_chip(text) for text in SAMPLE_QUESTIONS],
                className="iga-chips",
            ),
        ],
        id=ids.WELCOME,
        className="iga-welcome",
    )


def _notice() -> html.Div:
    return html.Div(id=ids.NOTICE, className="iga-notice", role="status")


def _composer() -> html.Footer:
    return html.Footer(
        dbc.Container(
            dbc.InputGroup(
                [
                    dbc.Input(
                        id=ids.QUESTION_INPUT,
                        placeholder="Ask a question about the inventory…",
                        type="text",
                        autoComplete="off",
                        autoFocus=True,
                        debounce=False,
                        n_submit=0,
                    ),
                    dbc.Button("Send", id=ids.SEND, color="primary", n_clicks=0),
                ],
                className="iga-composer-group",
            )
        ),
        className="iga-composer",
    )


def notice(message: str, color: str = "warning") -> dbc.Alert:
    """A dismissable message above the composer: text only, never HTML."""
    return dbc.Alert(message, color=color, dismissable=True, className="iga-notice-alert")

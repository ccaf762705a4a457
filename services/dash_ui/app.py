"""Build the Dash app: layout, callbacks and a health route. ``commands.py`` runs it."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Dash

from services.common.settings import get_settings
from services.dash_ui import layout
from services.dash_ui.callbacks import register_callbacks


def websocket_base(api_url: str) -> str:
    """The browser opens the API's websocket at the same host: http → ws, https → wss."""
    return "ws" + api_url.removeprefix("http") if api_url.startswith("http") else api_url


def create_app() -> Dash:
    app = Dash(
        __name__,
        title="Inventory Genie",
        external_stylesheets=[dbc.themes.BOOTSTRAP],
        suppress_callback_exceptions=True,  # per-question components come and go
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.layout = layout.page(websocket_base(get_settings().browser_api_url))
    register_callbacks(app)
    app.server.add_url_rule("/healthz", "healthz", lambda: {"status": "ok"})
    return app

"""Build the Dash app: layout, callbacks, a health route and Bootstrap served locally."""

from __future__ import annotations

from pathlib import Path

import flask_bootstrap
from dash import Dash
from flask import Response, send_from_directory

from services.common.hosts import allowed_hosts, werkzeug_trusted_hosts
from services.common.settings import get_settings
from services.dash_ui import layout
from services.dash_ui.callbacks import register_callbacks
from services.dash_ui.contract_js import CONTRACT_JS_URL, contract_script
from services.dash_ui.sessions import install_sessions

# Bootstrap's CSS from package data: the page must render with no internet (dbc's themes
# point at a CDN).
BOOTSTRAP_DIR = Path(flask_bootstrap.__file__).parent / "static" / "bootstrap5" / "css"
BOOTSTRAP_URL = "/vendor/bootstrap.min.css"


def websocket_base(api_url: str) -> str:
    """The browser opens the API's websocket at the same host: http → ws, https → wss."""
    return "ws" + api_url.removeprefix("http") if api_url.startswith("http") else api_url


def create_app(same_origin_api: bool = False) -> Dash:
    """``same_origin_api``: the API is served on the page's own origin (`inventory-agent
    app`), so the page opens its socket there, whatever name the browser used."""
    app = Dash(
        __name__,
        title="Inventory Genie",
        external_stylesheets=[BOOTSTRAP_URL],
        external_scripts=[CONTRACT_JS_URL],  # the stream contract stream.js reads
        suppress_callback_exceptions=True,  # per-question components come and go
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    settings = get_settings()
    socket_base = "" if same_origin_api else websocket_base(settings.browser_api_url)
    app.layout = layout.page(socket_base)
    register_callbacks(app)
    # A foreign Host header is refused (400) before any route: DNS rebinding.
    app.server.config["TRUSTED_HOSTS"] = werkzeug_trusted_hosts(allowed_hosts(settings))
    key = settings.ui_api_key.get_secret_value() if settings.ui_api_key else None
    install_sessions(app.server, key, secure=settings.browser_api_url.startswith("https"))
    app.server.add_url_rule("/healthz", "healthz", lambda: {"status": "ok"})
    app.server.add_url_rule(
        BOOTSTRAP_URL, "bootstrap", lambda: send_from_directory(BOOTSTRAP_DIR, "bootstrap.min.css")
    )
    script = contract_script()
    app.server.add_url_rule(
        CONTRACT_JS_URL, "contract", lambda: Response(script, mimetype="text/javascript")
    )
    return app

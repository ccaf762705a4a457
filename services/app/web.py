"""One ASGI app on one port: the question API in front, the Dash chat page behind it.

A Databricks App exposes a single port, so the browser must reach the page, the REST
routes and the websockets at the same origin. The FastAPI app answers its own paths
first and hands every other path to Dash (a Flask WSGI app) mounted at ``/``:

| paths | served by |
|---|---|
| ``/questions…``, ``/conversations…``, ``/ws/…`` (websockets) | the API |
| ``/healthz``, ``/readyz``, ``/metrics``, ``/docs``, ``/openapi.json`` | the API |
| everything else: ``/`` (the page), ``/_dash-…``, ``/assets/…``, ``/vendor/…`` | Dash |

The page's socket then opens ``wss://<the app's host>/ws/stream`` (same origin), and
its server-side calls (ask, cancel, rate) go to the API on the loopback port.
"""

from __future__ import annotations

import warnings

from fastapi import FastAPI
from starlette.exceptions import StarletteDeprecationWarning

from services.api.main import create_app
from services.common.settings import Settings
from services.dash_ui.app import create_app as create_dash_app

with warnings.catch_warnings():
    # Starlette's WSGI bridge is deprecated in favour of a2wsgi, which the lock does not
    # hold yet; it still serves Dash (plain request/response) correctly.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.middleware.wsgi import WSGIMiddleware


def create_web_app(settings: Settings) -> FastAPI:
    app = create_app(settings)
    page = create_dash_app(same_origin_api=True)
    app.mount("/", WSGIMiddleware(page.server))
    return app

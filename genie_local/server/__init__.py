"""The local Genie Conversation API: Databricks' Genie REST paths, served over DuckDB.

``build_service(db_path, settings)`` wires the space; ``create_app(service)`` serves it.
databricks-sdk's ``WorkspaceClient().genie`` talks to it unchanged.
"""

from genie_local.server.app import create_app
from genie_local.server.service import GenieService, build_service

__all__ = ["GenieService", "build_service", "create_app"]

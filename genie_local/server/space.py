"""The one Genie space this server hosts: the inventory space of INVENTORY_SPACE.md."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from genie_local.sql_guard import SPACE_TABLES
from services.common.inventory_space import SAMPLE_QUESTIONS

TITLE = "Inventory"
DESCRIPTION = (
    "Auto-parts inventory across 8 distribution centers, as of 2026-06-30: stock levels, "
    "daily demand, suppliers and purchase orders. Ask about low stock, reorders, "
    "inventory value, overdue orders, late suppliers and demand trends."
)
LOCAL_WAREHOUSE_ID = "local-duckdb"


@dataclass(frozen=True)
class Space:
    space_id: str

    def as_dict(self, include_serialized_space: bool = False) -> dict[str, Any]:
        """The ``GenieSpace`` JSON; the serialized form lists tables and sample questions."""
        body: dict[str, Any] = {
            "space_id": self.space_id,
            "title": TITLE,
            "description": DESCRIPTION,
            "warehouse_id": LOCAL_WAREHOUSE_ID,
        }
        if include_serialized_space:
            body["serialized_space"] = json.dumps(
                {
                    "version": 1,
                    "config": {
                        "sample_questions": [
                            {"id": f"{i:032x}", "question": [q]}
                            for i, q in enumerate(SAMPLE_QUESTIONS, 1)
                        ]
                    },
                    "data_sources": {
                        "tables": [{"identifier": f"main.{t}"} for t in sorted(SPACE_TABLES)]
                    },
                }
            )
        return body

"""Query results in the Statement Execution API's shape, as Genie returns them.

Databricks sends a ``statement_response``: a manifest whose schema names each column's
Spark type (``type_name`` from a fixed set, ``type_text`` as SQL spells it), and a
``data_array`` in which every cell is a string and NULL is JSON null. DuckDB's types are
translated to the nearest Spark type so that clients written for Databricks read the
local results unchanged.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any

from genie_local.database import Column, QueryResult

_DECIMAL = re.compile(r"DECIMAL\((\d+),\s*(\d+)\)")

# DuckDB type → (Spark type_name, Spark type_text)
_SIMPLE_TYPES: dict[str, tuple[str, str]] = {
    "VARCHAR": ("STRING", "STRING"),
    "BOOLEAN": ("BOOLEAN", "BOOLEAN"),
    "TINYINT": ("BYTE", "TINYINT"),
    "SMALLINT": ("SHORT", "SMALLINT"),
    "INTEGER": ("INT", "INT"),
    "BIGINT": ("LONG", "BIGINT"),
    "HUGEINT": ("LONG", "BIGINT"),  # DuckDB's SUM of integers; Spark's is BIGINT
    "UTINYINT": ("SHORT", "SMALLINT"),
    "USMALLINT": ("INT", "INT"),
    "UINTEGER": ("LONG", "BIGINT"),
    "UBIGINT": ("LONG", "BIGINT"),
    "FLOAT": ("FLOAT", "FLOAT"),
    "DOUBLE": ("DOUBLE", "DOUBLE"),
    "DATE": ("DATE", "DATE"),
    "TIMESTAMP": ("TIMESTAMP", "TIMESTAMP"),
    "TIMESTAMP WITH TIME ZONE": ("TIMESTAMP", "TIMESTAMP"),
    "TIME": ("STRING", "STRING"),  # Spark has no TIME type
    "INTERVAL": ("INTERVAL", "INTERVAL"),
}


def column_info(column: Column, position: int) -> dict[str, Any]:
    """One ``manifest.schema.columns`` entry for a DuckDB column."""
    info: dict[str, Any] = {"name": column.name, "position": position}
    decimal = _DECIMAL.fullmatch(column.type)
    if decimal:
        precision, scale = (int(part) for part in decimal.groups())
        info |= {
            "type_name": "DECIMAL",
            "type_text": f"DECIMAL({precision},{scale})",
            "type_precision": precision,
            "type_scale": scale,
        }
    elif column.type in _SIMPLE_TYPES:
        info["type_name"], info["type_text"] = _SIMPLE_TYPES[column.type]
    elif column.type.endswith("[]"):
        info |= {"type_name": "ARRAY", "type_text": "ARRAY"}
    elif column.type.startswith(("STRUCT", "MAP")):
        kind = column.type.split("(", 1)[0]
        info |= {"type_name": kind, "type_text": kind}
    else:
        info |= {"type_name": "STRING", "type_text": "STRING"}
    return info


def cell(value: Any) -> str | None:
    """A cell as Databricks' JSON_ARRAY format writes it: a string, or null."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal | int | float | str):
        return str(value)
    if isinstance(value, dt.datetime):
        text = value.isoformat(timespec="milliseconds")
        return text if value.tzinfo else f"{text}Z"
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list | dict | tuple):
        return json.dumps(value, default=str)
    return str(value)


def succeeded(statement_id: str, result: QueryResult) -> dict[str, Any]:
    """A finished statement with all its rows in one chunk."""
    rows = [[cell(value) for value in row] for row in result.rows]
    return {
        "statement_id": statement_id,
        "status": {"state": "SUCCEEDED"},
        "manifest": {
            "format": "JSON_ARRAY",
            "schema": {
                "column_count": len(result.columns),
                "columns": [column_info(c, i) for i, c in enumerate(result.columns)],
            },
            "total_chunk_count": 1,
            "chunks": [{"chunk_index": 0, "row_offset": 0, "row_count": len(rows)}],
            "total_row_count": len(rows),
            "truncated": result.truncated,
        },
        "result": {"chunk_index": 0, "row_offset": 0, "row_count": len(rows), "data_array": rows},
    }


def running(statement_id: str) -> dict[str, Any]:
    """A statement still executing: no manifest or rows yet."""
    return {"statement_id": statement_id, "status": {"state": "RUNNING"}}


def closed(statement_id: str) -> dict[str, Any]:
    """An expired result: the statement succeeded once but its rows are gone.

    The Statement Execution API reports this state as CLOSED; Genie's message then shows
    QUERY_RESULT_EXPIRED and the client re-runs the query with execute-query.
    """
    return {
        "statement_id": statement_id,
        "status": {
            "state": "CLOSED",
            "error": {
                "message": "The query result has expired. Re-run the query with "
                "execute_message_attachment_query to get a fresh result."
            },
        },
    }


def failed(statement_id: str, message: str) -> dict[str, Any]:
    return {
        "statement_id": statement_id,
        "status": {"state": "FAILED", "error": {"error_code": "BAD_REQUEST", "message": message}},
    }

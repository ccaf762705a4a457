"""Turn a ``table`` chunk into a typed DataFrame.

Genie sends every cell as a string; sorting, charts and CSV need numbers and dates, so the
column types Genie reports (Databricks or DuckDB spellings) decide the conversion.
"""

from __future__ import annotations

import re
from typing import Any, Literal

import pandas as pd

Kind = Literal["number", "date", "category"]

_DATE_PREFIXES = ("DATE", "TIMESTAMP")
_INTEGER_PREFIXES = ("INT", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER",
                     "USMALLINT", "UTINYINT", "LONG", "SHORT", "BYTE")  # fmt: skip
_DECIMAL_SCALE = re.compile(r"^(?:DECIMAL|NUMERIC)\s*\(\s*\d+\s*,\s*(\d+)\s*\)")
_NUMBER_PREFIXES = (*_INTEGER_PREFIXES, "DECIMAL", "NUMERIC", "DOUBLE", "FLOAT", "REAL")
#: most decimals a floating-point column is shown with (its values may carry float noise)
MAX_DECIMALS = 4


def column_kind(type_name: str | None) -> Kind:
    name = (type_name or "").strip().upper()
    if name.startswith(_DATE_PREFIXES):
        return "date"
    if name.startswith(_NUMBER_PREFIXES):
        return "number"
    return "category"


def decimals(type_name: str | None, values: list[Any]) -> int:
    """The digits after the point a number column is shown with: the column's precision.

    A DECIMAL(p, s) has its scale s; an integer type none; a floating-point column the
    most any of its values carries (Genie sends them as text), at most MAX_DECIMALS.
    """
    name = (type_name or "").strip().upper()
    if scale := _DECIMAL_SCALE.match(name):
        return int(scale.group(1))
    if name.startswith(_INTEGER_PREFIXES):
        return 0
    places = (len(text.partition(".")[2]) for text in map(str, values) if "." in text)
    return min(max(places, default=0), MAX_DECIMALS)


def column_names(table: dict[str, Any]) -> list[str]:
    return [str(column.get("name", f"column_{i}")) for i, column in enumerate(table["columns"])]


def to_frame(table: dict[str, Any]) -> pd.DataFrame:
    """Rows may be lists (Genie's data_array) or dicts keyed by column name."""
    names = column_names(table)
    rows = table.get("rows") or []
    if rows and isinstance(rows[0], dict):
        frame = pd.DataFrame(rows, columns=names)
    else:
        frame = pd.DataFrame([list(row) for row in rows], columns=names)
    for name, column in zip(names, table["columns"], strict=True):
        kind = column_kind(column.get("type"))
        if kind == "number":
            frame[name] = pd.to_numeric(frame[name], errors="coerce")
        elif kind == "date":
            frame[name] = pd.to_datetime(frame[name], errors="coerce")
    return frame


def number_decimals(table: dict[str, Any]) -> dict[str, int]:
    """Each number column's decimals (see ``decimals``), read from the cells as sent."""
    names = column_names(table)
    rows = table.get("rows") or []
    out = {}
    for i, (name, column) in enumerate(zip(names, table["columns"], strict=True)):
        if column_kind(column.get("type")) != "number":
            continue
        values = [row.get(name) if isinstance(row, dict) else row[i] for row in rows]
        out[name] = decimals(column.get("type"), [v for v in values if v is not None])
    return out


def kinds(table: dict[str, Any]) -> dict[str, Kind]:
    return {
        name: column_kind(column.get("type"))
        for name, column in zip(column_names(table), table["columns"], strict=True)
    }


def to_grid_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """AG Grid wants JSON: dates as ISO text (they still sort right), missing as null."""
    out = frame.copy()
    for name in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[name]):
            out[name] = out[name].dt.strftime("%Y-%m-%d").where(out[name].notna(), None)
    return out.astype(object).where(out.notna(), None).to_dict("records")

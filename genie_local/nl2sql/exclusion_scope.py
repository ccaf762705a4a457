"""Which filters of a NOT EXISTS question belong inside the subquery.

"Warehouses with no open POs from Apex" lists warehouses: Apex does not narrow the
warehouses listed, it narrows the orders that must be absent. So when warehouses or
suppliers are listed, a filter on the other side of the data (what is stocked or
ordered, or where) moves into the NOT EXISTS condition instead of the outer query.
"""

from __future__ import annotations

from genie_local.nl2sql.lexicon import LOCATION_KINDS, PRODUCT_KINDS, SOURCE_KINDS
from genie_local.nl2sql.plan import Intent

_OTHER_SIDE = {
    "warehouse": (*PRODUCT_KINDS, *SOURCE_KINDS),
    "supplier": (*LOCATION_KINDS, *PRODUCT_KINDS),
}
_PART_COLUMN = {"part": "pp.part_id", "category": "pp.category", "supplier": "pp.supplier_id"}
_WAREHOUSE_COLUMN = {"warehouse": "ww.warehouse_id", "state": "ww.state", "region": "ww.region"}


def inner_kinds(intent: Intent, lists_entities: bool) -> tuple[str, ...]:
    """The filter kinds that narrow the absent events rather than the listed entities."""
    if not intent.excludes or not lists_entities:
        return ()
    return tuple(k for k in _OTHER_SIDE.get(intent.subject or "", ()) if k in intent.filters)


def inner_condition(kind: str, values: tuple[str, ...], table: str) -> str:
    """The filter written against the subquery's row ``x``."""
    listed = ", ".join("'" + value.replace("'", "''") + "'" for value in values)
    if kind == "supplier" and table.startswith("purchase_orders"):
        return f"x.supplier_id IN ({listed})"
    if kind in _WAREHOUSE_COLUMN:
        return (
            "x.warehouse_id IN (SELECT ww.warehouse_id FROM warehouses ww "
            f"WHERE {_WAREHOUSE_COLUMN[kind]} IN ({listed}))"
        )
    if kind == "country":
        return (
            "x.part_id IN (SELECT pp.part_id FROM parts pp JOIN suppliers ss "
            f"ON ss.supplier_id = pp.supplier_id WHERE ss.country IN ({listed}))"
        )
    column = _PART_COLUMN[kind]
    return f"x.part_id IN (SELECT pp.part_id FROM parts pp WHERE {column} IN ({listed}))"

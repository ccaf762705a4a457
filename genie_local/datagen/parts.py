"""The ``parts`` table: the catalog times the scale, each part with a supplier and a cost.

Part numbers run variant by variant (the 42 plain names first, then every " Mk2", …),
so ``P-0001`` … ``P-0042`` are the same catalog parts at every scale.
"""

from __future__ import annotations

import duckdb

from genie_local.datagen.reference import CATALOG, CATALOG_SIZE


def part_id_width(scale: int) -> int:
    """Digits in a part number: four as the spec shows, more only when the scale needs it."""
    return max(4, len(str(CATALOG_SIZE * scale)))


def create_parts(connection: duckdb.DuckDBPyConnection, scale: int) -> None:
    """Write ``parts``; suppliers are dealt round-robin so every supplier serves a part.

    Within a category the plain-name parts take the category's suppliers in a seeded
    order, one after another; every category has at least as many catalog names as
    suppliers, so each supplier gets at least one part at any scale. Later variants
    draw their supplier at random from the same list.
    """
    connection.execute(
        "CREATE TEMP TABLE category_suppliers (category VARCHAR, supplier_id VARCHAR)"
    )
    connection.executemany(
        "INSERT INTO category_suppliers VALUES (?, ?)",
        [(category.name, supplier) for category in CATALOG for supplier in category.suppliers],
    )
    connection.execute(
        """
        CREATE TABLE parts (
            part_id VARCHAR PRIMARY KEY,
            name VARCHAR NOT NULL,
            category VARCHAR NOT NULL,
            supplier_id VARCHAR NOT NULL,
            unit_cost DECIMAL(10,2) NOT NULL
        )
        """
    )
    connection.execute(
        """
        INSERT INTO parts
        WITH candidates AS (
            SELECT category, supplier_id,
                   row_number() OVER (
                       PARTITION BY category
                       ORDER BY rnd('supplier-order', category, supplier_id, 0)
                   ) - 1 AS slot,
                   count(*) OVER (PARTITION BY category) AS slots
            FROM category_suppliers
        ),
        variants AS (
            SELECT c.*, v.range::INTEGER AS variant,
                   (v.range - 1) * $catalog_size + c.catalog_no AS part_no
            FROM catalog c, range(1, $scale + 1) v
        ),
        numbered AS (
            SELECT v.*,
                   'P-' || lpad(part_no::VARCHAR, $width, '0') AS part_id,
                   row_number() OVER (PARTITION BY category ORDER BY part_no) - 1 AS position
            FROM variants v
        ),
        dealt AS (
            SELECT n.*,
                   CASE WHEN variant = 1
                        THEN (position + floor(rnd('supplier-offset', category, 0, 0) * 3))::INTEGER
                        ELSE floor(rnd('supplier', part_id, 0, 0) * 1000)::INTEGER
                   END AS draw
            FROM numbered n
        )
        SELECT d.part_id,
               d.name || CASE WHEN d.variant = 1 THEN '' ELSE ' Mk' || d.variant END,
               d.category,
               c.supplier_id,
               greatest(0.01, round(
                   d.typical_cost * CASE WHEN d.variant = 1
                                         THEN 0.9 + 0.2 * rnd('cost', d.part_id, 0, 0)
                                         ELSE 0.75 + 0.7 * rnd('cost', d.part_id, 0, 0) END,
                   2))::DECIMAL(10,2)
        FROM dealt d
        JOIN candidates c ON c.category = d.category AND c.slot = d.draw % c.slots
        ORDER BY d.part_no
        """,
        {"catalog_size": CATALOG_SIZE, "scale": scale, "width": part_id_width(scale)},
    )

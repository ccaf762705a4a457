"""The ``stock_levels`` table: what each warehouse holds of each part, as of the as-of date.

Planning parameters follow the pair's recent demand and its supplier's lead time, the
way a planner would set them: safety stock covers about half the lead time, the reorder
point the lead time on top of that. Each row is then given a stock status and a
quantity inside that status's band, so the definitions in INVENTORY_SPACE.md are met by
construction. The first four rows of every warehouse (in a seeded order) are forced to
out of stock, critical, low and healthy, so every status occurs in every warehouse.
"""

from __future__ import annotations

import duckdb

from genie_local.datagen.reference import AS_OF

# Shares of rows in each status beyond the four forced ones; the rest is healthy.
OUT_OF_STOCK_SHARE = 0.04
CRITICAL_SHARE = 0.06
LOW_SHARE = 0.12


def create_stock_levels(connection: duckdb.DuckDBPyConnection) -> None:
    connection.execute(
        """
        CREATE TABLE stock_levels (
            part_id VARCHAR NOT NULL,
            warehouse_id VARCHAR NOT NULL,
            on_hand_qty INTEGER NOT NULL,
            reserved_qty INTEGER NOT NULL,
            reorder_point INTEGER NOT NULL,
            safety_stock INTEGER NOT NULL,
            reorder_qty INTEGER NOT NULL,
            updated_at TIMESTAMP NOT NULL,
            PRIMARY KEY (part_id, warehouse_id)
        )
        """
    )
    connection.execute(
        """
        INSERT INTO stock_levels
        WITH recent AS (
            SELECT part_id, warehouse_id, sum(qty) AS qty_90
            FROM demand
            WHERE demand_date > $as_of - INTERVAL 90 DAY
            GROUP BY ALL
        ),
        planned AS (
            SELECT p.part_id, p.warehouse_id,
                   coalesce(r.qty_90, 0) / 90.0 AS daily,
                   s.lead_time_days AS lead_time
            FROM demand_profiles p
            JOIN parts USING (part_id)
            JOIN suppliers s USING (supplier_id)
            LEFT JOIN recent r USING (part_id, warehouse_id)
        ),
        parameters AS (
            SELECT part_id, warehouse_id,
                   greatest(1, ceil(daily * lead_time
                       * (0.4 + 0.2 * rnd('safety', part_id, warehouse_id, 0))))::INTEGER
                       AS safety_stock,
                   greatest(1, ceil(daily * lead_time
                       * (0.9 + 0.2 * rnd('reorder-point', part_id, warehouse_id, 0))))::INTEGER
                       AS cycle_stock,
                   (5 * ceil(greatest(5, daily
                       * (20 + 40 * rnd('reorder-qty', part_id, warehouse_id, 0))) / 5))::INTEGER
                       AS reorder_qty,
                   row_number() OVER (
                       PARTITION BY warehouse_id ORDER BY rnd('forced', part_id, warehouse_id, 0)
                   ) AS forced_rank,
                   rnd('status', part_id, warehouse_id, 0) AS status_draw,
                   rnd('level', part_id, warehouse_id, 0) AS level_draw,
                   rnd('reserved', part_id, warehouse_id, 0) AS reserved_draw
            FROM planned
        ),
        statused AS (
            SELECT *,
                   safety_stock + cycle_stock AS reorder_point,
                   CASE forced_rank
                       WHEN 1 THEN 'out' WHEN 2 THEN 'critical'
                       WHEN 3 THEN 'low' WHEN 4 THEN 'healthy'
                       ELSE CASE
                           WHEN status_draw < $out THEN 'out'
                           WHEN status_draw < $out + $critical THEN 'critical'
                           WHEN status_draw < $out + $critical + $low THEN 'low'
                           ELSE 'healthy' END
                   END AS status
            FROM parameters
        ),
        available AS (
            SELECT *,
                   CASE status
                       WHEN 'out' THEN 0
                       WHEN 'critical' THEN floor(level_draw * safety_stock)
                       WHEN 'low' THEN safety_stock + floor(level_draw * cycle_stock)
                       ELSE reorder_point + floor(level_draw * 1.5 * reorder_qty)
                   END::INTEGER AS available_qty
            FROM statused
        ),
        reserved AS (
            SELECT *,
                   CASE
                       WHEN status = 'out' THEN 0
                       -- critical with nothing available: some stock is on hand, all reserved
                       WHEN available_qty = 0 THEN 1 + floor(reserved_draw * 3)
                       ELSE floor(reserved_draw * 0.2 * available_qty)
                   END::INTEGER AS reserved_qty
            FROM available
        )
        SELECT part_id, warehouse_id,
               available_qty + reserved_qty,
               reserved_qty,
               reorder_point,
               safety_stock,
               reorder_qty,
               $as_of::TIMESTAMP + INTERVAL 18 HOUR
                   - to_seconds(
                       floor(rnd('updated', part_id, warehouse_id, 0) * 14 * 86400)::BIGINT
                   )
        FROM reserved
        ORDER BY part_id, warehouse_id
        """,
        {"as_of": AS_OF, "out": OUT_OF_STOCK_SHARE, "critical": CRITICAL_SHARE, "low": LOW_SHARE},
    )

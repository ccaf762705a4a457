"""The ``purchase_orders`` table: two years of replenishment orders with honest outcomes.

Each (part, warehouse) pair orders its reorder quantity about once per cycle (the time
its average demand takes to use that quantity up). Orders are due after roughly the
supplier's lead time; suppliers with a lower quoted on-time rate deliver late more
often. An order whose delivery would fall after the as-of date is still open — overdue
when its expected date has passed — and a few orders are cancelled.
"""

from __future__ import annotations

import duckdb

from genie_local.datagen.reference import AS_OF, DEMAND_START

CANCELLED_SHARE = 0.03
LATENESS_FACTOR = 1.5  # actual misses run above the quoted (1 - on_time_rate)
STRAGGLER_SHARE = 0.2  # of late orders, the ones that are weeks late rather than days
# Orders per warehouse, due in the last 45 days, held back so that every warehouse has
# overdue open orders even at scale 1.
STUCK_PER_WAREHOUSE = 2


def create_purchase_orders(connection: duckdb.DuckDBPyConnection) -> None:
    connection.execute(
        """
        CREATE TABLE purchase_orders (
            po_id VARCHAR PRIMARY KEY,
            part_id VARCHAR NOT NULL,
            supplier_id VARCHAR NOT NULL,
            warehouse_id VARCHAR NOT NULL,
            order_date DATE NOT NULL,
            expected_date DATE NOT NULL,
            received_date DATE,
            qty INTEGER NOT NULL,
            unit_price DECIMAL(10,2) NOT NULL,
            status VARCHAR NOT NULL
        )
        """
    )
    connection.execute(
        """
        INSERT INTO purchase_orders
        WITH usage AS (
            SELECT part_id, warehouse_id, sum(qty) / 730.0 AS daily
            FROM demand
            GROUP BY ALL
        ),
        cycles AS (
            SELECT p.part_id, p.warehouse_id, p.last_sale_date,
                   parts.supplier_id, parts.unit_cost,
                   s.lead_time_days, s.on_time_rate::DOUBLE AS on_time_rate,
                   l.reorder_qty,
                   least(120, greatest(10, round(
                       l.reorder_qty / greatest(coalesce(u.daily, 0), 0.05)
                   )))::INTEGER AS cycle_days
            FROM demand_profiles p
            JOIN parts USING (part_id)
            JOIN suppliers s USING (supplier_id)
            JOIN stock_levels l USING (part_id, warehouse_id)
            LEFT JOIN usage u USING (part_id, warehouse_id)
        ),
        orders AS (
            SELECT *, unnest(range(0, 730 // cycle_days + 1))::INTEGER AS cycle
            FROM cycles
        ),
        dated AS (
            SELECT *,
                   $start::DATE
                   + floor(rnd('first-order', part_id, warehouse_id, 0) * cycle_days)::INTEGER
                   + cycle * cycle_days
                   + floor(rnd('order-jitter', part_id, warehouse_id, cycle) * 5)::INTEGER - 2
                       AS order_date
            FROM orders
        ),
        kept AS (
            SELECT *,
                   order_date + greatest(1, lead_time_days - 2
                       + floor(rnd('lead', part_id, warehouse_id, cycle) * 5)::INTEGER)
                       AS expected_date
            FROM dated
            WHERE order_date BETWEEN $start AND least($as_of, coalesce(last_sale_date, $as_of))
        ),
        stuck AS (
            SELECT *,
                   expected_date BETWEEN $as_of - 45 AND $as_of - 1
                   AND row_number() OVER (
                       PARTITION BY warehouse_id, expected_date BETWEEN $as_of - 45 AND $as_of - 1
                       ORDER BY rnd('stuck', part_id, warehouse_id, cycle)
                   ) <= $stuck_per_warehouse AS stuck
            FROM kept
        ),
        outcomes AS (
            SELECT *,
                   NOT stuck AND rnd('cancel', part_id, warehouse_id, cycle) < $cancelled
                       AS cancelled,
                   CASE
                       WHEN stuck THEN NULL  -- not delivered yet: open and overdue
                       WHEN rnd('late', part_id, warehouse_id, cycle)
                            < $lateness * (1 - on_time_rate)
                       THEN expected_date + CASE
                           WHEN rnd('straggler', part_id, warehouse_id, cycle) < $straggler
                           THEN 15 + floor(rnd('late-by', part_id, warehouse_id, cycle) * 45)
                           ELSE 1 + floor(rnd('late-by', part_id, warehouse_id, cycle)
                                          * (3 + lead_time_days / 4))
                           END::INTEGER
                       ELSE greatest(order_date + 1, expected_date
                           - floor(rnd('early-by', part_id, warehouse_id, cycle) * 3)::INTEGER)
                   END AS delivery_date
            FROM stuck
        )
        SELECT 'PO-' || lpad(
                   (row_number() OVER (ORDER BY order_date, part_id, warehouse_id))::VARCHAR,
                   greatest(6, length((count(*) OVER ())::VARCHAR))::INTEGER, '0'),
               part_id, supplier_id, warehouse_id, order_date, expected_date,
               CASE WHEN NOT cancelled AND delivery_date <= $as_of THEN delivery_date END,
               greatest(1, round(reorder_qty
                   * (0.8 + 0.4 * rnd('po-qty', part_id, warehouse_id, cycle))))::INTEGER,
               greatest(0.01, round(unit_cost::DOUBLE
                   * (0.92 + 0.16 * rnd('price', part_id, warehouse_id, cycle)), 2))::DECIMAL(10,2),
               CASE WHEN cancelled THEN 'cancelled'
                    WHEN delivery_date <= $as_of THEN 'received'  -- NULL (stuck) stays open
                    ELSE 'open' END
        FROM outcomes
        ORDER BY order_date, part_id, warehouse_id
        """,
        {
            "start": DEMAND_START,
            "as_of": AS_OF,
            "cancelled": CANCELLED_SHARE,
            "lateness": LATENESS_FACTOR,
            "straggler": STRAGGLER_SHARE,
            "stuck_per_warehouse": STUCK_PER_WAREHOUSE,
        },
    )

"""The ``demand`` table: daily consumption per part and warehouse, with a life of its own.

The expected quantity of a (part, warehouse, day) is the category's base rate, scaled by
the part's popularity and the warehouse's size, with weekly and yearly seasonality and a
trend for a few parts; whether the day sees demand, and how much, is then drawn around
that mean. A few (part, warehouse) pairs stop selling at some date, so "no demand in
the last 90 days" exists too.
"""

from __future__ import annotations

from collections.abc import Iterator

import duckdb

from genie_local.datagen.reference import AS_OF, DEMAND_START

PARTS_PER_CHUNK = 210  # demand rows are written in part-number ranges to bound memory


def create_demand_profiles(connection: duckdb.DuckDBPyConnection) -> None:
    """Fix each (part, warehouse) pair's mean rate, trend and end of sales in a temp table.

    Trending parts are the lowest-ranked tenth by a seeded draw (at least three), so a
    few always exist; half trend up, half down.
    """
    connection.execute(
        """
        CREATE TEMP TABLE demand_profiles AS
        WITH part_traits AS (
            SELECT p.part_id, p.category,
                   c.daily_demand, c.season_amplitude, c.season_peak_day,
                   CASE WHEN p.name LIKE '% Mk%' THEN 0.6 ELSE 1.0 END
                       * exp(0.5 * rnorm('popularity', p.part_id, 0, 0)) AS popularity,
                   row_number() OVER (ORDER BY rnd('trend-pick', p.part_id, 0, 0)) AS trend_rank,
                   count(*) OVER () AS part_count
            FROM parts p
            JOIN (SELECT DISTINCT category, daily_demand, season_amplitude, season_peak_day
                  FROM catalog) c USING (category)
        )
        SELECT t.part_id, w.warehouse_id,
               t.daily_demand * t.popularity * (w.capacity_units / 100000.0)
                   * exp(0.25 * rnorm('warehouse-mix', t.part_id, w.warehouse_id, 0)) AS base_rate,
               t.season_amplitude, t.season_peak_day,
               CASE WHEN t.trend_rank <= greatest(3, t.part_count // 10)
                    THEN (CASE WHEN t.trend_rank % 2 = 0 THEN 1 ELSE -1 END)
                         * (0.4 + 0.5 * rnd('trend-size', t.part_id, 0, 0))
                    ELSE 0.0 END AS trend_per_year,
               CASE WHEN rnd('stops-selling', t.part_id, w.warehouse_id, 0) < 0.03
                    THEN DATE '2025-01-01'
                         + floor(rnd('last-sale', t.part_id, w.warehouse_id, 0) * 450)::INTEGER
                    END AS last_sale_date
        FROM part_traits t CROSS JOIN warehouses w
        """
    )


def demand_chunks(scale_parts: int) -> Iterator[tuple[int, int]]:
    """Part-number ranges [first, last] that the demand table is written in."""
    for first in range(1, scale_parts + 1, PARTS_PER_CHUNK):
        yield first, min(first + PARTS_PER_CHUNK - 1, scale_parts)


def create_demand_table(connection: duckdb.DuckDBPyConnection) -> None:
    """Create the empty table, and the calendar of history days its rows are drawn on."""
    connection.execute(
        """
        CREATE TEMP TABLE demand_days AS
        SELECT range::DATE AS demand_date
        FROM range($start::TIMESTAMP, $as_of::TIMESTAMP + INTERVAL 1 DAY, INTERVAL 1 DAY)
        """,
        {"start": DEMAND_START, "as_of": AS_OF},
    )
    connection.execute(
        """
        CREATE TABLE demand (
            demand_date DATE NOT NULL,
            part_id VARCHAR NOT NULL,
            warehouse_id VARCHAR NOT NULL,
            qty INTEGER NOT NULL
        )
        """
    )


def insert_demand(connection: duckdb.DuckDBPyConnection, first_part: int, last_part: int) -> None:
    """Write the demand of parts numbered ``first_part`` … ``last_part``.

    The chance of any demand on a day is that of a Poisson count with the day's mean
    being positive; given demand, the quantity is the conditional mean with lognormal
    noise. Rows go in (part, warehouse, date) order so the file is the same every time.
    """
    connection.execute(
        """
        INSERT INTO demand
        WITH means AS (
            SELECT d.demand_date, p.part_id, p.warehouse_id,
                   p.base_rate
                   * [1.15, 1.1, 1.1, 1.1, 1.05, 0.55, 0.3][isodow(d.demand_date)]
                   * (1 + p.season_amplitude
                          * cos(2 * pi() * (dayofyear(d.demand_date) - p.season_peak_day) / 365.25))
                   * exp(p.trend_per_year * (d.demand_date - DATE '2025-07-01') / 365.0) AS mean
            FROM demand_profiles p CROSS JOIN demand_days d
            WHERE CAST(substr(p.part_id, 3) AS INTEGER) BETWEEN $first AND $last
              AND d.demand_date <= coalesce(p.last_sale_date, $as_of)
        ),
        drawn AS (
            SELECT *, 1 - exp(-mean) AS p_any
            FROM means
        )
        SELECT demand_date, part_id, warehouse_id,
               greatest(1, round(mean / p_any
                   * exp(0.3 * rnorm('demand-qty', part_id, warehouse_id, demand_date) - 0.045)
               ))::INTEGER AS qty
        FROM drawn
        WHERE rnd('demand-occurs', part_id, warehouse_id, demand_date) < p_any
        ORDER BY part_id, warehouse_id, demand_date
        """,
        {"as_of": AS_OF, "first": first_part, "last": last_part},
    )

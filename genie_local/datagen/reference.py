"""The inventory space's fixed facts: dates, warehouses, suppliers and the part catalog.

These rows are copied verbatim from INVENTORY_SPACE.md, because benchmarks and the
answer-quality evaluation query them by name. The per-category demand profiles and the
typical costs are the generator's own choices that make the data look like a parts
business (fasteners sell by the hundred, radiators a few a week; coolant peaks in
summer, batteries in winter).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

AS_OF = date(2026, 6, 30)
DEMAND_START = date(2024, 7, 1)

WAREHOUSES: tuple[tuple[str, str, str, str, str, int], ...] = (
    ("WH-CHI", "Chicago DC", "Chicago", "IL", "Midwest", 120000),
    ("WH-DAL", "Dallas DC", "Dallas", "TX", "South", 100000),
    ("WH-ATL", "Atlanta DC", "Atlanta", "GA", "South", 90000),
    ("WH-NWK", "Newark DC", "Newark", "NJ", "Northeast", 110000),
    ("WH-BOS", "Boston DC", "Boston", "MA", "Northeast", 60000),
    ("WH-LAX", "Los Angeles DC", "Los Angeles", "CA", "West", 130000),
    ("WH-SEA", "Seattle DC", "Seattle", "WA", "West", 70000),
    ("WH-DEN", "Denver DC", "Denver", "CO", "West", 65000),
)

SUPPLIERS: tuple[tuple[str, str, str, int, float], ...] = (
    ("SUP-01", "Apex Components", "USA", 7, 0.96),
    ("SUP-02", "Borealis Industrial", "Canada", 10, 0.93),
    ("SUP-03", "Cobalt Manufacturing", "Mexico", 14, 0.88),
    ("SUP-04", "Delta Precision", "Germany", 28, 0.95),
    ("SUP-05", "Eastwind Trading", "China", 45, 0.81),
    ("SUP-06", "Fulcrum Parts", "USA", 5, 0.98),
    ("SUP-07", "Granite Supply", "USA", 9, 0.90),
    ("SUP-08", "Helix Electronics", "Taiwan", 35, 0.86),
    ("SUP-09", "Ironclad Fasteners", "India", 40, 0.79),
    ("SUP-10", "Juniper Filtration", "USA", 6, 0.97),
    ("SUP-11", "Kestrel Motors", "Japan", 30, 0.94),
    ("SUP-12", "Lumen Lighting", "South Korea", 32, 0.90),
)


@dataclass(frozen=True)
class Category:
    """How a category's parts behave: who supplies them and how they sell."""

    name: str
    items: tuple[tuple[str, float], ...]  # (catalog name, typical unit cost in USD)
    suppliers: tuple[str, ...]  # supplier ids that plausibly make this category
    daily_demand: float  # mean units per part per day at a 100,000-unit warehouse
    season_amplitude: float  # yearly swing, as a share of the mean
    season_peak_day: int  # day of year at which demand peaks


CATALOG: tuple[Category, ...] = (
    Category(
        "Brakes",
        (
            ("Brake Pad Set", 45.0),
            ("Brake Rotor", 68.0),
            ("Brake Caliper", 95.0),
            ("Brake Line", 18.5),
            ("Brake Fluid 1L", 12.0),
        ),
        ("SUP-04", "SUP-01", "SUP-03"),
        4.0,
        0.10,
        100,
    ),
    Category(
        "Engine",
        (
            ("Spark Plug", 6.5),
            ("Timing Belt", 42.0),
            ("Water Pump", 78.0),
            ("Oil Pump", 120.0),
            ("Engine Gasket Kit", 55.0),
            ("Piston Ring Set", 88.0),
        ),
        ("SUP-11", "SUP-04", "SUP-03"),
        2.5,
        0.08,
        150,
    ),
    Category(
        "Electrical",
        (
            ("Alternator", 185.0),
            ("Starter Motor", 160.0),
            ("Battery 12V", 110.0),
            ("Ignition Coil", 38.0),
            ("Wiring Harness", 64.0),
            ("Fuse Kit", 9.5),
        ),
        ("SUP-08", "SUP-11", "SUP-05"),
        2.0,
        0.30,
        15,
    ),
    Category(
        "Filters",
        (
            ("Oil Filter", 7.0),
            ("Air Filter", 14.0),
            ("Cabin Air Filter", 16.0),
            ("Fuel Filter", 22.0),
            ("Transmission Filter", 28.0),
        ),
        ("SUP-10", "SUP-06"),
        8.0,
        0.15,
        110,
    ),
    Category(
        "Suspension",
        (
            ("Shock Absorber", 72.0),
            ("Strut Assembly", 140.0),
            ("Control Arm", 85.0),
            ("Ball Joint", 34.0),
            ("Coil Spring", 48.0),
            ("Sway Bar Link", 21.0),
        ),
        ("SUP-02", "SUP-07", "SUP-03"),
        1.5,
        0.12,
        90,
    ),
    Category(
        "Fasteners",
        (
            ("Hex Bolt M8", 0.35),
            ("Hex Nut M8", 0.15),
            ("Lock Washer", 0.08),
            ("Wheel Lug Nut", 1.2),
            ("Cotter Pin Pack", 3.5),
        ),
        ("SUP-09", "SUP-07", "SUP-05"),
        24.0,
        0.05,
        120,
    ),
    Category(
        "Lighting",
        (
            ("Headlight Bulb", 15.0),
            ("LED Tail Light", 58.0),
            ("Fog Light", 44.0),
            ("Turn Signal Bulb", 4.5),
        ),
        ("SUP-12", "SUP-05"),
        3.0,
        0.25,
        350,
    ),
    Category(
        "Cooling",
        (
            ("Radiator", 210.0),
            ("Thermostat", 19.0),
            ("Radiator Hose", 16.5),
            ("Cooling Fan", 92.0),
            ("Coolant 5L", 24.0),
        ),
        ("SUP-01", "SUP-06", "SUP-02"),
        1.8,
        0.40,
        196,
    ),
)

CATALOG_SIZE = sum(len(category.items) for category in CATALOG)


def create_reference_tables(connection: duckdb.DuckDBPyConnection) -> None:
    """Write the fixed warehouses and suppliers, plus a catalog table the SQL stages join.

    The catalog lands in a temporary table: it feeds the generator, not the space.
    """
    connection.execute(
        """
        CREATE TABLE warehouses (
            warehouse_id VARCHAR PRIMARY KEY,
            name VARCHAR NOT NULL,
            city VARCHAR NOT NULL,
            state VARCHAR NOT NULL,
            region VARCHAR NOT NULL,
            capacity_units INTEGER NOT NULL
        )
        """
    )
    connection.executemany("INSERT INTO warehouses VALUES (?, ?, ?, ?, ?, ?)", WAREHOUSES)
    connection.execute(
        """
        CREATE TABLE suppliers (
            supplier_id VARCHAR PRIMARY KEY,
            name VARCHAR NOT NULL,
            country VARCHAR NOT NULL,
            lead_time_days INTEGER NOT NULL,
            on_time_rate DECIMAL(3,2) NOT NULL
        )
        """
    )
    connection.executemany("INSERT INTO suppliers VALUES (?, ?, ?, ?, ?)", SUPPLIERS)
    connection.execute(
        """
        CREATE TEMP TABLE catalog (
            catalog_no INTEGER,
            name VARCHAR,
            category VARCHAR,
            typical_cost DOUBLE,
            daily_demand DOUBLE,
            season_amplitude DOUBLE,
            season_peak_day INTEGER
        )
        """
    )
    rows = [
        (
            number,
            name,
            category.name,
            cost,
            category.daily_demand,
            category.season_amplitude,
            category.season_peak_day,
        )
        for number, (category, (name, cost)) in enumerate(
            ((category, item) for category in CATALOG for item in category.items), start=1
        )
    ]
    connection.executemany("INSERT INTO catalog VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

"""The demo-data generator keeps every promise INVENTORY_SPACE.md makes about the data."""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from genie_local.database import connect_read_only
from genie_local.datagen import DataGenerationError, generate
from genie_local.datagen.reference import CATALOG, SUPPLIERS, WAREHOUSES
from harness.processes import CLI

SCHEMA = {
    "warehouses": [
        ("warehouse_id", "VARCHAR"),
        ("name", "VARCHAR"),
        ("city", "VARCHAR"),
        ("state", "VARCHAR"),
        ("region", "VARCHAR"),
        ("capacity_units", "INTEGER"),
    ],
    "suppliers": [
        ("supplier_id", "VARCHAR"),
        ("name", "VARCHAR"),
        ("country", "VARCHAR"),
        ("lead_time_days", "INTEGER"),
        ("on_time_rate", "DECIMAL(3,2)"),
    ],
    "parts": [
        ("part_id", "VARCHAR"),
        ("name", "VARCHAR"),
        ("category", "VARCHAR"),
        ("supplier_id", "VARCHAR"),
        ("unit_cost", "DECIMAL(10,2)"),
    ],
    "stock_levels": [
        ("part_id", "VARCHAR"),
        ("warehouse_id", "VARCHAR"),
        ("on_hand_qty", "INTEGER"),
        ("reserved_qty", "INTEGER"),
        ("reorder_point", "INTEGER"),
        ("safety_stock", "INTEGER"),
        ("reorder_qty", "INTEGER"),
        ("updated_at", "TIMESTAMP"),
    ],
    "demand": [
        ("demand_date", "DATE"),
        ("part_id", "VARCHAR"),
        ("warehouse_id", "VARCHAR"),
        ("qty", "INTEGER"),
    ],
    "purchase_orders": [
        ("po_id", "VARCHAR"),
        ("part_id", "VARCHAR"),
        ("supplier_id", "VARCHAR"),
        ("warehouse_id", "VARCHAR"),
        ("order_date", "DATE"),
        ("expected_date", "DATE"),
        ("received_date", "DATE"),
        ("qty", "INTEGER"),
        ("unit_price", "DECIMAL(10,2)"),
        ("status", "VARCHAR"),
    ],
}

AVAILABLE = "(s.on_hand_qty - s.reserved_qty)"
STATUS_FILTERS = {
    "out of stock": "s.on_hand_qty = 0",
    "critical": f"s.on_hand_qty > 0 AND {AVAILABLE} < s.safety_stock",
    "low": f"{AVAILABLE} >= s.safety_stock AND {AVAILABLE} < s.reorder_point",
    "healthy": f"{AVAILABLE} >= s.reorder_point",
}

# The sample questions of INVENTORY_SPACE.md, in the SQL their definitions give.
SAMPLE_QUESTIONS = {
    "What parts are low stock?": (
        f"SELECT s.part_id, s.warehouse_id FROM stock_levels s WHERE {AVAILABLE} < s.reorder_point"
    ),
    "Which warehouse holds the most inventory value?": (
        "SELECT s.warehouse_id, SUM(s.on_hand_qty * p.unit_cost) FROM stock_levels s "
        "JOIN parts p USING (part_id) GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
    ),
    "Which suppliers deliver late most often?": (
        "SELECT supplier_id, COUNT(*) FROM purchase_orders "
        "WHERE status = 'received' AND received_date > expected_date GROUP BY 1 ORDER BY 2 DESC"
    ),
    "Show monthly demand for Brake Pad Set over the last 12 months.": (
        "SELECT date_trunc('month', d.demand_date), SUM(d.qty) FROM demand d "
        "JOIN parts p USING (part_id) WHERE p.name = 'Brake Pad Set' "
        "AND d.demand_date BETWEEN DATE '2025-07-01' AND DATE '2026-06-30' GROUP BY 1"
    ),
    "What should we reorder in Chicago?": (
        "SELECT s.part_id, s.reorder_qty FROM stock_levels s "
        f"WHERE s.warehouse_id = 'WH-CHI' AND {AVAILABLE} < s.reorder_point"
    ),
    "How many open purchase orders are overdue?": (
        "SELECT COUNT(*) FROM purchase_orders "
        "WHERE status = 'open' AND expected_date < DATE '2026-06-30' HAVING COUNT(*) > 0"
    ),
}


@pytest.fixture(scope="module")
def db(demo_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = connect_read_only(demo_db)
    yield connection
    connection.close()


def rows(db: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return db.execute(sql).fetchall()


def value(db: duckdb.DuckDBPyConnection, sql: str):
    return db.execute(sql).fetchone()[0]


def checksums(path: Path) -> dict[str, str]:
    """A digest of every table's rows in the order a plain SELECT returns them."""
    with connect_read_only(path) as connection:
        return {
            table: hashlib.sha256(
                repr(connection.execute(f"SELECT * FROM {table}").fetchall()).encode()
            ).hexdigest()
            for table in SCHEMA
        }


# --- schema and reference rows ---


def test_every_table_has_the_specified_columns_and_types(db):
    tables = {name for (name,) in rows(db, "SELECT table_name FROM information_schema.tables")}
    assert tables == set(SCHEMA)
    for table, columns in SCHEMA.items():
        described = [(name, type_) for name, type_, *_ in rows(db, f"DESCRIBE {table}")]
        assert described == columns, table


def test_warehouses_and_suppliers_are_the_spec_rows_verbatim(db):
    assert rows(db, "SELECT * FROM warehouses ORDER BY rowid") == list(WAREHOUSES)
    suppliers = rows(db, "SELECT * FROM suppliers ORDER BY rowid")
    assert [(*row[:4], float(row[4])) for row in suppliers] == list(SUPPLIERS)


def test_catalog_order_ids_and_categories(db):
    expected = [
        (f"P-{number:04d}", name, category.name)
        for number, (category, name) in enumerate(
            ((category, name) for category in CATALOG for name, _ in category.items), start=1
        )
    ]
    assert len(expected) == 42
    assert rows(db, "SELECT part_id, name, category FROM parts ORDER BY part_id") == expected
    assert value(db, "SELECT min(unit_cost) FROM parts") > 0


def test_every_supplier_serves_at_least_one_part(db):
    assert value(db, "SELECT count(DISTINCT supplier_id) FROM parts") == 12
    assert value(db, "SELECT count(*) FROM parts JOIN suppliers USING (supplier_id)") == 42


def test_scale_two_adds_mk2_variants_in_the_same_category(tmp_path):
    path = tmp_path / "scale2.duckdb"
    generate(path, scale=2, seed=3, show_progress=False)
    with connect_read_only(path) as connection:
        query = "SELECT part_id, name, category FROM parts ORDER BY 1"
        parts = connection.execute(query).fetchall()
        assert len(parts) == 84
        by_name = {name: (part_id, category) for part_id, name, category in parts}
        for part_id, name, category in parts[:42]:
            assert by_name[f"{name} Mk2"][1] == category
            assert part_id != by_name[f"{name} Mk2"][0]
        assert by_name["Brake Pad Set"][0] == "P-0001"
        assert by_name["Brake Pad Set Mk2"][0] == "P-0043"
        stock_rows = connection.execute("SELECT count(*) FROM stock_levels").fetchone()[0]
        assert stock_rows == 84 * 8


# --- stock levels ---


def test_one_stock_row_per_part_and_warehouse(db):
    assert value(db, "SELECT count(*) FROM stock_levels") == 42 * 8
    assert value(db, "SELECT count(DISTINCT (part_id, warehouse_id)) FROM stock_levels") == 336
    orphans = "SELECT count(*) FROM stock_levels s ANTI JOIN parts USING (part_id)"
    assert value(db, orphans) == 0


@pytest.mark.parametrize("status", STATUS_FILTERS)
def test_each_stock_status_occurs_in_every_warehouse(db, status):
    counts = rows(
        db,
        f"""SELECT w.warehouse_id, count(s.part_id) FROM warehouses w
            LEFT JOIN stock_levels s ON s.warehouse_id = w.warehouse_id AND {STATUS_FILTERS[status]}
            GROUP BY 1""",
    )
    assert len(counts) == 8
    assert all(count > 0 for _, count in counts), counts


def test_healthy_is_the_most_common_status(db):
    healthy = value(db, f"SELECT count(*) FROM stock_levels s WHERE {STATUS_FILTERS['healthy']}")
    assert healthy > 336 / 2


def test_stock_level_invariants(db):
    violations = value(
        db,
        """SELECT count(*) FROM stock_levels WHERE NOT (
               on_hand_qty >= 0 AND reserved_qty >= 0 AND reserved_qty <= on_hand_qty
               AND safety_stock > 0 AND reorder_point > safety_stock AND reorder_qty > 0
               AND updated_at <= TIMESTAMP '2026-06-30 23:59:59')""",
    )
    assert violations == 0


def test_stockout_risk_rows_exist_and_some_pairs_had_no_recent_demand(db):
    at_risk = value(
        db,
        """WITH recent AS (
               SELECT part_id, warehouse_id, sum(qty) / 90.0 AS daily FROM demand
               WHERE demand_date BETWEEN DATE '2026-04-02' AND DATE '2026-06-30' GROUP BY ALL)
           SELECT count(*) FROM stock_levels s JOIN recent r USING (part_id, warehouse_id)
           JOIN parts p USING (part_id) JOIN suppliers u USING (supplier_id)
           WHERE (s.on_hand_qty - s.reserved_qty) / r.daily < u.lead_time_days""",
    )
    assert at_risk > 0
    silent = value(
        db,
        """SELECT count(*) FROM stock_levels s WHERE NOT EXISTS (
               SELECT 1 FROM demand d WHERE d.part_id = s.part_id
               AND d.warehouse_id = s.warehouse_id AND d.demand_date >= DATE '2026-04-02')""",
    )
    assert silent > 0


# --- demand ---


def test_demand_rows_are_in_range_and_positive(db):
    low, high, smallest, pairs = rows(
        db,
        """SELECT min(demand_date), max(demand_date), min(qty), count(DISTINCT part_id)
           FROM demand""",
    )[0]
    assert str(low) == "2024-07-01" and str(high) == "2026-06-30"
    assert smallest > 0 and pairs == 42
    duplicates = """SELECT count(*) - count(DISTINCT (demand_date, part_id, warehouse_id))
                    FROM demand"""
    assert value(db, duplicates) == 0


def test_demand_has_weekly_and_yearly_seasonality_and_category_differences(db):
    weekday, sunday = rows(
        db,
        """SELECT sum(qty) FILTER (isodow(demand_date) = 2),
                  sum(qty) FILTER (isodow(demand_date) = 7)
           FROM demand""",
    )[0]
    assert weekday > 2 * sunday
    july, january = rows(
        db,
        """SELECT sum(qty) FILTER (month(demand_date) = 7), sum(qty) FILTER (month(demand_date) = 1)
           FROM demand JOIN parts USING (part_id) WHERE category = 'Cooling'""",
    )[0]
    assert july > 1.5 * january
    per_category = dict(
        rows(db, "SELECT category, sum(qty) FROM demand JOIN parts USING (part_id) GROUP BY 1")
    )
    assert per_category["Fasteners"] > 5 * per_category["Suspension"]


def test_some_parts_trend_up_and_some_down(db):
    ratios = [
        ratio
        for (ratio,) in rows(
            db,
            """SELECT sum(qty) FILTER (demand_date >= DATE '2025-07-01')
                      / sum(qty) FILTER (demand_date < DATE '2025-07-01')
               FROM demand GROUP BY part_id""",
        )
    ]
    assert any(ratio > 1.3 for ratio in ratios)
    assert any(ratio < 0.77 for ratio in ratios)


# --- purchase orders ---


def test_purchase_order_invariants(db):
    violations = value(
        db,
        """SELECT count(*) FROM purchase_orders o JOIN parts p USING (part_id) WHERE NOT (
               o.supplier_id = p.supplier_id
               AND o.order_date BETWEEN DATE '2024-07-01' AND DATE '2026-06-30'
               AND o.expected_date > o.order_date
               AND o.qty > 0 AND o.unit_price > 0
               AND o.status IN ('open', 'received', 'cancelled')
               AND (o.received_date IS NULL) = (o.status <> 'received')
               AND coalesce(o.received_date <= DATE '2026-06-30', TRUE))""",
    )
    assert violations == 0
    ids = rows(db, "SELECT po_id FROM purchase_orders ORDER BY po_id LIMIT 2")
    assert ids == [("PO-000001",), ("PO-000002",)]


def test_expected_date_is_about_the_suppliers_lead_time(db):
    worst = value(
        db,
        """SELECT max(abs((o.expected_date - o.order_date) - s.lead_time_days))
           FROM purchase_orders o JOIN suppliers s USING (supplier_id)""",
    )
    assert worst <= 3


def test_edge_cases_of_the_purchase_order_definitions_exist(db):
    overdue_per_warehouse = rows(
        db,
        """SELECT w.warehouse_id, count(o.po_id) FROM warehouses w LEFT JOIN purchase_orders o
           ON o.warehouse_id = w.warehouse_id AND o.status = 'open'
           AND o.expected_date < DATE '2026-06-30' GROUP BY 1""",
    )
    assert all(count > 0 for _, count in overdue_per_warehouse), overdue_per_warehouse
    cancelled_2025 = """SELECT count(*) FROM purchase_orders
                        WHERE status = 'cancelled' AND year(order_date) = 2025"""
    assert value(db, cancelled_2025) > 0
    assert value(db, "SELECT count(*) FROM purchase_orders WHERE status = 'open'") > 0


def test_suppliers_with_lower_on_time_rate_are_late_more_often(db):
    late_share = rows(
        db,
        """SELECT s.on_time_rate,
                  avg((o.received_date > o.expected_date)::INTEGER) AS late_share
           FROM purchase_orders o JOIN suppliers s USING (supplier_id)
           WHERE o.status = 'received' GROUP BY s.supplier_id, s.on_time_rate""",
    )
    assert all(share > 0 for _, share in late_share)  # every supplier has late deliveries
    best = [share for rate, share in late_share if rate >= 0.95]
    worst = [share for rate, share in late_share if rate <= 0.86]
    assert max(best) < min(worst)


@pytest.mark.parametrize("question", SAMPLE_QUESTIONS)
def test_sample_questions_have_answers(db, question):
    assert rows(db, SAMPLE_QUESTIONS[question]), question


# --- determinism and the file's life cycle ---


def test_same_seed_gives_identical_data_and_another_seed_differs(demo_db, tmp_path):
    again = tmp_path / "again.duckdb"
    other = tmp_path / "other.duckdb"
    generate(again, seed=7, show_progress=False)
    generate(other, seed=8, show_progress=False)
    reference = checksums(demo_db)
    assert checksums(again) == reference
    changed = checksums(other)
    for table in ("parts", "stock_levels", "demand", "purchase_orders"):
        assert changed[table] != reference[table], table


def test_generation_leaves_only_the_database_behind_and_replaces_an_old_one(tmp_path):
    path = tmp_path / "inventory.duckdb"
    path.write_text("an old, broken file")
    generate(path, seed=1, show_progress=False)
    # ... and the documents index beside it (genie_local/corpus.py)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "inventory.duckdb",
        "inventory_docs.sqlite",
    ]
    with connect_read_only(path) as connection:
        assert connection.execute("SELECT count(*) FROM parts").fetchone()[0] == 42


@pytest.mark.parametrize(
    ("make_args", "message"),
    [
        (lambda tmp: ["--db", str(tmp / "x.duckdb"), "--scale", "0"], "--scale must be 1 or more"),
        (lambda tmp: ["--db", str(tmp / "x.duckdb"), "--seed", str(2**64)], "--seed must fit"),
        (lambda tmp: ["--db", str(tmp)], "is a directory"),
        (lambda tmp: ["--db", str(tmp / "a-file" / "x.duckdb")], "cannot write to"),
    ],
)
def test_bad_arguments_get_one_clear_line_and_leave_nothing(tmp_path, make_args, message):
    (tmp_path / "a-file").write_text("not a directory")
    result = subprocess.run(
        [*CLI, "data", "generate", *make_args(tmp_path)], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_the_library_raises_a_named_error():
    with pytest.raises(DataGenerationError):
        generate(Path("unused.duckdb"), scale=-1)

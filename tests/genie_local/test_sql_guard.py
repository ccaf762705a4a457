"""The SQL guard and the capped read-only connection, attacked the ways the audit tried.

Every statement in ``ATTACKS`` must be refused before DuckDB sees it (the count of
accepted ones is the audit's "hostile SQL accepted", target 0); every statement in
``NEEDED`` is SQL a question about the space may need and must still run. The
connection's own limits are checked on the real demo database.
"""

# ruff: noqa: E501  (one statement a line reads best in a table of SQL)

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from genie_local.database import (
    MEMORY_LIMIT,
    THREADS,
    QueryTimeoutError,
    ReadOnlyDatabase,
    connect_read_only,
)
from genie_local.sql_guard import UnsafeSQLError, validate_readonly

ATTACKS: dict[str, str] = {
    # a table named like a CTE is only that CTE where the CTE is visible
    "cte out of scope": "SELECT * FROM (WITH pg_settings AS (SELECT 1) SELECT * FROM pg_settings) t, pg_settings",
    "cte in a where subquery": "SELECT * FROM parts WHERE EXISTS (WITH duckdb_databases AS (SELECT 1) SELECT 1) AND part_id IN (SELECT path FROM duckdb_databases)",
    "cte before its definition": "WITH b AS (SELECT * FROM sqlite_master), sqlite_master AS (SELECT 1) SELECT * FROM b",
    "cte qualified by schema": "WITH duckdb_settings AS (SELECT 1) SELECT * FROM main.duckdb_settings",
    "cte in a union branch": "SELECT name FROM (WITH pg_settings AS (SELECT 'x' AS name) SELECT name FROM pg_settings) UNION ALL SELECT name FROM pg_settings",
    # catalog views and functions
    "duckdb_databases view": "SELECT * FROM duckdb_databases",
    "duckdb_settings function": "SELECT * FROM duckdb_settings()",
    "duckdb_tables view": "SELECT sql FROM duckdb_tables",
    "sqlite_master": "SELECT sql FROM sqlite_master",
    "sqlite_schema": "SELECT * FROM sqlite_schema",
    "information_schema": "SELECT * FROM information_schema.tables",
    "information_schema columns": "SELECT column_name FROM information_schema.columns",
    "pg_catalog": "SELECT * FROM pg_catalog.pg_class",
    "pg_settings": "SELECT * FROM pg_settings",
    "pg_tables": "SELECT * FROM pg_tables",
    "system catalog": "SELECT * FROM system.main.duckdb_settings",
    "attached catalog": "SELECT * FROM inventory.main.parts",
    "temp schema": "SELECT * FROM temp.main.parts",
    "catalog function in join": "SELECT p.name FROM parts p JOIN (SELECT * FROM duckdb_extensions()) e ON true",
    "catalog function in select": "SELECT (SELECT count(*) FROM duckdb_columns()) FROM parts",
    "pg_typeof": "SELECT pg_typeof(part_id) FROM parts",
    "current_database": "SELECT current_database()",
    "current_schema": "SELECT current_schema()",
    "current_user": "SELECT current_user",
    "typeof": "SELECT typeof(unit_cost) FROM parts",
    "bare current_role": "SELECT current_role",
    "bare user": "SELECT name FROM parts WHERE user IS NOT NULL",
    "bare current_schema": "SELECT current_schema FROM parts",
    # settings, versions and the environment
    "current_setting": "SELECT current_setting('memory_limit')",
    "current_setting quoted": "SELECT \"current_setting\"('threads')",
    "current_setting in a filter": "SELECT * FROM parts WHERE current_setting('threads') IS NOT NULL",
    "version": "SELECT version()",
    "sqlite_version": "SELECT sqlite_version()",
    "getenv": "SELECT getenv('HOME')",
    "getvariable": "SELECT getvariable('x')",
    "which_secret": "SELECT which_secret('s3://b/x', 's3')",
    # reading files and other databases
    "read_csv": "SELECT * FROM read_csv('/etc/passwd')",
    "read_csv_auto": "SELECT * FROM read_csv_auto('/etc/passwd')",
    "read_text": "SELECT * FROM read_text('/etc/passwd')",
    "read_blob": "SELECT content FROM read_blob('/etc/hostname')",
    "read_parquet": "SELECT * FROM read_parquet('x.parquet')",
    "read_json": "SELECT * FROM read_json('x.json')",
    "file path as table": "SELECT * FROM '/etc/passwd'",
    "quoted file path": 'SELECT * FROM "data/inventory.duckdb"',
    "glob": "SELECT * FROM glob('/*')",
    "glob scalar": "SELECT glob('/*')",
    "query function": "SELECT * FROM query('SELECT * FROM duckdb_settings()')",
    "query_table": "SELECT * FROM query_table('duckdb_settings')",
    "sqlite_scan": "SELECT * FROM sqlite_scan('x.db', 't')",
    # writes and session statements
    "copy to": "COPY parts TO '/tmp/stolen.csv'",
    "copy select": "COPY (SELECT * FROM parts) TO '/tmp/stolen.csv'",
    "attach": "ATTACH '/tmp/other.duckdb' AS other",
    "detach": "DETACH inventory",
    "pragma": "PRAGMA database_list",
    "pragma function": "SELECT * FROM pragma_database_list()",
    "set": "SET memory_limit = '100GB'",
    "set variable": "SET VARIABLE x = 1",
    "reset": "RESET memory_limit",
    "install": "INSTALL httpfs",
    "load": "LOAD httpfs",
    "export": "EXPORT DATABASE '/tmp/out'",
    "create table as": "CREATE TABLE x AS SELECT * FROM parts",
    "create macro": "CREATE MACRO m(a) AS a",
    "insert": "INSERT INTO parts VALUES ('P', 'n', 'c', 'S', 1)",
    "update": "UPDATE parts SET unit_cost = 0",
    "delete": "DELETE FROM parts",
    "checkpoint": "CHECKPOINT",
    "use": "USE system",
    "describe": "DESCRIBE parts",
    "summarize": "SUMMARIZE parts",
    "show tables": "SHOW TABLES",
    "explain analyze": "EXPLAIN ANALYZE SELECT * FROM parts",
    "two statements": "SELECT 1; SELECT * FROM duckdb_settings()",
    "select into": "SELECT * INTO stolen FROM parts",
    # memory-hungry and unbounded
    "huge repeat": "SELECT len(repeat('x', 400000000))",
    "repeat as method": "SELECT len('x'.repeat(400000000))",
    "huge range": "SELECT count(*) FROM range(10000000000)",
    "range as list": "SELECT len(range(1000000000))",
    "generate_series": "SELECT * FROM generate_series(1, 10000000000)",
    "list_value": "SELECT list_value(1, 2)",
    "array_agg of a cross join": "SELECT array_agg(a.qty) FROM demand a, demand b",
    "string_agg": "SELECT string_agg(name, ',') FROM parts",
    "lpad": "SELECT lpad('x', 1000000000, 'y')",
    "unnest": "SELECT unnest(range(100000000))",
    "recursive cte": "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT count(*) FROM t",
    "recursive cte doubling": "WITH RECURSIVE t(s) AS (SELECT 'x' UNION ALL SELECT s || s FROM t) SELECT max(length(s)) FROM t",
    "recursive cte nested": "SELECT * FROM (WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 1e12) SELECT n FROM t) x",
    # comments, quoting and unicode tricks
    "comment hides a second statement": "SELECT 1 /* */; SELECT * FROM duckdb_settings() -- ",
    "block comment around a table": "SELECT * FROM /* parts */ duckdb_settings()",
    "line comment then catalog": "SELECT * FROM parts -- \n, pg_settings",
    "dollar quote": "SELECT $$ ' $$ AS a, * FROM pg_settings",
    "unicode escape string": "SELECT * FROM read_text(U&'/etc/passw\\0064')",
    "mixed case function": "SELECT CuRrEnT_SeTtInG('threads')",
    "quoted catalog view": 'SELECT * FROM "duckdb_settings"',
    "cyrillic lookalike table": "SELECT * FROM pаrts",  # the second letter is Cyrillic а
    "zero width space in name": 'SELECT * FROM "parts\u200b"',
    "fullwidth letters": "SELECT * FROM ｐａｒｔｓ",
    "newline in function name": "SELECT current_\nsetting('threads')",
    "lambda": "SELECT list_transform([1, 2], x -> x + 1)",
}

NEEDED: list[str] = [
    "SELECT category, SUM(unit_cost) AS total, COUNT(*) FILTER (WHERE unit_cost > 10) AS dear FROM parts GROUP BY category",
    "WITH a AS (SELECT * FROM parts), b AS (SELECT * FROM a) SELECT COUNT(*) FROM b",
    "WITH parts AS (SELECT * FROM main.parts WHERE unit_cost > 1) SELECT COUNT(*) FROM parts",
    "SELECT part_id, ROW_NUMBER() OVER (PARTITION BY category ORDER BY unit_cost DESC) AS rn, LAG(unit_cost) OVER (ORDER BY part_id) AS prev FROM parts",
    "SELECT DATE_TRUNC('month', demand_date) AS month, SUM(qty) FROM demand WHERE demand_date >= CURRENT_DATE - INTERVAL 90 DAY GROUP BY 1 ORDER BY 1",
    "SELECT EXTRACT(year FROM order_date) AS y, DATE_DIFF('day', order_date, received_date) AS days, date_part('month', order_date) AS m FROM purchase_orders LIMIT 5",
    "SELECT ROUND(AVG(on_time_rate), 2), MEDIAN(lead_time_days), QUANTILE_CONT(lead_time_days, 0.9), STDDEV(lead_time_days) FROM suppliers",
    "SELECT COALESCE(NULLIF(region, ''), 'unknown') AS r, CASE WHEN capacity_units > 100 THEN 'big' ELSE 'small' END AS size, CAST(capacity_units AS DOUBLE) / 2 FROM warehouses",
    "SELECT UPPER(name), LOWER(city), LENGTH(name), CONCAT(city, ', ', state), STRFTIME(CURRENT_DATE, '%Y-%m') FROM warehouses",
    "SELECT p.name FROM parts p WHERE EXISTS (SELECT 1 FROM stock_levels s WHERE s.part_id = p.part_id AND s.on_hand_qty < s.reorder_point)",
    "SELECT name FROM parts UNION SELECT name FROM suppliers",
    "SELECT GREATEST(on_hand_qty - reserved_qty, 0), ABS(on_hand_qty - reorder_point), ARG_MAX(part_id, on_hand_qty) OVER () FROM stock_levels",
]


@pytest.fixture(scope="module")
def db(demo_db: Path) -> ReadOnlyDatabase:
    return ReadOnlyDatabase(demo_db)


@pytest.mark.parametrize("sql", ATTACKS.values(), ids=ATTACKS.keys())
def test_hostile_sql_is_refused_before_it_runs(db: ReadOnlyDatabase, sql: str) -> None:
    with pytest.raises(UnsafeSQLError):
        db.query(sql)


def test_no_hostile_sql_is_accepted() -> None:
    """The audit's figure: hostile statements the guard lets through (target 0)."""
    accepted = []
    for name, sql in ATTACKS.items():
        try:
            validate_readonly(sql)
        except UnsafeSQLError:
            continue
        accepted.append(name)
    assert accepted == []


@pytest.mark.parametrize("sql", NEEDED)
def test_sql_the_space_needs_still_runs(db: ReadOnlyDatabase, sql: str) -> None:
    assert db.query(sql).columns


def test_what_runs_is_what_was_checked() -> None:
    """Comments are dropped: nothing DuckDB might read differently reaches it."""
    checked = validate_readonly("SELECT part_id /* ; DROP TABLE parts */ FROM parts -- x")
    assert checked == "SELECT part_id FROM parts"


def test_refusals_name_the_function(db: ReadOnlyDatabase) -> None:
    with pytest.raises(UnsafeSQLError, match=r"current_setting\(\) is not allowed"):
        db.query("SELECT current_setting('threads')")


def test_the_connection_is_capped_and_locked(db: ReadOnlyDatabase, demo_db: Path) -> None:
    connection = connect_read_only(demo_db)  # the same instance as ``db``'s: same settings
    settings = dict(
        connection.execute(
            "SELECT name, value FROM duckdb_settings() WHERE name IN "
            "('memory_limit', 'threads', 'lock_configuration', 'enable_external_access')"
        ).fetchall()
    )
    assert settings["threads"] == str(THREADS)
    assert settings["memory_limit"].endswith("MiB")  # 1GB reads back as 953.6 MiB
    assert float(settings["memory_limit"].split()[0]) <= 1024 and MEMORY_LIMIT == "1GB"
    assert settings["lock_configuration"] == "true"
    assert settings["enable_external_access"] == "false"
    with pytest.raises(duckdb.Error, match="locked"):
        connection.execute("SET memory_limit = '100GB'")
    with pytest.raises(duckdb.Error, match="locked"):
        connection.execute("SET threads = 64")


def test_a_long_query_is_interrupted(db: ReadOnlyDatabase) -> None:
    """Allowed SQL can still be heavy: a triple self-join of demand never finishes."""
    heavy = "SELECT COUNT(*) FROM demand a, demand b, demand c WHERE a.qty + b.qty > c.qty"
    with pytest.raises(QueryTimeoutError):
        db.query(heavy, timeout_s=0.2)
    assert db.query("SELECT COUNT(*) FROM parts").rows == [(42,)]  # the connection lives on

"""The gate every SQL statement passes before it reaches the local database.

Read-only is enforced twice: here by parsing (one SELECT over the space's tables, no
table functions, no file paths, no writes anywhere in the tree) and again by the
read-only DuckDB connection in ``database.py``. A question can never change the file.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

SPACE_TABLES = frozenset(
    {"warehouses", "suppliers", "parts", "stock_levels", "demand", "purchase_orders"}
)

_WRITE_NODES: tuple[type[exp.Expression], ...] = (
    exp.Insert,
    exp.Update,
    exp.Delete,
    exp.Merge,
    exp.Create,
    exp.Drop,
    exp.Alter,
    exp.Command,
    exp.Copy,
    exp.Set,
    exp.Pragma,
    exp.Use,
    exp.Transaction,
    exp.Commit,
    exp.Rollback,
    exp.Attach,
    exp.Detach,
    exp.Install,
    exp.LoadData,
    exp.Into,
)


class UnsafeSQLError(ValueError):
    """The statement is not a single read-only query over the space's tables."""


def validate_readonly(sql: str, allowed_tables: Iterable[str] = SPACE_TABLES) -> str:
    """Return ``sql`` unchanged when it is one read-only SELECT, else raise UnsafeSQLError."""
    allowed = {name.lower() for name in allowed_tables}
    try:
        statements = [s for s in sqlglot.parse(sql, read="duckdb") if s is not None]
    except SqlglotError as error:
        raise UnsafeSQLError(f"the SQL could not be parsed: {error}") from error
    if len(statements) != 1:
        raise UnsafeSQLError("exactly one SQL statement is allowed")
    (statement,) = statements
    if not isinstance(statement, exp.Query):
        raise UnsafeSQLError(f"only SELECT queries are allowed, not {statement.key.upper()}")
    for node in statement.walk():
        if isinstance(node, _WRITE_NODES):
            raise UnsafeSQLError(f"{node.key.upper()} is not allowed in a read-only query")
    cte_names = {cte.alias_or_name.lower() for cte in statement.find_all(exp.CTE)}
    for table in statement.find_all(exp.Table):
        if not isinstance(table.this, exp.Identifier):
            raise UnsafeSQLError("table functions and file reads are not allowed")
        name = table.name.lower()
        if table.db and table.db.lower() not in {"main"}:
            raise UnsafeSQLError(f"schema {table.db!r} is not part of this space")
        if name not in allowed and name not in cte_names:
            raise UnsafeSQLError(f"table {table.name!r} is not part of this space")
    return sql

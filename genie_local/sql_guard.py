"""The gate every SQL statement passes before it reaches the local database.

Read-only is enforced twice: here by parsing and again by the read-only, resource-capped
DuckDB connection in ``database.py``. A statement passes only when it is one query that

- writes nothing and is not recursive (a recursive CTE can grow without bound);
- reads only the space's six tables, or a CTE visible where it is named: CTE names are
  resolved by scope, so ``(WITH pg_settings AS (…) …) t, pg_settings`` is refused;
- calls only the functions a question about the space needs (aggregates, date/time,
  arithmetic, string, conditional, cast and window functions): catalog, settings,
  system, file-reading and memory-hungry functions (``duckdb_*``, ``pg_*``,
  ``current_setting``, ``version``, ``repeat``, ``range``, ``read_*``, ``glob`` …) are
  not on the list, so they are refused whatever their spelling.

The statement that runs is the one checked: ``validate_readonly`` returns sqlglot's
rendering of the parsed tree, without comments, so text that DuckDB would read
differently from sqlglot (comments, dollar quotes, unicode escapes) never reaches DuckDB.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.optimizer.scope import traverse_scope

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

# Function nodes as sqlglot parses DuckDB's spellings (``len`` → Length, ``today()`` →
# CurrentDate, ``date_trunc`` → TimestampTrunc …); matched by exact type, so a subclass
# added by a later sqlglot is refused until someone lists it.
_ALLOWED_FUNCTIONS: frozenset[type[exp.Func]] = frozenset(
    {
        # logic and conditionals (sqlglot models AND/OR, EXISTS and CASE's WHENs as functions)
        exp.And,
        exp.Or,
        exp.Xor,
        exp.Exists,
        exp.Case,
        exp.If,
        exp.Coalesce,
        exp.Nullif,
        exp.Greatest,
        exp.Least,
        exp.Cast,
        exp.TryCast,
        # aggregates
        exp.Sum,
        exp.Count,
        exp.CountIf,
        exp.Avg,
        exp.Min,
        exp.Max,
        exp.Median,
        exp.Mode,
        exp.Quantile,
        exp.PercentileCont,
        exp.PercentileDisc,
        exp.Stddev,
        exp.StddevSamp,
        exp.StddevPop,
        exp.Variance,
        exp.VariancePop,
        exp.Corr,
        exp.ArgMax,
        exp.ArgMin,
        exp.AnyValue,
        exp.First,
        exp.Last,
        exp.LogicalAnd,
        exp.LogicalOr,
        exp.ApproxDistinct,
        # window functions
        exp.RowNumber,
        exp.Rank,
        exp.DenseRank,
        exp.PercentRank,
        exp.CumeDist,
        exp.Ntile,
        exp.Lag,
        exp.Lead,
        exp.FirstValue,
        exp.LastValue,
        exp.NthValue,
        # dates and times
        exp.CurrentDate,
        exp.CurrentTimestamp,
        exp.TimestampTrunc,
        exp.DateTrunc,
        exp.Extract,
        exp.DateDiff,
        exp.DateAdd,
        exp.DateSub,
        exp.DateFromParts,
        exp.LastDay,
        exp.Year,
        exp.Quarter,
        exp.Month,
        exp.Week,
        exp.WeekOfYear,
        exp.Day,
        exp.DayOfWeek,
        exp.DayOfWeekIso,
        exp.DayOfMonth,
        exp.DayOfYear,
        exp.Dayname,
        exp.Monthname,
        exp.TimeToStr,
        exp.StrToTime,
        exp.StrToDate,
        # arithmetic
        exp.Round,
        exp.Trunc,
        exp.Abs,
        exp.Ceil,
        exp.Floor,
        exp.Sqrt,
        exp.Ln,
        exp.Log,
        exp.Exp,
        exp.Pow,
        exp.Sign,
        # strings (none that can grow a value by a count: no repeat, lpad or rpad)
        exp.Lower,
        exp.Upper,
        exp.Length,
        exp.Substring,
        exp.Trim,
        exp.Concat,
        exp.ConcatWs,
        exp.Replace,
        exp.Left,
        exp.Right,
        exp.StartsWith,
        exp.EndsWith,
        exp.Contains,
        exp.StrPosition,
    }
)
# DuckDB functions sqlglot has no node for (it parses them as ``Anonymous``), by name.
_ALLOWED_ANONYMOUS = frozenset(
    {"now", "date_part", "datepart", "date_sub", "age", "to_months", "to_years", "to_weeks"}
)

# Words DuckDB reads as a function when written bare, where sqlglot sees a column.
_BARE_FUNCTIONS = frozenset(
    {"user", "current_user", "session_user", "current_role", "current_schema",
     "current_catalog", "current_database", "current_query"}
)  # fmt: skip


class UnsafeSQLError(ValueError):
    """The statement is not a single read-only query over the space's tables."""


def validate_readonly(sql: str, allowed_tables: Iterable[str] = SPACE_TABLES) -> str:
    """The statement to run when ``sql`` is one safe query, else raise UnsafeSQLError.

    The returned text is the checked tree rendered back to DuckDB SQL (same meaning,
    same result columns); run that, not ``sql``.
    """
    statement = _parse_one(sql)
    if not isinstance(statement, exp.Query):
        raise UnsafeSQLError(f"only SELECT queries are allowed, not {statement.key.upper()}")
    for node in statement.walk():
        if isinstance(node, _WRITE_NODES):
            raise UnsafeSQLError(f"{node.key.upper()} is not allowed in a read-only query")
        if isinstance(node, exp.With) and node.args.get("recursive"):
            raise UnsafeSQLError("recursive queries are not allowed")
        if isinstance(node, exp.Func):
            _check_function(node)
        if isinstance(node, exp.Column) and not node.table and node.name.lower() in _BARE_FUNCTIONS:
            raise UnsafeSQLError(f"{node.name.lower()} is not allowed in this space")
    _check_tables(statement, {name.lower() for name in allowed_tables})
    return statement.sql(dialect="duckdb", comments=False)


def _parse_one(sql: str) -> exp.Expression:
    try:
        statements = [s for s in sqlglot.parse(sql, read="duckdb") if s is not None]
    except SqlglotError as error:
        raise UnsafeSQLError(f"the SQL could not be parsed: {error}") from error
    if len(statements) != 1:
        raise UnsafeSQLError("exactly one SQL statement is allowed")
    return statements[0]


def _check_function(node: exp.Func) -> None:
    if type(node) in _ALLOWED_FUNCTIONS:
        return
    if isinstance(node, exp.Anonymous) and node.name.lower() in _ALLOWED_ANONYMOUS:
        return
    name = node.sql(dialect="duckdb", comments=False).split("(", 1)[0]
    raise UnsafeSQLError(f"the function {name.lower()}() is not allowed in this space")


def _check_tables(statement: exp.Query, allowed: set[str]) -> None:
    """Every table read is one of ``allowed`` or a CTE visible in the scope that reads it."""
    try:
        scopes = traverse_scope(statement)
    except SqlglotError as error:
        raise UnsafeSQLError(f"the query's tables could not be resolved: {error}") from error
    checked: set[int] = set()
    for scope in scopes:
        for table in scope.tables:
            checked.add(id(table))
            _check_table(table, scope.cte_sources, allowed)
    if any(id(table) not in checked for table in statement.find_all(exp.Table)):
        raise UnsafeSQLError("a table in the query could not be resolved to its scope")


def _check_table(table: exp.Table, visible_ctes: dict, allowed: set[str]) -> None:
    if not isinstance(table.this, exp.Identifier):
        raise UnsafeSQLError("table functions and file reads are not allowed")
    if table.catalog:
        raise UnsafeSQLError(f"database {table.catalog!r} is not part of this space")
    if table.db and table.db.lower() != "main":
        raise UnsafeSQLError(f"schema {table.db!r} is not part of this space")
    name = table.name.lower()
    if not table.db and name in {cte.lower() for cte in visible_ctes}:
        return
    if name not in allowed:
        raise UnsafeSQLError(f"table {table.name!r} is not part of this space")

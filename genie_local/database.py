"""Read-only access to the inventory space's DuckDB file.

Every query is checked by ``sql_guard`` first and then runs on a connection opened with
``read_only=True`` and external access disabled, so neither a crafted question nor a bug
can write to the file or reach the filesystem. The connection is also capped, for a
query the guard lets through that is still heavy (a join of the biggest tables with
itself): a memory limit, a thread limit and no spilling to disk, all locked
(``lock_configuration``) so no statement can lift them. DuckDB has no statement timeout,
so a timer thread interrupts a query that runs too long.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from genie_local.sql_guard import validate_readonly

_FETCH_BATCH = 10_000

#: the connection's limits; the space's own queries need a few MB and milliseconds
MEMORY_LIMIT = "1GB"
THREADS = 2
QUERY_TIMEOUT_S = 30.0

_CONNECTION_CONFIG: dict[str, str | bool | int] = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "python_enable_replacements": False,  # a table name never resolves to a Python variable
    "memory_limit": MEMORY_LIMIT,
    "threads": THREADS,
    "temp_directory": "",  # over the limit a query fails; it never spills next to the file
    "lock_configuration": True,  # last: nothing after this can change the settings above
}


class QueryTimeoutError(RuntimeError):
    """The query ran longer than allowed and was interrupted."""


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # DuckDB's type name, e.g. VARCHAR, DECIMAL(10,2), DATE


@dataclass
class QueryResult:
    columns: list[Column]
    rows: list[tuple[Any, ...]]
    row_count: int  # rows the query produced, which may exceed len(rows)
    truncated: bool = field(default=False)


def connect_read_only(path: str | Path) -> duckdb.DuckDBPyConnection:
    """A read-only, resource-capped connection with no filesystem or network access.

    DuckDB refuses a second connection to the same file in one process with a different
    configuration, so everything that reads the space opens it through here.
    """
    return duckdb.connect(str(path), read_only=True, config=dict(_CONNECTION_CONFIG))


class ReadOnlyDatabase:
    """One read-only connection to the space; safe to share across threads."""

    def __init__(self, path: str | Path) -> None:
        path = Path(path)
        if not path.exists():
            raise FileNotFoundError(
                f"no inventory database at {path}; run `inventory-agent data generate`"
            )
        self.path = path
        self._connection = connect_read_only(path)

    def query(
        self, sql: str, max_rows: int = 5000, timeout_s: float = QUERY_TIMEOUT_S
    ) -> QueryResult:
        """Run one validated SELECT, keeping at most ``max_rows`` rows but counting all.

        What runs is the guard's rendering of the checked statement, never other text.
        """
        checked = validate_readonly(sql)
        cursor = self._connection.cursor()
        timer = threading.Timer(timeout_s, cursor.interrupt)
        timer.start()
        try:
            cursor.execute(checked)
            columns = [Column(name, str(type_)) for name, type_, *_ in cursor.description]
            rows = cursor.fetchmany(max_rows)
            row_count = len(rows)
            while batch := cursor.fetchmany(_FETCH_BATCH):
                row_count += len(batch)
        except duckdb.InterruptException as error:
            raise QueryTimeoutError(f"the query ran longer than {timeout_s:g} s") from error
        finally:
            timer.cancel()
            cursor.close()
        return QueryResult(columns, rows, row_count, truncated=row_count > len(rows))

    def close(self) -> None:
        self._connection.close()

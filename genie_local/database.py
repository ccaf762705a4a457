"""Read-only access to the inventory space's DuckDB file.

Every query is checked by ``sql_guard`` first and then runs on a connection opened with
``read_only=True`` and external access disabled, so neither a crafted question nor a bug
can write to the file or reach the filesystem. Long queries are interrupted.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from genie_local.sql_guard import validate_readonly

_FETCH_BATCH = 10_000


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
    """A read-only connection with no filesystem or network access.

    DuckDB refuses a second connection to the same file in one process with a different
    configuration, so everything that reads the space opens it through here.
    """
    return duckdb.connect(str(path), read_only=True, config={"enable_external_access": False})


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

    def query(self, sql: str, max_rows: int = 5000, timeout_s: float = 30.0) -> QueryResult:
        """Run one validated SELECT, keeping at most ``max_rows`` rows but counting all."""
        validate_readonly(sql)
        cursor = self._connection.cursor()
        timer = threading.Timer(timeout_s, cursor.interrupt)
        timer.start()
        try:
            cursor.execute(sql)
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

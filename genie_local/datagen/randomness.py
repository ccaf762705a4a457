"""Seeded pseudo-randomness inside DuckDB that does not depend on threads or row order.

DuckDB's ``random()`` under ``setseed`` is only repeatable on one thread, and the
generator runs on all of them. Instead every draw is a hash of the seed, a stream name
and the row's own keys, so a value depends on nothing but what it describes: the same
seed gives the same database however DuckDB schedules the work.
"""

from __future__ import annotations

import duckdb

_TWO_TO_53 = 9007199254740992.0


def install_random_macros(connection: duckdb.DuckDBPyConnection, seed: int) -> None:
    """Define ``rnd(stream, a, b, c)`` in [0, 1) and ``rnorm(stream, a, b, c)`` ~ N(0, 1).

    ``stream`` names the purpose of a draw (``'demand-occurs'``), so two draws about the
    same row are independent; unused keys are passed as 0.
    """
    seed = int(seed)  # formatted into SQL below: refuse anything that is not an integer
    connection.execute(
        f"""
        CREATE OR REPLACE TEMP MACRO rnd(stream, a, b, c) AS
            (hash({seed}::BIGINT, stream, a, b, c) >> 11)::DOUBLE / {_TWO_TO_53}
        """
    )
    # Box–Muller: 1 - rnd(...) lies in (0, 1], so the logarithm is always defined.
    connection.execute(
        """
        CREATE OR REPLACE TEMP MACRO rnorm(stream, a, b, c) AS
            sqrt(-2 * ln(1 - rnd(stream || ':r', a, b, c)))
            * cos(2 * pi() * rnd(stream || ':theta', a, b, c))
        """
    )

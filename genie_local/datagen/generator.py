"""Build the demo inventory database: validate, generate stage by stage, then swap in.

The database is written to a temporary file beside the target and renamed over it only
when complete, so a failed or interrupted run never leaves a half-built file where the
Genie server would open it.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

import duckdb
from tqdm import tqdm

from genie_local.corpus import index_corpus
from genie_local.datagen.demand import (
    create_demand_profiles,
    create_demand_table,
    demand_chunks,
    insert_demand,
)
from genie_local.datagen.parts import create_parts
from genie_local.datagen.purchase_orders import create_purchase_orders
from genie_local.datagen.randomness import install_random_macros
from genie_local.datagen.reference import CATALOG_SIZE, create_reference_tables
from genie_local.datagen.stock_levels import create_stock_levels

logger = logging.getLogger(__name__)

MEMORY_LIMIT = "2GB"  # scale 100 fits; DuckDB spills the rest to its temp directory


class DataGenerationError(ValueError):
    """The arguments cannot produce a database (bad scale, unwritable path)."""


def generate(db_path: Path, scale: int = 1, seed: int = 42, show_progress: bool = True) -> None:
    """Write the inventory space to ``db_path``: the same ``scale`` and ``seed``, the same data.

    The space's documents are indexed beside it (genie_local/corpus.py), so that the
    agent's documents tool has its index wherever there is demo data.
    """
    db_path = Path(db_path)
    _check_arguments(db_path, scale, seed)
    work_dir = _make_work_dir(db_path)
    building = work_dir / db_path.name
    try:
        with duckdb.connect(str(building)) as connection:
            connection.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
            connection.execute(f"SET temp_directory = '{work_dir / 'spill'}'")
            _build(connection, scale, seed, show_progress)
        os.replace(building, db_path)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    logger.info("wrote %s (scale %d, seed %d)", db_path, scale, seed)
    started = time.perf_counter()
    passages = index_corpus(db_path)
    logger.info("indexed %d passages in %.3f s", passages, time.perf_counter() - started)


def _check_arguments(db_path: Path, scale: int, seed: int) -> None:
    if scale < 1:
        raise DataGenerationError(f"--scale must be 1 or more, not {scale}")
    if not -(2**63) <= seed < 2**63:
        raise DataGenerationError(f"--seed must fit in 64 bits, not {seed}")
    if db_path.is_dir():
        raise DataGenerationError(f"{db_path} is a directory; give the path of a database file")


def _make_work_dir(db_path: Path) -> Path:
    """A private directory next to the target, so the final rename stays on one filesystem."""
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{db_path.name}.", dir=db_path.parent))
    except OSError as error:
        raise DataGenerationError(f"cannot write to {db_path.parent}: {error.strerror}") from error


def _build(connection: duckdb.DuckDBPyConnection, scale: int, seed: int, show_progress: bool):
    chunks = list(demand_chunks(CATALOG_SIZE * scale))
    stages = 5 + len(chunks)
    with tqdm(total=stages, desc="inventory data", unit="step", disable=not show_progress) as bar:

        def step(label: str) -> None:
            bar.set_postfix_str(label)
            logger.debug("datagen: %s", label)

        step("reference")
        install_random_macros(connection, seed)
        create_reference_tables(connection)
        bar.update()
        step("parts")
        create_parts(connection, scale)
        create_demand_profiles(connection)
        create_demand_table(connection)
        bar.update()
        for first, last in chunks:
            step(f"demand P-{first}..{last}")
            insert_demand(connection, first, last)
            bar.update()
        step("stock_levels")
        create_stock_levels(connection)
        bar.update()
        step("purchase_orders")
        create_purchase_orders(connection)
        bar.update()
        step("checkpoint")
        connection.execute("CHECKPOINT")
        bar.update()

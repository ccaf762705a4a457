"""The inventory space's documents: policies, supplier terms, procedures, definitions.

The markdown files in ``docs/`` are the space's written knowledge beside its tables (what
the data cannot say: a reorder policy, a supplier's penalty terms, a warehouse's receiving
hours). They name only the warehouses, suppliers and categories of the reference data
(genie_local/datagen/reference.py), with their real ids and lead times; the corpus test
checks that. Each file is one document: a ``# title`` and ``## sections``; a document's id
is its file name without ``.md``. ``inventory-agent data generate`` indexes them for the
agent's ``search_inventory_docs`` tool.
"""

from __future__ import annotations

from pathlib import Path

from agent.docs_index import build_index

DOCS_DIR = Path(__file__).parent / "docs"


def document_paths(docs_dir: Path = DOCS_DIR) -> list[Path]:
    """Every document of the corpus, in a stable order."""
    return sorted(docs_dir.glob("*.md"))


def docs_index_path(db_path: Path) -> Path:
    """Where the documents index of the database at ``db_path`` goes: beside it.

    ``data/inventory.duckdb`` gets ``data/inventory_docs.sqlite``, the agent's default
    ``DOCS_INDEX_PATH``.
    """
    return db_path.with_name(f"{db_path.stem}_docs.sqlite")


def index_corpus(db_path: Path) -> int:
    """Index every document beside the database at ``db_path``; returns the passage count."""
    return build_index(document_paths(), docs_index_path(db_path))

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

DOCS_DIR = Path(__file__).parent / "docs"


def document_paths(docs_dir: Path = DOCS_DIR) -> list[Path]:
    """Every document of the corpus, in a stable order."""
    return sorted(docs_dir.glob("*.md"))

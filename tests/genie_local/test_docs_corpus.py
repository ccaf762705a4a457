"""The document corpus agrees with the reference data: real names, real ids, real lead times."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from agent.docs_index import search
from genie_local.corpus import docs_index_path, document_paths
from genie_local.datagen.reference import CATALOG, SUPPLIERS, WAREHOUSES

DOCS = document_paths()
SUPPLIER_BY_NAME = {name: (sid, country, lead) for sid, name, country, lead, _ in SUPPLIERS}


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_the_corpus_covers_every_category_supplier_and_warehouse():
    stems = {path.stem for path in DOCS}
    assert len(DOCS) >= 30
    for category in CATALOG:
        assert f"reorder-policy-{category.name.lower()}" in stems
    for _, name, *_ in SUPPLIERS:
        assert f"supplier-{name.lower().replace(' ', '-')}" in stems
    for _, _, city, *_ in WAREHOUSES:
        assert f"warehouse-{city.lower().replace(' ', '-')}" in stems


@pytest.mark.parametrize("path", DOCS, ids=lambda path: path.stem)
def test_each_document_has_a_title_and_sections_of_substance(path: Path):
    lines = _text(path).splitlines()
    assert lines[0].startswith("# ")
    sections = [line for line in lines if line.startswith("## ")]
    assert len(sections) >= 3
    assert len(set(sections)) == len(sections)  # a section is found by its heading
    assert 100 <= len(_text(path).split()) <= 800


@pytest.mark.parametrize("path", DOCS, ids=lambda path: path.stem)
def test_a_supplier_named_with_its_id_or_lead_time_is_the_real_one(path: Path):
    text = _text(path)
    for name, sid in re.findall(r"([A-Z][a-z]+ [A-Z][a-z]+) \((SUP-\d\d)", text):
        assert SUPPLIER_BY_NAME[name][0] == sid, (name, sid)
    for name, sid, country, days in re.findall(
        r"([A-Z][a-z]+ [A-Z][a-z]+) \((SUP-\d\d), ([A-Za-z ]+)\), quoted lead time (\d+) days",
        text,
    ):
        assert SUPPLIER_BY_NAME[name] == (sid, country, int(days))
    for name, days in re.findall(r"quoted lead time of ([A-Z][a-z]+ [A-Z][a-z]+) is (\d+)", text):
        assert SUPPLIER_BY_NAME[name][2] == int(days)


@pytest.mark.parametrize("category", CATALOG, ids=lambda category: category.name)
def test_a_reorder_policy_approves_exactly_the_category_suppliers(category):
    text = _text(next(p for p in DOCS if p.stem == f"reorder-policy-{category.name.lower()}"))
    approved = text.split("## Approved suppliers")[1].split("\n## ")[0]
    named = re.findall(r"^- .*\((SUP-\d\d)", approved, flags=re.MULTILINE)
    assert named == list(category.suppliers)
    for name, _ in category.items:
        assert name in text


@pytest.mark.parametrize("warehouse", WAREHOUSES, ids=lambda warehouse: warehouse[0])
def test_a_warehouse_procedure_gives_the_real_site(warehouse):
    warehouse_id, name, city, state, region, capacity = warehouse
    path = next(p for p in DOCS if p.stem == f"warehouse-{city.lower().replace(' ', '-')}")
    text = _text(path)
    assert f"{name} ({warehouse_id})" in text.splitlines()[0]
    assert f"{city}, {state} ({region} region)" in text
    assert f"{capacity:,} units" in text
    sites = {(w[0], w[1]) for w in WAREHOUSES}
    for named, named_id in re.findall(r"([A-Z][a-z]+(?: [A-Z][a-z]+)? DC) \((WH-\w+)\)", text):
        assert (named_id, named) in sites


def test_generating_the_demo_data_indexes_the_documents_beside_it(demo_db: Path):
    index = docs_index_path(demo_db)
    assert index == demo_db.with_name("inventory_docs.sqlite")
    assert search(index, "reorder policy for fasteners")[0].doc == "reorder-policy-fasteners"

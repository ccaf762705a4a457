"""The local documents index: sections in, ranked passages with their source out."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.docs_index import (
    DocsIndexError,
    Passage,
    build_index,
    match_expression,
    search,
    split_sections,
)
from genie_local.corpus import document_paths

MARKDOWN = """# Reorder policy: Widgets

Applies to widgets.

## Approved suppliers

Only Acme.

## Safety stock

Ten days of demand.
"""


@pytest.fixture(scope="module")
def corpus_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("docs") / "inventory_docs.sqlite"
    build_index(document_paths(), path)
    return path


def test_a_document_splits_into_its_sections_with_title_and_intro():
    assert split_sections("widgets", MARKDOWN) == [
        Passage("widgets", "Reorder policy: Widgets", "Introduction", "Applies to widgets."),
        Passage("widgets", "Reorder policy: Widgets", "Approved suppliers", "Only Acme."),
        Passage("widgets", "Reorder policy: Widgets", "Safety stock", "Ten days of demand."),
    ]


def test_sections_are_passages_and_the_introduction_is_their_context(tmp_path: Path):
    (tmp_path / "widgets.md").write_text(MARKDOWN)
    (tmp_path / "gadgets.md").write_text("# Gadgets\n\nOnly an introduction.\n")
    paths = [tmp_path / "widgets.md", tmp_path / "gadgets.md"]
    assert build_index(paths, tmp_path / "index.sqlite") == 3
    found = search(tmp_path / "index.sqlite", "safety stock")
    assert [(p.doc, p.section) for p in found] == [("widgets", "Safety stock")]
    # "applies" is only in the introduction: it finds the document's sections
    assert {p.section for p in search(tmp_path / "index.sqlite", "applies")} == {
        "Approved suppliers",
        "Safety stock",
    }
    assert search(tmp_path / "index.sqlite", "only introduction")[0].section == "Introduction"


def test_a_rebuild_replaces_the_index_and_leaves_no_temporary_file(tmp_path: Path):
    (tmp_path / "widgets.md").write_text(MARKDOWN)
    index = tmp_path / "index.sqlite"
    build_index([tmp_path / "widgets.md"], index)
    (tmp_path / "widgets.md").write_text("# Widgets\n\n## Lead time\n\nSix days.\n")
    build_index([tmp_path / "widgets.md"], index)
    assert search(index, "safety stock") == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.sqlite", "widgets.md"]


@pytest.mark.parametrize(
    ("question", "doc", "section"),
    [
        ("What is our reorder policy for fasteners?", "reorder-policy-fasteners", None),
        ("What does days of supply mean?", "definitions-demand-and-supply", "Days of supply"),
        (
            "What penalty does Ironclad Fasteners charge for late deliveries?",
            "supplier-ironclad-fasteners",
            "Late delivery penalties",
        ),
        ("What are the receiving hours in Boston?", "warehouse-boston", "Receiving hours"),
        ("minimum order for Eastwind", "supplier-eastwind-trading", "Minimum order"),
        ("Which suppliers are approved for brakes?", "reorder-policy-brakes", "Approved suppliers"),
    ],
)
def test_the_best_passage_answers_the_question(corpus_index: Path, question, doc, section):
    best = search(corpus_index, question)[0]
    assert best.doc == doc
    assert section is None or best.section == section
    assert best.title.startswith(("Reorder policy", "Business definitions", "Supplier", "Ware"))
    assert best.score > 0


@pytest.mark.parametrize(
    ("question", "doc", "section"),
    [
        ("When is a PO past due?", "definitions-purchase-orders", "Overdue purchase order"),
        ("How much buffer stock do brakes carry?", "reorder-policy-brakes", None),
        ("What's the smallest order Apex accepts?", "supplier-apex-components", "Minimum order"),
        ("Does LA take deliveries on weekends?", "warehouse-los-angeles", "Receiving hours"),
        # the thesaurus (agent/docs_thesaurus.py), in words of no test file
        (
            "How quickly does Apex Components usually deliver after we order?",
            "supplier-apex-components",
            "Lead time",
        ),
        (
            "How many days do we give Kestrel before late fees kick in?",
            "supplier-kestrel-motors",
            "Late delivery penalties",
        ),
        ("Which vendors can we source engine parts from?", "reorder-policy-engine", None),
        (
            "Do we stock up on suspension parts before spring?",
            "reorder-policy-suspension",
            "Seasonal adjustment",
        ),
        (
            "What if a recount still doesn't match the system?",
            "procedure-cycle-counting",
            "Tolerance and recounts",
        ),
        ("Who signs off on a big inventory adjustment?", "procedure-cycle-counting", None),
        (
            "Can we scrap an order that's no longer needed?",
            "procedure-purchase-order-lifecycle",
            "Cancelling an order",
        ),
        (
            "How long does a reservation stay before it lapses?",
            "procedure-reservations",
            "Releasing reservations",
        ),
        (
            "How do we get rid of broken batteries?",
            "procedure-returns-and-damaged-goods",
            "Disposal",
        ),
        (
            "What happens to a supplier that keeps missing its on-time promise?",
            "procedure-supplier-performance-review",
            "Actions",
        ),
        (
            "How is a part's daily sales rate worked out?",
            "definitions-demand-and-supply",
            "Average daily demand",
        ),
        (
            "When is a position considered stocked out?",
            "definitions-stock-status",
            "Out of stock",
        ),
        (
            "Does a cancelled PO ever count against a vendor as late?",
            "definitions-purchase-orders",
            "Purchase order status",
        ),
        (
            "What's the most we may order of any electrical part at one time?",
            "reorder-policy-electrical",
            "Review cadence and order quantity",
        ),
        (
            "Is there a wall-to-wall count at year end?",
            "procedure-cycle-counting",
            "Annual stocktake",
        ),
        (
            "Do we hold a lessons-learned meeting after a suspension stockout?",
            "procedure-stockout-response",
            "Review after the stockout",
        ),
        (
            "Before I place a filters order with Juniper, what's the least I have to spend?",
            "supplier-juniper-filtration",
            "Minimum order",
        ),
        (
            "We're short on wiring harnesses in Boston; which supplier can get them to us fastest?",
            "reorder-policy-electrical",
            "Expediting and stockout risk",
        ),
        ("Which months see cooling orders go up?", "reorder-policy-cooling", "Seasonal adjustment"),
        (
            "If a delivery only covers half of the PO, is the PO closed?",
            "procedure-purchase-order-lifecycle",
            "Receiving",
        ),
        ("What is Fulcrum Parts' order cutoff?", "supplier-fulcrum-parts", "Minimum order"),
        ("Reservation expiry rules?", "procedure-reservations", "Releasing reservations"),
        ("engine safety stock days", "reorder-policy-engine", "Reorder point and safety stock"),
        ("Lumen Lighting penalty cap?", "supplier-lumen-lighting", "Late delivery penalties"),
        (
            "What incoterm do we use with Delta Precision?",
            "supplier-delta-precision",
            "Payment and shipping",
        ),
        (
            "What is the stock that's free to sell?",
            "definitions-stock-status",
            "Available quantity",
        ),
        (
            "How do we know if an open order is late?",
            "definitions-purchase-orders",
            "Overdue purchase order",
        ),
        (
            "What dates does 'last 90 days' cover?",
            "definitions-value-and-capacity",
            "As-of date and time periods",
        ),
        (
            "What do we do when a delivery shows up with dented boxes?",
            "procedure-returns-and-damaged-goods",
            "Damaged on arrival",
        ),
        # "days' worth" is days of supply, not a value
        (
            "What's the most days' worth of fog lights we may buy at once?",
            "reorder-policy-lighting",
            "Review cadence and order quantity",
        ),
        (
            "Which stages does a PO go through?",
            "definitions-purchase-orders",
            "Purchase order status",
        ),
    ],
)
def test_the_business_words_for_the_documents_words_find_them(
    corpus_index: Path, question, doc, section
):
    found = [(p.doc, p.section) for p in search(corpus_index, question)]
    assert any(d == doc and section in (None, s) for d, s in found), found


def test_a_document_the_question_names_comes_first(corpus_index: Path):
    """ "Seattle" names the Seattle procedures: its section beats general ones that share
    as many words."""
    found = search(corpus_index, "Who is Seattle's transfer partner when a position stocks out?")
    assert (found[0].doc, found[0].section) == ("warehouse-seattle", "Stockouts and transfers")


def test_results_are_best_first_and_limited(corpus_index: Path):
    found = search(corpus_index, "late delivery penalty grace period", limit=5)
    assert len(found) == 5
    assert [p.score for p in found] == sorted((p.score for p in found), reverse=True)


@pytest.mark.parametrize("question", ['"', "AND OR NOT *", "near(", "what is the", "???"])
def test_query_syntax_and_empty_questions_are_just_text(corpus_index: Path, question: str):
    assert isinstance(search(corpus_index, question), list)


def test_the_match_expression_quotes_words_and_phrases():
    assert match_expression('Where do "days of supply" come from?') == (
        '"days" OR "supply" OR "come" OR "supply come" OR "days of supply"'
    )


def test_asking_what_a_word_means_also_asks_the_business_definitions():
    assert match_expression('What does "days of supply" mean?') == (
        '"days" OR "supply" OR "definitions" OR "days of supply"'
    )


def test_short_forms_search_their_words_and_possessives_stay():
    assert match_expression("What's a warehouse's fill level? We're sure it didn't") == (
        '"warehouse" OR "s" OR "fill" OR "level" OR "sure" OR "capacity" OR "warehouse s" '
        'OR "s fill" OR "fill level" OR "warehouse s fill" OR "s fill level"'
    )


def test_a_missing_or_broken_index_says_how_to_build_it(tmp_path: Path):
    with pytest.raises(DocsIndexError, match="inventory-agent data generate"):
        search(tmp_path / "absent.sqlite", "reorder policy")
    (tmp_path / "broken.sqlite").write_text("not a database")
    with pytest.raises(DocsIndexError, match="cannot be read"):
        search(tmp_path / "broken.sqlite", "reorder policy")

"""The local documents index: markdown sections in SQLite FTS5, ranked by BM25.

One module owns the index file's format, both ways: ``build_index`` (called when the
demo data is generated) splits each markdown document into its ``## sections`` and
writes them to an FTS5 table; ``search`` ranks those passages against a question with
FTS5's ``bm25()``. SQLite's FTS5 ships in Python's standard ``sqlite3``, so nothing new
is installed and nothing is downloaded at run time; the Porter stemmer folds "orders"
and "ordering" onto "order".

A passage is one section: its document id (the file name without ``.md``), the
document's title (its ``# heading``), the section heading and the section's text. The
title and heading are indexed with the text and weigh more (``_WEIGHTS``): a question
that names "Ironclad Fasteners" and "penalties" should land on that supplier's
"Late delivery penalties" section rather than on every page that mentions a penalty.
The document's introduction is indexed with each section as light context.

A question is searched for its own words and short phrases, and for the documents' words
for what it says otherwise (agent/docs_thesaurus.py: "vendor" is a supplier, "rush" is
expediting). BM25 ranks the candidates; then a document the question names (its
supplier, warehouse or category, found among the titles' capitalised names) is moved
up, so "Seattle's transfer partner" finds the Seattle procedures before the company-wide
transfer procedure that shares more words.
"""

from __future__ import annotations

import os
import re
import sqlite3
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from agent.docs_thesaurus import documents_words

INTRODUCTION = "Introduction"  # the section name of a document's text before its first ##
#: bm25() column weights, in table order: doc (unindexed), title, context, section, text.
#: The heading weighs as the title: any weight from 1 to 3 scored the same on the case
#: sets; 4 let a heading word outrank the section that answers (docs/documents-tool.md).
_WEIGHTS = (0.0, 2.0, 0.5, 2.0, 1.0)
_SCHEMA = (
    "CREATE VIRTUAL TABLE passages USING fts5("
    "doc UNINDEXED, title, context, section, text, tokenize = 'porter unicode61')"
)
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
#: words that say nothing about which passage answers: FTS5 would still rank them
_STOPWORD_TEXT = """
a about after all also am an and any are as at be been before being but by can could
did do does doing for from had has have how i if in into is it its me my no not of
on or our ours please should so than that the their them then there these they this
those to tell us was we were what when where which who whom why will with would you
your mean means meant meaning define defined definition
"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
#: "what's", "we're", "didn't": the short forms' words, so that no "s", "re" or "t" is
#: searched for (a possessive "'s", "a warehouse's", stays: the documents have them too)
_CONTRACTIONS = (
    (re.compile(r"\b(what|that|it|there|here|who|where|how|when|why|which)['’]s\b"), r"\1 is"),
    (re.compile(r"n['’]t\b"), " not"),
    (re.compile(r"['’]re\b"), " are"),
    (re.compile(r"['’]ve\b"), " have"),
    (re.compile(r"['’]ll\b"), " will"),
    (re.compile(r"['’]d\b"), " would"),
    (re.compile(r"['’]m\b"), " am"),
)
#: how many passages BM25 ranks before the documents a question names are moved up
_CANDIDATES = 50
#: a passage of a document the question names (its supplier, warehouse, category) weighs
#: this much more than its BM25 score
_NAMED_BOOST = 1.5
_NAME_DOCUMENTS = 2  # a title word naming more documents than this is a kind, not a name
_TITLE_NAME = re.compile(r"\b[A-Z][\w-]*")
#: consecutive words a question may quote from a heading ("days of supply"): as phrases
#: they match rarely and so weigh much more than their words apart
_PHRASE_LENGTHS = (2, 3)


class DocsIndexError(RuntimeError):
    """The index cannot be read (missing or not an index file); the message says how to fix it."""


@dataclass(frozen=True)
class Passage:
    """One section of one document, with where it came from."""

    doc: str
    title: str
    section: str
    text: str
    score: float = 0.0  # BM25 relevance (higher is better); 0 for a passage not from a search

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def split_sections(doc: str, markdown: str) -> list[Passage]:
    """The ``## sections`` of one markdown document; text before the first one is its intro."""
    title, section, lines = doc, INTRODUCTION, []
    passages: list[Passage] = []

    def close() -> None:
        text = "\n".join(lines).strip()
        if text:
            passages.append(Passage(doc, title, section, text))

    for line in markdown.splitlines():
        if line.startswith("# "):
            title = line[2:].strip()
        elif line.startswith("## "):
            close()
            section, lines = line[3:].strip(), []
        else:
            lines.append(line)
    close()
    return passages


def build_index(paths: Iterable[Path], index_path: Path) -> int:
    """Index the markdown files at ``paths`` into ``index_path``; returns the passage count.

    The file is written beside the target and renamed over it when complete, so a
    running agent never opens a half-built index.
    """
    index_path = Path(index_path)
    index_path.parent.mkdir(parents=True, exist_ok=True)
    handle, building = tempfile.mkstemp(prefix=f".{index_path.name}.", dir=index_path.parent)
    os.close(handle)
    try:
        count = 0
        with sqlite3.connect(building) as connection:
            connection.execute(_SCHEMA)
            for path in paths:
                passages, context = _with_context(
                    split_sections(path.stem, path.read_text(encoding="utf-8"))
                )
                connection.executemany(
                    "INSERT INTO passages (doc, title, context, section, text) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [(p.doc, p.title, context, p.section, p.text) for p in passages],
                )
                count += len(passages)
            connection.execute("INSERT INTO passages (passages) VALUES ('optimize')")
        connection.close()
        os.chmod(building, 0o644)  # readable like the database beside it (mkstemp makes 0600)
        os.replace(building, index_path)
    except BaseException:
        Path(building).unlink(missing_ok=True)
        raise
    return count


def _with_context(passages: list[Passage]) -> tuple[list[Passage], str]:
    """A document's sections, and its introduction as context indexed with each of them.

    An introduction says what the whole document is about ("Handling goods that arrive
    damaged or are returned"); as a passage of its own it is short, and BM25 would rank
    it above the section that answers. Indexed lightly with every section, it helps the
    right document's sections instead. A document with no sections keeps it as a passage.
    """
    sections = [p for p in passages if p.section != INTRODUCTION]
    if not sections:
        return passages, ""
    return sections, " ".join(p.text for p in passages if p.section == INTRODUCTION)


def match_expression(query: str) -> str:
    """The FTS5 query for a question: any of its telling words or short phrases, each quoted.

    Quoting every term keeps the user's text out of FTS5's query syntax (a stray quote,
    ``AND`` or ``*`` is just a word). A phrase is a run of 2-3 words of the question that
    starts and ends with a telling word ("days of supply", "lead time"). The documents'
    own words for the question's (agent/docs_thesaurus.py) join as words and as a phrase.
    """
    lowered = query.lower()
    for contraction, words in _CONTRACTIONS:
        lowered = contraction.sub(words, lowered)
    tokens = _WORD.findall(lowered)
    terms = [w for w in tokens if w not in _STOPWORDS]
    for words in documents_words(lowered):
        terms += [w for w in _WORD.findall(words) if w not in _STOPWORDS]
        terms += [words] if " " in words else []
    for length in _PHRASE_LENGTHS:
        for start in range(len(tokens) - length + 1):
            run = tokens[start : start + length]
            if run[0] not in _STOPWORDS and run[-1] not in _STOPWORDS:
                terms.append(" ".join(run))
    return " OR ".join(f'"{term}"' for term in dict.fromkeys(terms))


def search(index_path: Path, query: str, limit: int = 3) -> list[Passage]:
    """The ``limit`` passages that best answer ``query``, best first; [] when no word matches."""
    expression = match_expression(query)
    if not expression:
        return []
    index_path = Path(index_path)
    if not index_path.is_file():
        raise DocsIndexError(
            f"The documents index {index_path} does not exist; build it with "
            "`inventory-agent data generate` or set DOCS_INDEX_PATH."
        )
    weights = ", ".join(str(weight) for weight in _WEIGHTS)
    try:
        with sqlite3.connect(f"file:{index_path}?mode=ro", uri=True) as connection:
            rows = connection.execute(
                f"SELECT doc, title, section, text, bm25(passages, {weights}) AS rank "
                "FROM passages WHERE passages MATCH ? ORDER BY rank LIMIT ?",
                (expression, max(limit, _CANDIDATES)),
            ).fetchall()
            titles = connection.execute("SELECT DISTINCT title FROM passages").fetchall()
    except sqlite3.DatabaseError as error:
        raise DocsIndexError(f"The documents index {index_path} cannot be read: {error}") from error
    named = _named_titles(query, [title for (title,) in titles])
    # bm25() is lower-is-better (negative); the passage's score reads the natural way.
    passages = [
        Passage(doc, title, section, text, -rank * (_NAMED_BOOST if title in named else 1.0))
        for doc, title, section, text, rank in rows
    ]
    return sorted(passages, key=lambda passage: -passage.score)[:limit]


def _name_key(word: str) -> str:
    return word.lower().removesuffix("s")


def _named_titles(query: str, titles: list[str]) -> set[str]:
    """The titles of the documents about something the question names.

    A title's names are its capitalised words after the colon ("Supplier terms: Cobalt
    Manufacturing (SUP-03)", "Reorder policy: Brakes"), those that name one or two
    documents ("DC" names eight: it is a kind, not a name). A question that names Seattle
    is answered by the Seattle procedures before a general section that shares more words.
    """
    named_by: dict[str, set[str]] = {}
    for title in titles:
        for word in _TITLE_NAME.findall(title.partition(":")[2] or title):
            named_by.setdefault(_name_key(word), set()).add(title)
    said = " ".join([query, *documents_words(query)]).lower()
    words = {_name_key(word) for word in _WORD.findall(said)}
    return {
        title
        for word in words
        for title in named_by.get(word, ())
        if len(named_by[word]) <= _NAME_DOCUMENTS
    }

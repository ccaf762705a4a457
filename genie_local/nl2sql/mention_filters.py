"""Linked entity mentions → the question's filters: which values it keeps, which it
excludes ("except fasteners"), how a phrase with several readings is settled, and which
entity a question naming only entities is about."""

from __future__ import annotations

from genie_local.nl2sql import clauses
from genie_local.nl2sql.vocabulary import Mention, Vocabulary


def split_filters(
    question: str, mentions: list[Mention]
) -> tuple[list[Mention], dict[str, list[str]], dict[str, list[str]]]:
    """The mentions kept, their values by kind, and the excluded values by kind."""
    excluded = clauses.excluded_mentions(question, mentions)
    not_filters = _values_by_kind(excluded)
    kept = [m for m in mentions if m not in excluded]
    return kept, _values_by_kind(kept), not_filters


def _values_by_kind(mentions: list[Mention]) -> dict[str, list[str]]:
    values_by_kind: dict[str, list[str]] = {}
    for mention in mentions:
        values = values_by_kind.setdefault(mention.kind, [])
        if mention.value not in values:
            values.append(mention.value)
    return values_by_kind


def entity_subject(filters: dict[str, list[str]]) -> str:
    """What a question that only names entities ("Apex Components?") is about."""
    for kind in ("po", "part", "supplier", "warehouse"):
        if kind in filters:
            return kind
    if "category" in filters:
        return "part"
    if "country" in filters:
        return "supplier"
    return "warehouse"


def resolve_overlaps(
    filters: dict[str, list[str]], mentions: list[Mention], vocabulary: Vocabulary, notes: list[str]
) -> None:
    """One phrase, several readings (e.g. "Brake" = the category, or the Brake … parts)."""
    for mention in mentions:
        readings = [m for m in mentions if m.start == mention.start and m.end == mention.end]
        if len(readings) > 1 and readings[0] is mention:
            kinds = {m.kind for m in readings}
            if {"category", "part"} <= kinds:
                filters.pop("part", None)
                notes.append(f'"{mention.text}" read as the category {readings[0].value}')
    for mention in mentions:
        if (
            mention.kind == "category"
            and mention.text.lower().rstrip("s")
            in {
                name.lower().split()[0]
                for name in (
                    vocabulary.names[p] for p in vocabulary.parts_by_category.get(mention.value, [])
                )
            }
            and not mention.text.lower().endswith("s")
            and "part" not in filters
        ):
            notes.append(
                f'"{mention.text}" matches several parts; read as the category {mention.value}'
            )

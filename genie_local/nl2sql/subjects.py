"""Which entity a question is about: the noun it lists, ranks or counts ("which
warehouse …", "how many suppliers …"), skipping nouns that only locate or break down.
"""

# ruff: noqa: E501  (vocabulary tables of regular expressions read best one alternative list per line)

from __future__ import annotations

import itertools
import re

from genie_local.nl2sql.lexicon import ANY_NOUN, ASC, DESC, GROUP_RE, NOUN_RE, NOUNS

_LOCATION_PHRASE = re.compile(
    r"\b(?:(?:the |our )?(?:warehouses?|dcs?|locations?|sites?|facilit(?:y|ies)) "
    r"(?:in|at|located in|based in|of) |(?:from|by|of) (?:our |the )?_+ (?:suppliers?|vendors?)|"
    r"(?:warehouses?|suppliers?) _+|"
    r"(?:in|at|from|of) (?:the |our )?_+(?: _+)* (?:warehouses?|dcs?|distribution cent(?:er|re)s?|locations?|sites?|facilit(?:y|ies)|depots?|regions?|states?|provinces?|categor(?:y|ies))\b|"
    r"(?:in|at|across) (?:any|every|all(?: the| our)?) (?:warehouses?|whs?|dcs?|locations?|sites?|facilit(?:y|ies)|depots?)\b|"
    # "coloradan DC out of stock": one named site locates the rows, it is not what is listed
    r"(?<!which )(?<!what )(?:\b(?:the|our) )?(?<![\w])_+(?: _+)* (?:warehouse|wh|dc|distribution cent(?:er|re)|location|site|facility|depot)\b(?!s))"
)

_SUBJECT_LEAD = re.compile(
    rf"\b(?:which|what|list(?: all| the| of)?|show(?: me)?(?: all| the)?|give me(?: the)?|find(?: the)?|"
    rf"name(?: the)?|identify(?: the)?|display|get|return|top|bottom|the|any|all)\s+"
    # the words between never cross a place ("what needs reordering in the South region")
    rf"(?:(?!(?:in|at|from|within)\s)[\w-]+\s+){{0,3}}?(?:{ANY_NOUN})\b"
)
# "the Mexican supplier's parts": the owner only filters, the owned noun is listed ("which
# supplier's parts …" still asks for the supplier)
_ANY_PLAIN_NOUN = "|".join(NOUNS.values())
_POSSESSOR = re.compile(
    rf"(?<!which )(?<!what )\b(?:{_ANY_PLAIN_NOUN})'s?\s+(?=(?:[\w-]+\s+){{0,2}}?(?:{_ANY_PLAIN_NOUN})\b)"
)


def subject_kind(text: str, group_by: tuple[str, ...]) -> str | None:
    """The entity the question lists or ranks ("which warehouse …", "parts that …")."""
    grouped_spans = [m.span() for m in GROUP_RE.finditer(text)]
    grouped_spans += [m.span() for m in _LOCATION_PHRASE.finditer(text)]
    # a lead-in ("which warehouse") wins; else the first entity noun outside a grouping
    leads = _SUBJECT_LEAD.finditer(text)
    nouns = re.finditer(rf"\b(?:{ANY_NOUN})\b", text)
    possessors = [m.span() for m in _POSSESSOR.finditer(text)]
    for match in itertools.chain(leads, nouns):
        if any(s <= match.start() < e for s, e in grouped_spans):
            continue
        if any(s <= match.end() - 1 < e for s, e in possessors):
            continue
        kind = next(k for k, v in match.groupdict().items() if v)
        if kind != "status":
            return kind
    return None


def subject_named(text: str) -> bool:
    return bool(re.search(rf"\b(?:{ANY_NOUN})\b", text))


def noun_kind(text: str) -> str | None:
    for kind, pattern in NOUN_RE.items():
        if pattern.search(text):
            return kind
    return None


def counted_noun(text: str) -> str | None:
    match = re.search(
        rf"\b(?:how many|number of|count(?: of)?|count the)\s+(?:[\w-]+\s+){{0,3}}?(?:{ANY_NOUN})\b",
        text,
    )
    # "PO count per supplier": the noun named right before "count" is what is counted (a
    # closing "… from indian suppliers count" counts the whole phrase instead)
    match = re.search(rf"\b(?:{ANY_NOUN})\s+(?:count|tally)s?\b(?!\s*$)", text) or match
    if match:
        return next(k for k, v in match.groupdict().items() if v)
    return None


def ranked_subject(text: str) -> str | None:
    match = re.search(rf"\b(?:{ANY_NOUN})\b", text)
    if match:
        kind = next(k for k, v in match.groupdict().items() if v)
        return None if kind in {"po", "status"} else kind
    return None


def plural_subject(text: str, subject: str) -> bool:
    pattern = NOUNS[subject]
    for match in re.finditer(rf"\b(?:{pattern})\b", text):
        word = match.group(0)
        return word.endswith(("s", "ies")) and word not in {"status"}
    return False


#: how many rows a ranking of several entities shows when the question names no number
RANKED_LIST_LIMIT = 10


def default_ranking_limit(text: str, subject: str) -> int:
    """The rows a superlative with no number returns: one for a singular subject ("which
    supplier delivers late most often") or "the one"; a ranked list for a plural "which
    suppliers …" or "top suppliers"; one for another plural ("suppliers with the most late
    deliveries" asks for the leader)."""
    if not plural_subject(text, subject) or re.search(
        r"\b(?:the|which|what) (?:\w+ )?(?:one|single)\b", text
    ):
        return 1
    if re.search(rf"\b(?:which|what) (?:\w+ )?(?:{NOUNS[subject]})\b", text):
        return RANKED_LIST_LIMIT
    ranks = re.search(r"\btop\b|\bbottom\b|\brank", text)
    return 1 if re.search(rf"\b(?:{DESC}|{ASC})\b", text) and not ranks else RANKED_LIST_LIMIT


def per_subject(text: str, subject: str) -> bool:
    """'Which suppliers … and their lead time' asks one value per subject, not one total;
    "the total reorder quantity for the low-stock items" asks one total over them."""
    lead = r"which|what|list|show"
    if not re.search(r"\b(?:total|combined|overall|altogether|in all|sum of)\b", text):
        lead += r"|for (?:all|the) "
    return bool(re.search(rf"\b(?:{lead})\s*(?:all |the )?(?:{NOUNS[subject]})\b", text))


def rankable(subject: str, text: str, limit: int | None) -> bool:
    """Whether a superlative ranks the subject's rows: "which order was the latest" and
    "top 10 late deliveries" rank purchase orders, but "the longest delivery delay" asks
    for one maximum value."""
    if subject == "status":
        return False
    if subject == "po":
        return limit is not None or bool(
            re.search(rf"\b(?:which|what)\s+(?:{NOUNS['po']})\b", text)
        )
    return True


def averaging_unit(text: str, subject: str | None) -> str | None:
    """ "Which warehouses average more than 400 units per part": "per part" is what the
    average is taken over; the warehouses asked about stay the breakdown."""
    match = re.search(rf"\baverag\w*\b.*?\bper\s+(?:{ANY_NOUN})\b", text)
    if match is None or subject is None:
        return None
    kind = next(k for k, v in match.groupdict().items() if v)
    return kind if kind != subject else None

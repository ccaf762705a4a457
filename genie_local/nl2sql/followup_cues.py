"""The words that mark a question as a follow-up to the previous answer ("list them",
"by warehouse", "across all warehouses", "and overall?"): read here so the parser only
records them and ``followup`` decides what they change."""

# ruff: noqa: E501  (vocabulary tables of regular expressions read best one alternative list per line)

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from genie_local.nl2sql.clauses import threshold
from genie_local.nl2sql.lexicon import ANY_NOUN, COMPARATORS, FILTER_KINDS, NOUN_RE, NOUNS

if TYPE_CHECKING:
    from genie_local.nl2sql.vocabulary import Mention

_ALL_OF = re.compile(
    rf"\b(?:across|in|at|for|from|over|of) (?:all|every|any)(?: (?:the|our|of the))? (?:{ANY_NOUN})\b"
    r"|\b(?P<everywhere>everywhere|network[- ]wide|company[- ]wide)\b"
)


_OVERALL = re.compile(  # "and overall?": every filter of the last answer goes
    r"(?:and |what about |how about |now |ok )?(?:overall|in total|altogether|company[- ]wide total|total overall)"
)


def widened(text: str) -> tuple[str, ...]:
    """The kinds a follow-up opens back up: "what about across all warehouses?"."""
    if _OVERALL.fullmatch(text):
        return ("part", "category", "warehouse", "state", "region", "supplier", "country")
    kinds: list[str] = []
    for match in _ALL_OF.finditer(text):
        kind = next((k for k, v in match.groupdict().items() if v), None)
        kind = "warehouse" if kind == "everywhere" else kind
        if kind and kind not in kinds:
            kinds.append(kind)
    return tuple(kinds)


ONLY_A_BREAKDOWN = re.compile(  # "by warehouse", "now per month": regroup the last answer
    # a bare count with only a grouping ("count per warehouse", "how many by month") has
    # no subject of its own: it counts the last answer's rows, filters kept
    r"^(?:and |now |then |ok |so )?(?:(?:can|could|would) (?:you|we) (?:please )?|please |let's |lets )?"
    r"(?:(?:(?:the |a )?(?:count|counts|number|tally)|how many)(?: of (?:them|those|these|rows))? )?"
    r"(?:broken down |(?:split|divide|divided|separate|separated)(?: it| that| this| them| those)?(?: up| out)? |grouped |break(?: it| that| this| these| those| them)? (?:down|out) )?(?:by|per|(?:in|for|at|across) (?:each|every))"
    r" (?:the )?[\w-]+(?: [\w-]+)?(?: and (?:by )?[\w-]+)?[.!]*$"
)
ADDS_BREAKDOWN = re.compile(  # "by category too", "and by month", "break this down by
    # warehouse": a grouping beside the old one, the old measure and filters kept
    r"\b(?:too|as well|also|additionally|in addition)\b|^(?:and|also|plus) (?:also )?(?:by|per)\b"
    r"|\bbreak(?: it| that| this| these| those| them)? (?:down|out) by\b"
)
EACH_LISTED = re.compile(  # "how many late deliveries did each have?": one value per listed row
    r"\b(?:did|does|do|has|have|had|is|are|was|were|of) each\b"
    # "how many parts does each supplier provide" names its own grouping: a new question
    r"(?!\s+(?:[\w-]+\s+)?(?:" + "|".join(NOUNS.values()) + r")\b)"
    r"|\beach (?:one|of them|of those|of these)\b|\b(?:for|per) each\s*$|\beach\s*$"
)
POINTS_BACK = re.compile(  # "for that warehouse", "that one", "in it": the entity just named
    r"\b(?:that|this|the same) (?:one|warehouse|dc|site|location|supplier|vendor|part|item|"
    r"product|category)\b|\b(?:for|in|at|from) (?:it|there)\b(?! (?:is|are|was|were)\b)"
    r"|\b(?:supplies|supply|makes|make|sells|sell|provides|provide|stocks|carries|carry) it\b"
    r"|\b(?:does|do|did) (?:it|that one) (?:have|hold|carry|stock)\b"  # "how many units does it have?"
)
THERE = re.compile(  # "what's out of stock there?": the place just named (not "are there any")
    r"(?<!\bare )(?<!\bis )(?<!\bwere )(?<!\bwas )\bthere\b(?!\s+(?:is|are|was|were|any)\b)"
)
ONLY_A_PLACE = re.compile(  # "whole west region", "the entire _ state": swap the location, keep the question
    r"^(?:and |what about |how about |now |ok |same for )?(?:for |in |across |over |at )?(?:(?:the|our) )?"
    r"(?:(?:whole|entire|full) |all of (?:the |our )?)?_+(?: _+)*"
    r"(?: (?:regions?|states?|warehouses?|dcs?|sites?|locations?|countries|country))?[.!]*$"
)
REFERS_BACK = re.compile(
    r"\b(?:of (?:them|those|these)|how many are|how many of|which (?:of )?(?:them|those|these|ones)"
    r"|they|them|their|its|those ones|these ones|of which|(?:is|are|was|were) (?:that|those|these)"
    r"|count (?:it|that|those|these))\b"
)
LIST_THEM = re.compile(  # a bare "why?" after a number asks for the rows behind it
    r"^why\W*$|^(?:why\W+)?(?:ok |and |now |then )?(?:list|show(?: me)?|name|give me|display|which are|what are)"
    r" (?:them|those|these|they|the ones|which ones|the (?:parts|items|orders|suppliers|warehouses))\b"
    r"|^(?:why\W+)?which (?:ones|are they)\b"
)


SHARE_OF_WHOLE = re.compile(  # "what percentage of all demand last year was that?"
    r"^(?:(?:and|so|ok|now) )?(?:what|which) (?:percent(?:age)?|share|fraction|proportion|%)\b"
    r".*\b(?:is|was|are|were|does|do) (?:that|this|it|those|these|they)\b(?: make up| represent)?\W*$"
    r"|\bas an? (?:percent(?:age)?|share|fraction|proportion) of (?:the |our |all )?(?:total|whole|overall|all)\b"
)
_OVER_GROUPS = re.compile(
    r"\b(?P<avg>average|avg|mean|typical)\b|\b(?P<sum>total|sum|combined|altogether|in all)\b"
)


def over_groups(text: str) -> str | None:
    """ "What's the average?", "the combined number for those three": one aggregate (avg or
    sum) said of the previous breakdown's figures; the merge decides whether it applies."""
    match = _OVER_GROUPS.search(text)
    return None if match is None else ("avg" if match.group("avg") else "sum")


_STOCK_WORDS = re.compile(r"on[- ]hand|in stock|\bstock|inventory|available|reserved")


def bare_quantity(text: str, measure: str | None) -> bool:
    """ "How many units is that?": units, said without naming stock, are units of whatever
    rows the conversation is about (ordered units after purchase orders)."""
    return measure == "on_hand" and _STOCK_WORDS.search(text) is None


NOT_JUST = re.compile(  # "not just overdue ones, all open ones": the named status replaces the old
    r"\bnot (?:just|only)\b|\brather than\b|\binstead of\b"
)
WHICH_ONE = re.compile(  # "which one has the highest value?": the entity the last answer ranked
    r"^(?:(?:and|now|ok|so|then|but) )?(?:which|what) (?:one|ones)\b"
)


_DROPPED_FILTER = re.compile(
    r"\b(?:drop|remove|clear|lose|take off|get rid of|without)\s+(?:the\s+|that\s+)?"
    r"(?P<what>[\w\s&.'-]{1,40}?)\s+(?:filters?|restrictions?|conditions?)\b"
)


_DROPPED_KIND = re.compile(
    rf"\b(?:drop|remove|clear|lose|take off|get rid of|without)\s+(?:the\s+|that\s+)?"
    rf"(?P<what>{FILTER_KINDS})(?=\s*(?:$|[,.!]|\b(?:and|but|just|only|now|then)\b))"
)


def dropped_filters(
    question: str, mentions: list[Mention]
) -> tuple[tuple[int, int], tuple[str, ...]]:
    """ "drop the Boston filter", "without the supplier filter", "drop the region": the
    phrase's span (read no further: its entities and nouns are not new filters or
    subjects) and the kinds whose old filter goes ("window" for a time filter)."""
    lowered = question.lower()
    match = _DROPPED_FILTER.search(lowered) or _DROPPED_KIND.search(lowered)
    if match is None:
        return (0, 0), ()
    if match.re is _DROPPED_KIND and match.group("time"):
        return match.span(), ("window",)
    start, end = match.span("what")
    kinds = [m.kind for m in mentions if start <= m.start and m.end <= end]
    kinds += [kind for kind, noun in NOUN_RE.items() if noun.search(match.group("what"))]
    return match.span(), tuple(dict.fromkeys(kinds))


PER_ROW = re.compile(  # "what are their reorder quantities?", "what is the lead time for them?":
    # a value asked of each row the last answer listed, not one total over them
    r"^(?:(?:and|so|ok|now|then) )?(?:what|how \w+|show(?: me)?|list|give me)\b.*"
    r"(?:\btheir\b|\bfor (?:each of )?(?:them|those|these)\b)"
)


NARROWS = re.compile(  # "which of them have had more than 15 late deliveries", "show me those
    # in the South region": a subset of the rows
    r"\b(?:which|how many|what|any|some|all|none|each|one) of (?:them|those|these|the ones)\b"
    # "of those, which are supplied by X?", "out of them, how many …": the same cue said first
    r"|^(?:(?:and|now|ok|then|so) )?(?:out )?of (?:them|those|these|the ones)\b"
    r"|^(?:(?:and|now|ok|then|so) )?(?:(?:show|list|give)(?: me| us)? |what about |how about |just |only )?"
    r"(?:those|these|the ones) (?:in|at|from|for|located in|based in)\b"
)


_ONLY_A_THRESHOLD = re.compile(  # "only the ones above 3000 units", "only suppliers with more than 15"
    r"^(?:(?:and|now|ok|then|but|so) )?(?:(?:show|list|keep|give|return)(?: me| us)? )?"
    r"(?:only|just|(?:limit|restrict|narrow)(?: it| that| this| them| those| the list| down)? to"
    r"|(?:which|what) (?:ones|of (?:those|them|these))(?: (?:are|were|is|was|have|has|had|got|came in))?)"
    r"(?: (?:show|list|keep|include|give|return))?(?: me| us)?"
    r"(?: (?:the|those|these))?(?: (?:ones|them|[a-z]+s))?"
    r"(?: (?:with|having|that (?:have|has|had|are|is|were)|which (?:have|has|are|is)|where (?:it's|it is|they're|they are)))?"
    r" (?P<threshold>(?:"
    + "|".join(p for _, p in COMPARATORS)
    + r") \$?\s*\d[\d,]*(?:\.\d+)?\s*(?:%|percent|k|thousand|m|million)?)"
    r"(?: (?:units?|pieces?|pcs|dollars?|usd|orders?|pos|purchase orders|deliveries|days?|weeks?|of them))?[.!]*$"
)


_SHARE_OF_THE_TOTAL = re.compile(  # "which categories are more than 10% of the total?"
    r"^(?:(?:and|now|ok|then|but|so) )?(?:(?:which|what)(?: ones| of (?:them|those|these)| [a-z]+)?"
    r"|(?:show|list|keep)(?: me| us)?(?: only| just)?(?: the)?(?: ones| [a-z]+)?)"
    r"(?: (?:that|which))?(?: (?:are|is|were|was|make up|makes up|made up|account for|accounts for|"
    r"accounted for|represent|represents|contribute|contributes|have|has))?"
    r" (?P<threshold>(?:"
    + "|".join(p for _, p in COMPARATORS)
    + r") \d+(?:\.\d+)?\s*(?:%|percent))"
    r" of (?:the |all(?: the)? )?(?:total|overall total|grand total|overall|whole|sum)\b(?: \w+)?[.!]*$"
)


def _bound(pattern: re.Pattern[str], text: str) -> tuple[str, float] | None:
    """The operator and value of a turn that is only ``pattern``'s threshold."""
    match = pattern.match(text)
    read = threshold(match.group("threshold")) if match else None
    return (read[0], read[1]) if read else None


def share_of_the_total(text: str) -> tuple[str, float] | None:
    """ "Which categories are more than 10% of the total?": the previous breakdown's own
    measure, each group bounded by a share of the same grand total."""
    return _bound(_SHARE_OF_THE_TOTAL, text)


def only_a_threshold(text: str) -> tuple[str, float] | None:
    """ "Only the ones above 3000 units": a bound on the previous answer's own measure, with
    no measure of its own (its unit word names the measure already shown)."""
    return _bound(_ONLY_A_THRESHOLD, text)

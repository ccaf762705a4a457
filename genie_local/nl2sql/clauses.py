"""Clauses read from a question's text on their own: breakdowns, thresholds, NOT EXISTS
exclusions, negation and number words. Each reader takes the masked, normalised text.
"""

# ruff: noqa: E501  (vocabulary tables of regular expressions read best one alternative list per line)

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from genie_local.nl2sql.lexicon import (
    ANY_NOUN,
    COMPARATORS,
    GRAIN_RE,
    GROUP_RE,
    SCALE_WORDS,
    THRESHOLD_RE,
    WORD_NUMBERS,
)

if TYPE_CHECKING:
    from genie_local.nl2sql.vocabulary import Mention


def number(text: str) -> int:
    return int(text) if text.isdigit() else WORD_NUMBERS[text]


def negated(text: str, position: int) -> bool:
    return bool(
        re.search(r"\b(?:not|no longer|never|isn't|aren't)\s+(?:\w+\s+)?$", text[:position])
    )


def excluding(text: str, position: int) -> bool:
    return bool(
        re.search(
            r"\b(?:exclud(?:e|es|ing)|except(?: for)?|other than|not counting|ignoring|leaving out|non)[\s-]+(?:the\s+|any\s+|all\s+)?$",
            text[:position],
        )
    )


_COMPARED_QUANTITY = re.compile(
    r"\b(?:(?:whose|where|with|and|that have|having)\s+)?(?:the\s+|their\s+|its\s+)?(?:available|on[- ]hand|net|free)"
    r"(?:\s+(?:quantity|quantities|qty|stock|units|inventory|balance))?\s+(?:is|are|was|were|falls?|sits?|dropped|drops)?\s*$"
)


def compared_quantity_start(text: str, position: int) -> int:
    """Where "available quantity is" starts before a stock status, so that quantity is read
    as part of the status rather than as a measure to total."""
    match = _COMPARED_QUANTITY.search(text[:position])
    return match.start() if match else position


_ALL_TIME = re.compile(  # "over the whole demand history": one total, not a monthly trend
    r"\b(?:whole|entire|full|all(?: of)?(?: the)?|complete)\s+(?:\w+\s+)?history\b|\ball[- ]time\b"
)
# "more than 12 low stock positions": the stock rows a status counts, named as rows
ROW_WORDS = re.compile(r"\s*(?:positions?|rows?|records?|lines?|entries|entry)\b")
# "the American suppliers' on-time rates, one row each": a row per entity the question names
_ONE_EACH = re.compile(
    r"\b(?:individually|separately|one by one|apiece|(?:one (?:row|line) )?each(?: one)?)\s*$"
)
_MORE_GROUPS = re.compile(rf"\s*(?:,|and|&)\s*(?:by |per |each )?(?:the )?(?:{ANY_NOUN})\b")


# "the total worth of all the stock across every site": a totalling word makes "across
# every/the/our <sites>" one figure; without one, "the stock of X across our warehouses"
# lists each site like "in each warehouse"
_TOTALLING = re.compile(r"\b(?:total|totals|all|whole|overall|combined|altogether|entire|sum)\b")


def _totals_across(match: re.Match[str], text: str) -> bool:
    phrase = match.group(0)
    if phrase.startswith(("across all", "for all")):
        return True
    if phrase.startswith("every") and text[: match.start()].endswith("across "):
        phrase = "across " + phrase  # "across every site": GROUP_RE matched from "every"
    return phrase.startswith(("across every", "across the", "across our")) and bool(
        _TOTALLING.search(text)
    )


def groups(text: str) -> tuple[tuple[str, ...], bool]:
    groups: list[str] = []
    for match in GROUP_RE.finditer(text):
        kind = next(k for k, v in match.groupdict().items() if v)
        if kind in {"warehouse", "part", "supplier"} and _totals_across(match, text):
            continue  # "across all warehouses" totals, it does not break down
        if kind not in groups:
            groups.append(kind)
        for more in _MORE_GROUPS.finditer(text, match.end()):
            if more.start() != match.end():
                break
            extra = next(k for k, v in more.groupdict().items() if v)
            if extra not in groups:
                groups.append(extra)
    if not groups and (each := _ONE_EACH.search(text)):
        named = list(re.finditer(rf"\b(?:{ANY_NOUN})\b", text[: each.start()]))
        if named:
            groups.append(next(k for k, v in named[-1].groupdict().items() if v))
    for grain, pattern in GRAIN_RE:
        if re.search(pattern, text) and grain not in groups:
            groups.append(grain)
    if (
        re.search(r"\b(?:trend|over time|time series|history)\b", text)
        and not _ALL_TIME.search(text)
        and not any(g in groups for g in ("day", "week", "month", "quarter", "year"))
    ):
        groups.append("month")
    if (
        re.search(
            r"\bwhere\b.*\b(?:stored|held|located|kept)\b|\bwhich (?:warehouses|locations|dcs)\b.*\b(?:have|hold|stock|carry)",
            text,
        )
        and "warehouse" not in groups
    ):
        pass
    return tuple(groups), bool(groups)


_NUMBER_WORD = "|".join([*WORD_NUMBERS, *SCALE_WORDS, "a"])
_SPELLED_AFTER_COMPARATOR = re.compile(
    r"(?P<op>" + "|".join(p for _, p in COMPARATORS) + r")\s+(?:the\s+)?"
    rf"(?P<words>(?:{_NUMBER_WORD})(?:[\s-]+(?:and\s+)?(?:{_NUMBER_WORD}))*)\b"
)


def spelled_value(words: str) -> int | None:
    """ "one hundred" → 100, "twenty five" → 25, "a thousand" → 1000."""
    total, current = 0, 0
    for word in re.split(r"[\s-]+", words):
        if word in WORD_NUMBERS:
            current += WORD_NUMBERS[word]
        elif word in SCALE_WORDS:
            total += max(current, 1) * SCALE_WORDS[word]
            current = 0
        elif word not in {"a", "and"}:
            return None
    value = total + current
    return value or None


def _with_digits(text: str) -> str:
    """Thresholds written in words ("more than twelve", "under a week") as digits; only
    after a comparator, so "which one" or "top five" keep their own readings."""

    def digits(match: re.Match[str]) -> str:
        unit_follows = re.match(r"\s+(?:weeks?|months?)\b", text[match.end() :]) is not None
        value = (
            1
            if unit_follows and match.group("words") == "a"
            else spelled_value(match.group("words"))
        )
        if value is None or (
            value == 1
            and not unit_follows
            and not re.match(r"more than|greater than|over|exactly", match.group("op"))
        ):
            # "in at least one warehouse" is existence, read as before; "more than one" counts
            return match.group(0)
        return match.group(0)[: match.start("words") - match.start()] + str(value)

    return _SPELLED_AFTER_COMPARATOR.sub(digits, text)


_NUMBER_FIRST = re.compile(
    rf"\b(?P<num>\d[\d,]*%?|{'|'.join(WORD_NUMBERS)})(?P<unit> (?:days?|weeks?|units?|percent))?"
    r"(?: or (?P<way>more|greater|higher|longer|fewer|less|lower|shorter)\b|\+)"
)
_MULTIPLE = re.compile(rf"\bmultiple\s+(?=(?:different\s+|distinct\s+)?(?:{ANY_NOUN})\b)")


# "suppliers that supply only 2 parts": inside a clause about the entity, "only N things"
# is a count bound (exactly N); a bare "only 5" follow-up keeps its row-limit reading
_ONLY_N = re.compile(
    r"\b(?P<lead>(?:that|which|who|with|having|have|has|had)\s+(?:[a-z]+\s+){0,2}?)only\s+"
    rf"(?=(?:\d+|{'|'.join(WORD_NUMBERS)})\s+(?:[a-z-]+\s+)?(?:{ANY_NOUN})\b)"
)


def _comparator_first(text: str) -> str:
    """ "in 2 or more warehouses", "in 2+ warehouses", "30 days or longer", "in multiple
    warehouses" → "in at least 2 warehouses": the comparator before the number, where
    thresholds are read."""

    def moved(match: re.Match[str]) -> str:
        word = (
            "at most" if match.group("way") in {"fewer", "less", "lower", "shorter"} else "at least"
        )
        return f"{word} {match.group('num')}{match.group('unit') or ''}"  # "30 days or more"

    text = _ONLY_N.sub(lambda m: f"{m.group('lead')}exactly ", text)
    return _NUMBER_FIRST.sub(moved, _MULTIPLE.sub("at least 2 ", _fractions_as_percent(text)))


_FRACTIONS = {"half": 50, "third": 100 / 3, "quarter": 25, "fourth": 25, "fifth": 20, "tenth": 10}
_FRACTION_OF = re.compile(
    r"(?P<op>" + "|".join(p for _, p in COMPARATORS) + r")\s+(?:a\s+|one\s+)?"
    rf"(?P<fraction>{'|'.join(_FRACTIONS)})\s+of\b"
)


def _fractions_as_percent(text: str) -> str:
    """ "more than a fifth of", "at least half of" → "more than 20% of": one share reading."""
    return _FRACTION_OF.sub(
        lambda m: f"{m.group('op')} {_FRACTIONS[m.group('fraction')]:g}% of", text
    )


def share_threshold(text: str) -> str | None:
    """When the threshold is a share of the rows ("suppliers where over 20% of received POs
    came in late"), the words before it, which name the entity the share is taken per; the
    threshold then bounds the rate the status defines rather than a count or a total."""
    normalised = _with_digits(_comparator_first(text))
    match = THRESHOLD_RE.search(normalised)
    if (
        match
        and match.group("unit") in {"%", "percent"}
        and re.match(r"\s*of\b", match.group("after") or "")
    ):
        return normalised[: match.start()]
    return None


# "account for more than 10% of all purchase orders": the share is of a grand total, not of
# each entity's own rows ("over 20% of their POs came in late" bounds a rate instead)
_OF_ALL = re.compile(
    r"(?:%|percent)\s*of\s+(?:all|total|the total|overall|the overall|every)\b(?!\s+(?:their|its)\b)"
    r"(?P<base>(?:\s+[a-z_-]+){1,4})"
)


def share_of_all_base(text: str) -> str | None:
    """The words naming what a share of the grand total is taken of ("purchase orders",
    "late deliveries"), so a bare count of those rows can be the measure bounded."""
    match = _OF_ALL.search(_with_digits(_comparator_first(text)))
    return match.group("base").strip() if match else None


def threshold(text: str) -> tuple[str, float, str | None] | None:
    match = THRESHOLD_RE.search(_with_digits(_comparator_first(text)))
    if not match:
        return None
    operator = next(
        name for name, pattern in COMPARATORS if re.fullmatch(pattern, match.group("op"))
    )
    value = float(match.group("num").replace(",", ""))
    unit = match.group("unit") or ""
    if unit in {"k", "thousand"}:
        value *= 1_000
    elif unit in {"m", "million"}:
        value *= 1_000_000
    elif unit in {"%", "percent"}:
        value /= 100
    elif unit.startswith("week"):
        value *= 7  # lead times are in days
    elif unit.startswith("month"):
        value *= 30
    return operator, value, (match.group("after") or "").strip() or None


def scaled(measure: str, value: float) -> float:
    """Rates are stored as 0..1: "below 90" means 0.9 for a rate."""
    if (
        measure in {"quoted_on_time", "on_time_rate", "on_time_gap", "late_rate", "utilization"}
        and value > 1
    ):
        return value / 100
    return value


_SHORTHAND = [
    (re.compile(r"\bw/o\b"), "without"),
    (re.compile(r"\bw/(?=\s)"), "with"),
    (re.compile(r"\b(have|has|had|is|are|was|were|do|does|did)nt\b"), r"\1n't"),
    (re.compile(r"\boos\b"), "out of stock"),
    (re.compile(r"\bcats\b"), "categories"),
    (re.compile(r"\bcat\b"), "category"),
    (re.compile(r"\binv\b"), "inventory"),
    (re.compile(r"\bpoorest\b"), "worst"),  # a judged superlative: the measure's bad end
]


def expand_shorthand(text: str) -> str:
    """ "w/o" → "without", "havent" → "haven't", "oos" → "out of stock": typed shorthand, read as the words it stands for."""
    for pattern, words in _SHORTHAND:
        text = pattern.sub(words, text)
    return text


_NEGATION = re.compile(
    # "have any overdue orders" asks that one exists; "without any", "don't have any" deny it
    r"\b(?:with|have|has|having|had|that have|that had)\s+(?:no|zero|not any|nothing)\b"
    r"|\b(?:without|(?:do|does|did) not have|(?:don't|doesn't|didn't) have|lack(?:ing|s)?)\s+(?:no|zero|not any|any|nothing)\b"
    r"|\b(?:not|never|haven't|hasn't|hadn't)\s+(?:(?:had|have|has|seen|got(?:ten)?|recorded|logged)\s+)?(?:a single|one single|even one|single|one)\b"
    r"|\b(?:(?:don't|doesn't|didn't|do not|does not|did not)(?: yet| currently| even)? have)\b(?!\s+to\b)"
    r"|\bnone of (?:their|its|the(?:ir)?)(?: own)?\b"  # "none of their parts out of stock"
    r"|\black(?:ing|s)?\b|\bwithout\b|\bno\b|\bnever\b|\bnothing\b|\bnot\b|\bisn't\b|\baren't\b|\bhaven't\b|\bhasn't\b|\bhadn't\b|\bnone\b|\bzero\b"
)
_PO_NOUN = r"(?:\s+(?:purchase orders?|pos?|orders?|deliveries|delivery|shipments?|receipts?|replenishment|on order))?"
# "none of their orders overdue", "no deliveries of theirs were late": the state after the noun
_PO_STATE = r"|\s*(?:any\s+|an?\s+)?(?:purchase orders?|pos?|orders?|deliveries|delivery|shipments?)\s+(?:of (?:theirs|its own|their own)\s+)?(?:(?:is|are|was|were)\s+)?"
_STOCK_NOUN = r"\s*(?:any\s+|an?\s+(?:single\s+)?|(?:even\s+)?one\s+(?:single\s+)?)?(?:(?:_+\s+)?(?:parts?|items?|skus?|products?)\s+(?:of (?:theirs|its own|their own)\s+)?(?:(?:that|which) (?:is|are|was|were)\s+|(?:is|are|was|were|running|going)\s+)?)?"
_EXCLUDED_EVENTS = [
    ("out", _STOCK_NOUN + r"(?:stock(?:ed)?[- ]?outs?|out[- ]of[- ]stock|(?:ever\s+)?(?:been|gone|went|go|gotten|run|ran)\s+out(?: of stock)?)"),
    ("critical", _STOCK_NOUN + r"(?:(?:below|under) (?:the |their |its )?safety[- ]stock|critical(?:ly low)?)"),
    ("low", _STOCK_NOUN + r"(?:low[- ]stock|low\b(?![- ]?(?:on[- ]time|lead|costs?|demand|value|prices?|rates?))|(?:below|under) (?:the |their |its )?reorder (?:point|level)s?)"),
    ("open_po", r"\s*(?:any\s+|an?\s+)?(?:currently\s+)?(?:open|pending|outstanding|incoming|inbound)\b" + _PO_NOUN
     + r"|\s*(?:any\s+|an?\s+)?(?:replenishment\s+|restock(?:ing)?\s+)?(?:purchase orders?|pos?|orders?)\s+(?:open|pending|outstanding|on order|in transit|incoming|inbound|on (?:the|its|their) way|en route)"
     + r"|\s*(?:currently\s+|yet\s+|any(?:thing)?\s+|(?:\w+\s+)?units?\s+)?on order|\s*(?:been\s+)?(?:covered|backed) by\s+(?:an?\s+|any\s+)?(?:open\s+)?(?:purchase orders?|pos?|orders?)"
     + r"|\s*(?:any(?:thing)?\s+)?(?:incoming|inbound|in transit)"),
    ("cancelled_po", r"\s*(?:any\s+|an?\s+)?(?:cancel+(?:ed|ations?))" + _PO_NOUN
     + r"|\s*(?:had\s+|have\s+)?(?:any\s+|an?\s+)?(?:purchase orders?|pos?|orders?)\s+(?:been\s+)?cancel+ed"),
    ("overdue_po", r"\s*(?:any\s+|an?\s+)?(?:overdue|past[- ]due)" + _PO_NOUN + _PO_STATE + r"(?:overdue|past[- ]due)"),
    ("late", r"\s*(?:any\s+|an?\s+)?(?:late|delayed)" + _PO_NOUN + _PO_STATE + r"(?:(?:delivered|arrived|received|came in)\s+)?(?:late|delayed)\b|\s*(?:been\s+)?(?:delivered|arrived|shipped|received)\s+late"),
    ("any_po", r"\s*(?:any\s+|an?\s+)?(?:purchase orders?|pos?\b|orders?)|\s*(?:been\s+|ever\s+(?:been\s+)?)?(?:re)?ordered"),
    ("demand", r"\s*(?:any\s+)?(?:recent\s+)?(?:demand|sales|usage|consumption)|\s*(?:been\s+|ever\s+(?:been\s+)?)?(?:sold|used|consumed)"
     + r"|\s*longer\s+(?:in demand|(?:being\s+)?(?:sold|used|consumed|needed))"),  # "no longer in demand"
    ("received_po", r"\s*(?:been\s+|ever\s+(?:been\s+)?)?(?:received|delivered)\b(?!\s+late)"),
]  # fmt: skip
_EXCLUDED_RE = [(name, re.compile(pattern)) for name, pattern in _EXCLUDED_EVENTS]
_STATE_NEGATIONS = {"not", "isn't", "aren't"}
# the verb or preposition between a negation and the event it denies: "never on a cancelled
# PO", "never got a late delivery", "not part of any open order"
_EVENT_LINK = re.compile(
    r"\s*(?:(?:ever|yet|once|been|even)\s+)*(?:on|in|part of|included in|covered by|under|"
    r"got(?:ten)?|get|gets|received?|receives|had|has|have|seen|saw|experienced|suffered|"
    r"appeared (?:on|in)|featured (?:on|in))(?=\s)"
)


_IN_STOCK_EVERYWHERE = re.compile(
    r"\b(?:are|is)\s+(?:in stock|stocked)\s+(?:everywhere|(?:in|at)\s+"
    r"(?:every|all(?: the| our)?)\s+(?:warehouses?|whs?|dcs?|locations?|sites?|depots?))\b"
)  # a universal over the parts listed; "how many … in stock in every warehouse" is a breakdown


# the negation after the verb: "delivered nothing to LA", "received nothing from Apex",
# "made no deliveries", "didn't deliver anything" deny a received order
_NO_DELIVERY = re.compile(
    r"\b(?:(?:delivered|shipped|sent|supplied|received)\s+(?:nothing|no\s+(?:orders?|deliveries|shipments?|units|parts|goods|stock))"
    r"|(?:made|had|completed)\s+no\s+(?:deliveries|shipments)"
    r"|(?:didn't|did not|haven't|hasn't|have not|has not)\s+(?:delivered|deliver|shipped|ship)\s+(?:anything|any\s+(?:orders?|units|parts|goods|stock)))\b"
)


# "suppliers that don't supply any Brakes parts", "make no parts in Cooling": the supplier's
# catalogue, not an order, holds none of those parts
_NO_SUPPLY = re.compile(
    r"\b(?:(?:don't|doesn't|didn't|do not|does not|did not|never)\s+(?:supply|make|sell|provide|offer|produce|manufacture)\s+(?:any|a single)"
    r"|(?:supply|supplies|make|makes|sell|sells|provide|provides|offer|offers|produce|produces)\s+no)"
    r"\s+(?:_+\s+)?(?:parts?|items?|products?|skus?)\b"
)


def exclusions(text: str) -> tuple[list[str], str]:
    """NOT EXISTS readings ("with no open purchase order", "nothing on order", "never
    ordered"), and the text with those phrases cut out so their words are not read again
    as statuses ("overdue") or as the thing listed ("orders")."""
    found: list[str] = []
    spans: list[tuple[int, int]] = []
    if (universal := _IN_STOCK_EVERYWHERE.search(text)) and not re.search(
        r"\bhow (?:much|many)", text
    ):
        found.append("out")  # "in stock in every warehouse": no stockout anywhere
        spans.append(universal.span())
    for name, denial in (("received_po", _NO_DELIVERY), ("supplied_part", _NO_SUPPLY)):
        for match in denial.finditer(text):
            if name not in found:
                found.append(name)
            spans.append(match.span())
    for match in _NEGATION.finditer(text):
        if any(s <= match.start() < e for s, e in spans):
            continue
        tail = text[match.end() : match.end() + 80]
        linked = _EVENT_LINK.match(tail)
        for name, pattern in _EXCLUDED_RE:
            if name == "received_po" and match.group() in _STATE_NEGATIONS:
                continue  # "orders not received": the orders' own state, not an absent event
            if (hit := pattern.match(tail)) or (
                linked and (hit := pattern.match(tail, linked.end()))
            ):
                if name not in found:
                    found.append(name)
                spans.append((match.start(), match.end() + hit.end()))
                break
    for start, end in reversed(spans):
        text = text[:start] + " " + text[end:]
    return found, text


_QUOTED = r"quoted|quotes?|promised|promises?|stated|listed|advertised|contract(?:ed|ual)?|target|claimed|committed|nominal|official"
_ACTUAL = r"actual(?:ly)?|real|measured|observed|historic\w*|track record|in practice|really"
_PAIRS = {  # either reading of a measure → (actual measure, quoted measure)
    "on_time_rate": ("on_time_rate", "quoted_on_time"),
    "quoted_on_time": ("on_time_rate", "quoted_on_time"),
    "actual_lead_time": ("actual_lead_time", "lead_time"),
    "lead_time": ("actual_lead_time", "lead_time"),
}
_VERSUS_QUOTED = re.compile(
    r"\b(?P<op>below|under|lower than|less than|worse than|short of|above|over|higher than|greater than|"
    r"better than|more than|exceed(?:s|ed|ing)?|surpass(?:es|ed|ing)?|longer than|shorter than|slower than|faster than|beyond|"
    r"miss(?:es|ing)?|beat(?:s|ing)?|less often than|more often than)\s+(?:their |its |the |they |it |what (?:they|it) (?:quote[sd]?|promise[sd]?)\s*)?"
    rf"(?:{_QUOTED})?"
)
# "the difference between the quoted lead times of A and B": two named entities' quotes
# compared, not each one's actual against its quote
_BETWEEN_NAMED = re.compile(r"\b(?:difference|gap)\b.*\bbetween\b[^_]*_+\s+and\s+(?:the )?_")
# "compare the quoted lead time of American suppliers with that of Canadian ones": the two
# named groups' quotes compared, unless an actual figure is named too
_NAMED_COMPARED = re.compile(r"_+[^_]*\b(?:with|to|and|vs\.?|versus|against)\b[^_]*_")
_HIGHER = r"above|over|higher than|greater than|more than|exceed(?:s|ed|ing)?|surpass(?:es|ed|ing)?|longer than|slower than|beyond"


def companion(text: str, measure: str | None) -> tuple[str, str, str | None] | None:
    """Actual against quoted ("actual vs quoted on-time rate", "suppliers whose lead time is
    longer than quoted"): (actual measure, quoted measure, operator or None). The operator
    compares actual to quoted; "worse"/"better" depend on which way the measure is good."""
    if measure not in _PAIRS or not re.search(rf"\b(?:{_QUOTED})\b", text):
        return None
    actual, quoted = _PAIRS[measure]
    versus = _VERSUS_QUOTED.search(text)
    if versus and re.search(rf"(?:{_QUOTED})\s*$", versus.group(0)) is None:
        versus = None  # "below 90%" compares to a number, not to the quote
    gap_words = "" if _BETWEEN_NAMED.search(text) else r"|\bgap\b|\bdifference\b"
    compare_words = (
        "" if _NAMED_COMPARED.search(text) else r"|\bvs\.?|\bversus\b|\bcompar\w*|\bagainst\b"
    )
    if versus is None and not re.search(rf"\b(?:{_ACTUAL})\b{compare_words}{gap_words}", text):
        return None
    if versus is None:
        return actual, quoted, None
    word = versus.group("op")
    if word.startswith(("worse", "miss")):
        higher = actual != "on_time_rate"
    elif word.startswith(("better", "beat")):
        higher = actual == "on_time_rate"
    else:
        higher = re.fullmatch(_HIGHER, word) is not None
    return actual, quoted, "gt" if higher else "lt"


_GAP = re.compile(
    r"\b(?:gap|difference|shortfall|discrepancy|deviation|overrun|spread)\b"
    r"|\b(?:furthest|farthest|most|biggest|largest|widest)\s+(?:\w+\s+)?(?:short|below|behind|under|off|over|above|beyond)\b"
    r"|\bby the (?:most|widest margin|largest margin|biggest margin)\b"
    r"|\b(?:under|over)[- ]?(?:perform|deliver)\w*\s+(?:\w+\s+){0,4}?(?:the )?most\b"
)
_GAP_MEASURES = {"on_time_rate": "on_time_gap", "actual_lead_time": "lead_time_gap"}


def gap(text: str, actual: str, ranked: bool) -> str | None:
    """A ranking by how far actual falls from quoted ("which supplier misses its quoted
    on-time rate by the most", "biggest gap between quoted and actual lead time"): the
    gap measure, signed so that larger is worse (a shortfall in on-time rate, an overrun
    in lead time)."""
    if actual in _GAP_MEASURES and GAP_BOUND.search(text):
        return _GAP_MEASURES[actual]
    if actual not in _GAP_MEASURES or not _GAP.search(text):
        return None
    if not ranked and not re.search(r"\b(?:gap|difference|shortfall|overrun)\b", text):
        return None
    return _GAP_MEASURES[actual]


#: "miss their quoted on-time rate by more than 5 points": a bound on the gap itself
GAP_BOUND = re.compile(
    r"\b(?:miss\w*|fall\w*|fell|short|behind|over\w*|exceed\w*|late)\b.*\bby (?:more|less|fewer|over|under|at least|at most)\b"
)


_EXCLUDING = re.compile(
    r"\b(?:exclud(?:e|es|ing)|except(?: for)?|other than|besides|apart from|aside from|but not|"
    r"not in|not at|not from|outside(?: of)?|minus|leav(?:e|ing) out|ignor(?:e|ing)|skip(?:ping)?)"
    r"\s+(?:the |any |all )?$"
)
_LIST_JOINER = re.compile(r"^\s*(?:,|and|or|&|nor)\s*(?:the )?$")


def excluded_mentions(question: str, mentions: list[Mention]) -> list[Mention]:
    """Entities the question leaves out ("excluding Fasteners", "other than Chicago and
    Dallas"): each one right after an excluding word, or listed right after one that is."""
    lowered = question.lower()
    excluded: list[Mention] = []
    previous_end: int | None = None
    for mention in mentions:
        before = lowered[: mention.start]
        if _EXCLUDING.search(before) or (
            previous_end is not None and _LIST_JOINER.match(lowered[previous_end : mention.start])
        ):
            excluded.append(mention)
            previous_end = mention.end
        else:
            previous_end = None
    return excluded

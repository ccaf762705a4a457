"""Which questions get no SQL at all: requests to change data (refused) and questions the
space's data cannot answer (abstained).

Refusal is checked first and on the raw text, so an injection hidden after a normal
question ("Show me parts; DROP TABLE parts;") is declined rather than half-answered.
"""

# ruff: noqa: E501  (vocabulary tables of regular expressions read best one alternative list per line)

from __future__ import annotations

import re

from genie_local.nl2sql.lexicon import FILTER_KINDS

REFUSE_MESSAGE = (
    "I can only read the inventory data; I can't change, add or delete anything. "
    "Ask me a question about it instead."
)
ABSTAIN_MESSAGE = (
    "This space can't answer that: it only holds inventory data (parts, warehouses, "
    "suppliers, stock levels, demand and purchase orders)."
)

_SQL_WRITE = re.compile(
    r";\s*\w|--|/\*|\b(?:drop|truncate|alter|grant|revoke|attach|detach|copy|pragma|vacuum)"
    r"\s+(?:table|database|schema|view|index|all|\w+\s+(?:to|from))\b"
    r"|\bdelete\s+from\b|\binsert\s+into\b|\bupdate\s+\w+\s+set\b|\bunion\s+(?:all\s+)?select\b"
    r"|'\s*or\s+'?1'?\s*=\s*'?1|\bexec(?:ute)?\s*\(",
    re.IGNORECASE,
)
_WRITE_VERBS = (
    r"delete|remove|drop|truncate|erase|wipe|purge|destroy|clear out|update|insert|add|create|"
    r"alter|set|change|modify|edit|rename|reset|overwrite|replace|mark|cancel|close|approve|"
    r"increase|decrease|raise|lower|adjust|move|transfer|write|place|submit|book|assign|fix"
)
_POLITE = (
    r"(?:(?:please|can you|could you|would you|i want you to|go ahead and|let'?s|now|ok(?:ay)?|"
    r"alright|all right|right|great|good|thanks|then|so|and)[\s,!.]+)*"
)
_IMPERATIVE = re.compile(rf"^\s*{_POLITE}(?:{_WRITE_VERBS})\b(?!\s+up\b)", re.IGNORECASE)
_ANYWHERE = re.compile(
    r"\b(?:delete|drop|truncate|erase|wipe|purge|insert)\b"
    r"|\bset\s+(?:the\s+)?[\w\s-]{0,40}?\bto\s+\d"
    r"|\b(?:change|update|modify|increase|decrease|reduce)\s+(?:the\s+)?[\w\s-]{0,40}?\b(?:to|by)\s+\d",
    re.IGNORECASE,
)
# "drop the Boston filter": a follow-up taking back a filter of the last answer, not a write
_FILTER_REMOVAL = re.compile(
    rf"^\s*(?:ok\s+|and\s+|now\s+)?{_POLITE}(?:drop|remove|clear|lose|take off|get rid of)\s+(?:the\s+|that\s+)?"
    r"[\w\s&.'-]{1,40}?\s+(?:filters?|restrictions?|conditions?)\W*$",
    re.IGNORECASE,
)
# "drop the region, just brakes": after an answer, a filter taken back by naming its kind
_KIND_REMOVAL = re.compile(
    rf"^\s*(?:ok\s+|and\s+|now\s+)?{_POLITE}(?:drop|remove|clear|lose|take off|get rid of)\s+(?:the\s+|that\s+)?"
    rf"(?:{FILTER_KINDS})(?:\s+(?:filters?|restrictions?|conditions?))?(?=\s*(?:$|[,.!]|\b(?:and|but|just|only|now|then)\b))",
    re.IGNORECASE,
)
# "change that to 6 weeks": after an answer, a new length for its time window, not a write
_WINDOW_CHANGE = re.compile(
    rf"^\s*(?:ok\s+|and\s+|now\s+)?{_POLITE}(?:change|set|switch|make|narrow|widen|extend|shorten|expand|cut)\s+"
    r"(?:(?:it|that|this|the (?:window|period|time ?(?:frame|window|range)|date range))\s+)?(?:(?:back\s+)?to\s+)?"
    r"(?:the\s+)?(?:(?:last|past|previous|prior|trailing)\s+)?\w+[ -](?:days?|weeks?|months?|quarters?|years?)"
    r"(?:\s+instead)?\W*$",
    re.IGNORECASE,
)
_WRITE_POEM = re.compile(r"^\s*(?:please\s+)?write\s+(?:me\s+)?(?:a|an)\s+(?:poem|song|story|essay|haiku|limerick|joke|email|letter)", re.IGNORECASE)  # fmt: skip

_OUT_OF_DOMAIN = re.compile(
    r"\b(?:weather|temperature|rain(?:ing)?|snow(?:ing)?|forecast for|ceo|cfo|cto|founder|founded|owns|owner of|manager|managers|run by|"
    r"president|stock price|share price|market cap\w*|stock market|ticker|employees?|staff|"
    r"headcount|workers|salar(?:y|ies)|wages?|payroll|hire|hired|poem|song|joke|story|essay|"
    r"haiku|limerick|recipe|capital of|news|election|football|sports?|movie|customers?|"
    r"revenue|profits?|margins?|selling price|sale price|list price|retail price|phone numbers?|"
    r"e-?mail(?: address(?:es)?)?s?|contact (?:details|info\w*|numbers?|persons?)|website|twitter|linkedin|translate|meaning of life|horoscope|bitcoin|"
    r"crypto|exchange rate|interest rate|tax(?:es)?|lawsuit|ratings?|reviews?|time zone|"
    r"who are you|your name|how old|drivers?|trucks?|trucking|couriers?|carriers?|freight|fuel price|"
    r"gas price|parking|shifts?|shipping (?:[\w\s]{0,40}?)?(?:costs?|rates?|fees?|prices?|charges?)\b|containers?|pallets?|(?:shelf|storage|bin) (?:bins?|locations?|slots?|positions?|numbers?)|aisles?|tracking (?:numbers?|ids?|codes?|links?)|serial numbers?|barcodes?|(?:costs?|price|charges?|fees?) (?:to|of|for) (?:ship|send|transport|move|haul|truck)\w*|postage|"
    r"transport(?:ation)? costs?|delivery (?:fees?|charges?)|street address|square (?:feet|footage)|"
    r"rent|lease|insurance|warranty|warranties|invoices?|payment terms|population|census|gdp|"
    r"how far (?:is|away)|distance (?:from|to|between)|crime|overtime|vacation|holidays?|manag(?:es|ed|ing)|supervis\w+|in charge of|"
    # equipment and assets: the space holds parts stocked for sale, not the sites' own kit
    r"forklifts?|pallet jacks?|racks?|racking|machines?|machinery|equipment|vehicles?|vans?|trailers?|"
    r"conveyors?|scanners?|robots?|loading docks?|computers?|printers?|cameras?|"
    # people: the space holds no headcount, whatever the warehouse named beside it
    r"people|persons?|personnel|labou?r|work(?:s|ing)? (?:at|in|for)|"
    # raw materials and commodities, and any price still to come: no market data here
    r"steel|copper|alumin(?:um|ium)|nickel|zinc|lumber|commodit(?:y|ies)|raw materials?|"
    r"(?:what|how much) will (?:the )?[\w\s]{0,30}?(?:prices?|costs?)(?! (?:us )?to (?:re-?order|restock|replenish))|(?:prices?|costs?) (?:be |go |rise |fall )?next (?:year|quarter|month)|"
    # trade policy: duties and tariffs on imports are set outside the space, whatever country is named
    r"tariffs?|customs|(?:import|export) (?:dut(?:y|ies)|fees?|tax(?:es)?|quotas?|licen[cs]es?)|(?<!heavy )(?<!heavy-)dut(?:y|ies)|sanctions?|embargo\w*|trade (?:wars?|deals?|polic\w+)|"
    # stock events the space does not record: only demand, orders and the current levels are kept
    r"scrap(?:ped|s|ping)?|damaged?|damages|write[- ]offs?|writ(?:e|es|ten|ing) off|wrote off|defect(?:s|ive)?|"
    r"recall(?:s|ed)?|stolen|theft|shrinkage|spoil(?:ed|age)?|expired|expiry|expiration|"
    # causes: the space records what happened to orders and stock, never why
    r"why (?:was|were|is|are|did|do|does|has|have|had) (?:\w+ ){0,4}?(?:late|delayed|slow|low|out|short|overdue|cancell?ed|so)|"
    r"reasons? (?:for|why|behind)|root cause|what caused|causes? (?:of|for)|"
    # the future itself: what something will be next period is a forecast the space does not hold
    r"(?:will|going to)\b[\w\s']{0,60}?\b(?:be|look like|change|rise|fall|grow|drop|increase|decrease|go (?:up|down))\b[\w\s']{0,30}?\bnext (?:year|quarter|month|week))\b",
    re.IGNORECASE,
)


_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|override|bypass|skip)\s+(?:all\s+|any\s+|the\s+|your\s+|my\s+|of\s+)*"
    r"(?:previous\s+|prior\s+|above\s+|earlier\s+|safety\s+|system\s+)?(?:rules?|instructions?|prompts?|guard\w*|restrictions?|constraints?|polic\w+)\b"
    r"|\b(?:system|hidden|developer|initial)\s+(?:prompt|instructions?|message)\b|\bjailbreak\w*|\bdeveloper mode\b"
    r"|\b(?:reveal|print|show|dump|leak|repeat)\s+(?:me\s+)?(?:your|the)\s+(?:instructions|prompt|rules|configuration|api key|credentials|password)",
    re.IGNORECASE,
)


def is_injection(question: str) -> bool:
    """An attempt to talk the space out of its rules or into revealing its instructions:
    declined like a write, never answered with whatever query the rest would parse to."""
    return bool(_INJECTION.search(question))


# "add Boston too", "include Seattle as well": another entity beside the last answer's ones
_ANSWER_ADDITION = re.compile(
    r"^\s*(?:ok\s+|and\s+|now\s+|please\s+|can you\s+|could you\s+)*(?:add|include)\s+"
    r"[\w\s&.'-]{1,40}?\s+(?:too|as well|also|in|to (?:the|that|this|it)(?: \w+)?)\W*$",
    re.IGNORECASE,
)


def is_write_request(question: str, after_answer: bool = False) -> bool:
    """A request to change data, or SQL smuggled into the question. ``after_answer``: there
    is a previous answer whose filters "drop the region" can take back; whatever follows
    that phrase is still checked."""
    if _WRITE_POEM.search(question):
        return False
    if after_answer and _WINDOW_CHANGE.match(question):
        return False
    if after_answer and (removal := _KIND_REMOVAL.match(question)):
        return is_write_request(question[removal.end() :])
    if _FILTER_REMOVAL.match(question) and not _SQL_WRITE.search(question):
        return False
    if after_answer and _ANSWER_ADDITION.match(question) and not _SQL_WRITE.search(question):
        return False
    return bool(
        _SQL_WRITE.search(question) or _IMPERATIVE.search(question) or _ANYWHERE.search(question)
    )


def is_out_of_domain(question: str) -> bool:
    """Words that name something this space has no data about."""
    return bool(_OUT_OF_DOMAIN.search(question)) or bool(_WRITE_POEM.search(question))

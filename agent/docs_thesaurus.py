"""The inventory space's own words, and the other words people use for them.

A word index finds a passage by the words it shares with the question, and people rarely
use the documents' words: they say "vendor" for supplier, "rush" for expedite, "buffer"
for safety stock, "per-day usage" for average daily demand, "stocked out" for out of
stock, "full physical inventory" for the annual stocktake. This table is the business's
vocabulary, concept by concept (the headings of the corpus: stock status, demand,
purchase orders, supplier terms, warehouse and company procedures): each row is the
everyday ways of saying a concept and the words the documents use for it. A question that
says one of them is also searched for the documents' words (agent/docs_index.py).

The rows are synonyms of the business's terms, not of any test sentence; a row must not
send an everyday word somewhere else ("open" is a purchase order status, so opening hours
are "opens", "opening", "what time"). Only the local index reads this: a Vector Search
index on Databricks matches meanings through its embeddings.
"""

from __future__ import annotations

import re

#: (what a question may say, the documents' words for it), grouped by concept
_SYNONYMS: tuple[tuple[str, str], ...] = (
    # the parties and the goods
    (r"\bvendors?\b|\bvendor's\b", "supplier"),
    (r"\bla\b", "los angeles"),
    (r"\bbuy\w*|\bpurchas\w*|\bsource\w*|\bprocure\w*", "order"),
    # stock status (definitions-stock-status)
    (r"\bbuffer\b", "safety stock"),
    (
        r"\b(?:under|below|beneath|short of|dips? (?:under|below)|dropped (?:under|below))"
        r"(?: (?:its|the|their|a))? (?:safety|buffer)\b",
        "below safety stock critical",
    ),
    (r"\breorder (?:level|threshold|trigger)\b|\btrigger (?:level|point)\b", "reorder point"),
    (
        r"\bneed(?:s|ing)? (?:a |to be )?reorder\w*|\bdue for (?:a )?reorder\w*|\brunning low\b",
        "low stock",
    ),
    (
        r"\bstock(?:ed)?[ -]?outs?\b|\bstocks? out\b|\bnothing (?:left )?on the shelf",
        "out of stock",
    ),
    (r"\bpromised to customers\b|\bcustomer orders?\b|\ballocat\w*|\bset aside\b", "reserved"),
    (r"\bearmark\w*|\bon hold for\b", "reserved"),
    (
        r"\bfree to (?:sell|ship|use|promise)\b|\bsellable\b|\bunreserved\b"
        r"|\bnot (?:reserved|promised)\b|\bnet of reserv\w*",
        "available quantity",
    ),
    # demand and days of supply (definitions-demand-and-supply)
    (r"\busage\b|\bconsumption\b|\bconsum\w*|\bburn rate\b|\brun rate\b|\bsales rate\b", "demand"),
    (r"\bper[- ]day\b|\ba day\b|\beach day\b", "daily"),
    (r"\bdays? of cover\b|\bcover(?:age)?\b|\bdays'? worth\b", "days of supply"),
    (
        r"\bruns? (?:dry|out)\b|\brunning (?:dry|out)\b|\bran (?:dry|out)\b"
        r"|\bbefore (?:a|the) \w+ (?:order|po)",
        "stockout risk",
    ),
    (r"\bseason\w*|\bsummer\b|\bwinter\b|\bspring\b|\bautumn\b|\bholidays?\b", "seasonal"),
    (r"\bpre-?build\w*|\bstock(?:ing)? up\b", "seasonal adjustment"),
    (r"\bincrease\w*|\bboost\w*|\bbump\w*|\buplift\b|\bgo(?:es|ing)? up\b", "raise"),
    (r"\b(?:which|what) months?\b|\btime of (?:the )?year\b", "seasonal adjustment"),
    # purchase orders and deliveries (definitions-purchase-orders, the PO lifecycle)
    (r"\bpast due\b|\blate (?:po|order)s?\b", "overdue"),
    (
        r"\bopen\b.*\blate\b|\blate\b.*\bopen\b|\bnot (?:yet )?(?:arrived|received|delivered)\b"
        r"|\bhas(?:n't| not) (?:arrived|been received|been delivered|turned up)\b",
        "overdue",
    ),
    (r"\bwithdraw\w*|\bcall(?:ing)? off\b|\bscrap\w*|\bpull(?:ing)? back\b", "cancel"),
    (r"\blateness\b|\bhow late\b", "days late"),
    (r"\bahead of\b|\bbefore (?:its|the) (?:expected|due)\b|\bahead of schedule\b", "early"),
    (
        r"\b(?:states?|stages?|statuses)\b(?=.*\b(?:pos?|purchase orders?|orders?)\b)"
        r"|\b(?:pos?|purchase orders?|orders?)\b.*\b(?:states?|stages?|statuses)\b",
        "purchase order status",
    ),
    (r"\bworked out\b|\bwork out\b|\bcomputed\b|\bderived\b|\bfigured\b", "calculated"),
    (
        r"\bpart of (?:the|a|an|its) (?:shipment|delivery|order)\b|\bpartial\w*"
        r"|\bhalf (?:of )?(?:the|a|an|its) (?:shipment|delivery|order|po)\b|\bonly (?:some|half)\b"
        r"|\bshort[- ]?ship\w*|\bincomplete (?:shipment|delivery|order)\b",
        "partial deliveries",
    ),
    (
        r"\bcame in\b|\bcomes in\b|\bturn(?:s|ed)? up\b|\bshow(?:s|ed)? up\b|\blands?\b"
        r"|\bgets? delivered\b",
        "arrive receiving",
    ),
    (
        r"\b(?:last|this|past|previous) (?:\d+ )?(?:days?|weeks?|months?|years?|quarters?)\b",
        "time periods",
    ),
    # supplier terms (supplier-*)
    (r"\bturnaround\b|\bdelivery time\b|\bhow long \w+ \w+ take", "lead time"),
    (r"\bfastest\b|\bquickest\b|\bsoonest\b", "shortest lead time"),
    (r"\bshort (?:on|of)\b|\brunning short\b", "stockout risk"),
    (
        r"\b(?:smallest|minimum|min|least|lowest)\b(?: [\w'-]+){0,4} (?:purchase )?"
        r"(?:order|po|amount|value|spend|buy)",
        "minimum order",
    ),
    (r"\bfine\w*|\bcharge\w*|\bcompensat\w*|\blate fees?\b", "penalty credit"),
    (r"\bpay\b|\binvoice\w*", "payment"),
    (r"\bcut-?offs?\b|\blatest time\b|\border deadline\b", "placed that day"),
    (r"\brush\w*|\bhurry\b|\bspeed(?:ing)? up\b|\bfast[- ]track\w*", "expediting"),
    (r"\bextra cost\b|\bcosts? extra\b|\bpremium\b|\bsurcharge\b", "surcharge"),
    (r"\bship(?:s|ped)? (?:from|out of)\b|\bdispatch\w*|\borigin\b", "ship from"),
    (r"\bincoterms?\b|\b(?:shipping|freight|delivery|trade) terms\b", "shipping"),
    (r"\bchas\w*|\bfollow(?:ing)?[- ]up\b|\bnudg\w*", "chased escalates"),
    (r"\breliab\w*|\bpunctual\w*", "on-time rate"),
    (r"\bpromised\b|\bcommitted\b", "quoted"),
    # supplier performance review
    (r"\bevery month\b|\beach month\b|\bmonthly\b", "monthly"),
    (r"\bevery quarter\b|\beach quarter\b|\bquarterly\b", "quarterly"),
    (r"\btrack record\b|\bkpis?\b|\bperformance\b|\bratings?\b", "scorecard"),
    (
        r"\bfall\w* (?:\w+ )?short\b|\bunderperform\w*|\bkeeps? (?:missing|failing)\b"
        r"|\bprobation\b|\bimprovement plan\b|\bwatch ?list\b",
        "recovery plan",
    ),
    (
        r"\bpost-?mortem\b|\bretrospective\b|\blessons?[- ]learned\b|\broot[- ]cause\b"
        r"|\bdebrief\w*",
        "review after",
    ),
    (
        r"\bafter (?:we |it |they )?(?:ran|run|running) (?:out|dry)\b"
        r"|\bafter (?:a|the) stock-?out\b",
        "review after the stockout",
    ),
    # reorder policy limits
    (r"\bmost\b|\bmaximum\b|\bmax\b|\bupper limit\b|\bin one go\b|\bat a time\b", "more than"),
    (
        r"\b(?:most|maximum|max|upper limit|cap|ceiling)\b (?:[\w'-]+ ){0,5}(?:order|buy|purchas)",
        "order more than",
    ),
    # warehouses (warehouse-*) and their procedures
    (r"\bsundays?\b|\bsaturdays?\b|\bweekends?\b", "receiving hours"),
    (r"\bopens\b|\bopening\b|\bcloses\b|\bclosing\b|\bwhat time\b", "receiving hours"),
    (
        r"\bhazardous\b|\bdangerous\b|\bflammable\b|\bcorrosive\b|\bchemicals?\b"
        r"|\bbattery|\bbatteries|\bcoolant\b|\bbrake fluid\b",
        "hazmat",
    ),
    (
        r"\bsister (?:site|warehouse)\b|\bbackup (?:site|warehouse)\b|\bbuddy\b"
        r"|\bneighbou?ring (?:site|warehouse)\b",
        "transfer partner",
    ),
    (
        r"\b(?:pick|choose|select|decide)\w* (?:a |the |which )?(?:site|warehouse|dc)\b"
        r"|\bsend us stock\b|\bgive up\b|\bspare\b",
        "choosing the source warehouse",
    ),
    (r"\bmov(?:e|ing) stock\b|\bshift(?:ing)? stock\b|\bborrow\w*|\brebalanc\w*", "transfer"),
    (
        r"\bhow full\b|\bfill(?:ed)? (?:level|rate)\b|\bfullness\b|\boccupancy\b"
        r"|\bspace left\b|\broom left\b",
        "capacity",
    ),
    (r"(?<!days' )(?<!days )(?<!day's )\bworth\b|\bvaluation\b", "inventory value"),
    # cycle counting (procedure-cycle-counting)
    (
        r"\bphysical (?:inventory|count)\b|\bwall[- ]to[- ]wall\b|\byear[- ]end count\b"
        r"|\bannual count\b|\bstock ?take\b",
        "annual stocktake",
    ),
    (r"\bdiscrepanc\w*|\bmismatch\w*|\bdoesn't match\b|\bvariance\b|\boff by\b", "tolerance"),
    (r"\bspot[- ]checks?\b|\bauditors?\b", "count"),
    # damaged goods, returns, disposal (procedure-returns-and-damaged-goods)
    (
        r"\bsmash\w*|\bbroken\b|\bcrush\w*|\bdent\w*|\bcrack\w*|\bdefective\b|\bfaulty\b"
        r"|\bwreck\w*",
        "damaged",
    ),
    (r"\bthrow\w* away\b|\bget rid of\b|\bdump\w*|\btrash\w*|\bbin\b|\bwaste\b", "disposal"),
    (r"\bsend\w* back\b|\bbrought back\b|\bbring\w* back\b|\brefund\w*", "returned"),
    # reservations
    (r"\bexpir\w*|\blaps\w*|\bfree(?:d)? up\b|\bun-?reserv\w*", "released"),
    # asking what a word covers is asking the business definitions
    (
        r"\bcounts? as\b|\bcounted as\b|\btreated as\b|\bconsidered\b|\bclass(?:ed|ified) as\b"
        r"|\bqualif\w*|\bhow (?:do|can|would) (?:we|you|i) (?:know|tell)\b"
        r"|\bmean(?:s|t|ing)?\b|\bdefin\w*|\binclude[sd]?\b|\bexclude[sd]?\b",
        "definitions",
    ),
    # approvals
    (r"\bsign(?:s|ed)?[- ]off\b|\bauthori[sz]\w*|\bpermission\b|\bgreen light\b", "approval"),
)
_EXPANSIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), words) for pattern, words in _SYNONYMS
)


def documents_words(question: str) -> list[str]:
    """The documents' words for what ``question`` says in other words, each once."""
    return list(dict.fromkeys(words for pattern, words in _EXPANSIONS if pattern.search(question)))

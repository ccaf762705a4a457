"""The space's language as regular expressions: nouns for its entities, words for its
statuses and measures, breakdown and ranking words, thresholds, follow-up openers.

Order matters in the pattern lists: the first pattern that matches wins, so the more
specific readings ("actual on-time rate", "days late") come before the general ones.
"""

# ruff: noqa: E501  (vocabulary tables of regular expressions read best one alternative list per line)

from __future__ import annotations

import re

NOUNS = {
    "part": r"parts?|items?|products?|skus?|components?|materials?|spares?",
    "warehouse": r"warehouses?|whs?|dcs?|distribution cent(?:er|re)s?|locations?|sites?|facilit(?:y|ies)|depots?|branch(?:es)?",
    "supplier": r"suppliers?|vendors?|manufacturers?|sellers?",
    "category": r"categor(?:y|ies)|product lines?|product famil(?:y|ies)|part types?",
    "region": r"regions?",
    "country": r"countr(?:y|ies)|nations?",
    "state": r"states?",
    "city": r"cit(?:y|ies)",
    "po": r"purchase orders?|pos|po|orders?|deliveries|delivery|shipments?|receipts?",
    "status": r"status(?:es)?",
}  # fmt: skip
NOUN_RE = {kind: re.compile(rf"\b(?:{pattern})\b") for kind, pattern in NOUNS.items()}
ANY_NOUN = "|".join(f"(?P<{kind}>{pattern})" for kind, pattern in NOUNS.items())

# "their expected arrival date", "the promised delivery date": the date an order was due by
DUE_DATE = r"(?:the |their |its |our )?(?:(?:[a-z]+ ){0,2}?(?:due|expected|promised|arrival|delivery|scheduled|committed|target|eta) dates?|etas?\b|the date (?:they|it|that|which) (?:was|were) (?:promised|expected|due|scheduled))"
# "past their expected arrival date" read as overdue; with a delivery verb it is late instead
PAST_DUE_DATE = rf"(?:past|beyond) {DUE_DATE}"
DELIVERY_VERB = r"\b(?:arriv(?:ed|ing)|delivered|received|came in|showed up|turned up|landed)\b"

STATUS_PATTERNS = [
    ("risk", r"(?:at )?risk of (?:a )?(?:stock(?:ing)?[- ]?outs?|running out|running dry)|(?:(?:at |in )?(?:risk|danger)|likely|about|set|poised|close|on track|heading|headed|on course) (?:of|to) (?:a )?(?:stock(?:ing)?[- ]?outs?|stock(?:ing)? out|run(?:ning)? (?:out|dry)|go(?:ing)? dry)|stock[- ]?out (?:risk|exposure)|(?:exposure|exposed) to (?:a )?stock[- ]?outs?|could (?:run|stock) out|(?:will|might|may|going to|could|likely to|about to) (?:run|go|be|come up) short\b|(?:will|might|may|going to) run out|run out before|before (?:the )?(?:next )?(?:re)?order (?:arrives|can arrive)"),
    ("critical", r"(?:below|under|beneath|less than|short of) (?:the |their |its )?safety[- ](?:stock|buffer)s?(?: levels?)?|(?:less|fewer|lower) (?:available )?(?:stock |units |inventory |qty |quantity )?(?:available )?than (?:the |their |its )?safety[- ](?:stock|buffer)s?(?: levels?)?|critical(?:ly low)?(?: stock)?"),
    ("low", r"low[- ]stock|(?<!how )\blow\b(?![- ]?(?:on[- ]time|lead|costs?|unit|demand|usage|value|capacity|utili|prices?|performance|rates?|reliab|to high|volume|sell|mov))|reorder (?:list|report|suggestions?|recommendations?|candidates?|needs)|(?<=qty )needed|(?<=qtys )needed|(?<=quantity )needed|(?<=quantities )needed|(?<=amount )needed|low on stock|(?:are|is|getting|going|go) low\b(?![- ](?:stock|on|inventory))|stock is low|running low|run(?:s|ning)? low|run(?:s|ning)? short\b(?! of)|(?:getting|going|go) short\b(?! of)|short on (?:stock|inventory|units)|in short supply|scarce|\b(?:we|we're|they|they're)\s+(?:are\s+)?(?:running |getting |currently |now )?short (?:on|of)\b|low inventory|(?:need|needs|needing) (?:to be )?reorder(?:ing|ed)?|to reorder|should (?:we |i )?reorder|(?:we|i) (?:need to |must |have to )?reorder\b|need to reorder|reorder now|(?:below|under|beneath|at or below|less than) (?:the |their |its )?reorder (?:point|level|threshold)s?|(?:less|fewer|lower) (?:available )?(?:stock |units |inventory |qty |quantity )?(?:available )?than (?:the |their |its )?reorder (?:point|level|threshold)s?|(?:replenish|restock)\w*(?! (?:purchase )?(?:orders?|pos?)\b)"),
    ("out", r"out[- ]of[- ]stock|stock(?:ed)?[- ]?outs?|stocked out|(?:zero|nothing|no units|no stock|no inventory|none)(?: (?:at all|whatsoever))?(?: (?:is|are|left|remaining|sitting)){0,2} (?:on[- ]hand|in stock|on (?:the |their |its )?shel(?:f|ves))|(?:quantity|qty|stock|inventory|balance|count) of (?:zero|0)\b(?!\.)|zero (?:stock|inventory|on[- ]hand|units)|no (?:stock|inventory) (?:left|on hand)|(?:nothing|none|zero|no units|no stock|no inventory|no more)(?: (?:at all|whatsoever))? (?:left|remaining)|(?:empty|bare) shel(?:f|ves)|(?:completely|totally|fully|entirely) out\b(?! of)|(?:have|with) no stock|none (?:left|on hand)|empty|depleted|(?:have |has |had )?r[au]n out\b(?! before)|(?:r[au]ns?|running|go|goes|gone|going|went|are|is) (?:completely |totally |bone |fully )?dry\b|(?:stock |inventory |quantity |qty )?at zero|(?:have|has|had|got) (?:none|zero|nothing) (?:of|left)\b|(?:\b(?:we|we're|they|they're)\s+(?:are\s+)?|\b(?:is|are) _+\s+)(?:completely |totally |entirely |fully |all |clean |currently |now )?out of\b(?!\s+(?:the |\d|stock\b|inventory\b))"),
    ("healthy", r"healthy|well[- ]stocked|adequately stocked|above (?:the )?reorder point"),
    ("overdue", rf"overdue|past[- ]due|{PAST_DUE_DATE}|(?<!days )(?<!day )behind schedule|(?:\bnot|(?<=n)'t)(?: yet)?(?: been)? (?:arrived|received|delivered|come in|shown up|turned up)(?: yet)? (?:by|before|on or before) {DUE_DATE}|late open|open (?:and )?late|not (?:yet )?(?:arrived|received|delivered) (?:and|but) (?:past|late)|(?:running|fallen|falling|fell) behind\b|should(?:'ve| have) (?:arrived|come in|been (?:delivered|received|here)|landed|shown up|showed up|turned up|got(?:ten)? here)\b(?! (?:on|early|later|earlier))|(?:due|expected|promised) (?:date|day)s? (?:has |have |had )?(?:already )?(?:passed|gone by|come and gone|been and gone)|(?:were|was) (?:already )?(?:due|expected)\b(?! (?:in|on|by|next|this|within|to)\b)"),
    ("cancelled", r"\bcancel(?:l?ed|l?ations?|s|l?ing)?\b"),
    ("late", rf"\blate\b|delayed|tardy|(?:after|later than|past|beyond) {DUE_DATE}|miss(?:ed|es|ing)? {DUE_DATE}|later than (?:promised|expected|scheduled|planned|due)"),
    ("on_time", rf"(?:on or before|no later than|not later than|by|within) {DUE_DATE}|on[- ]time (?:deliveries|orders|receipts)|(?:deliver(?:s|ed|ing)?|arriv(?:e|es|ed|ing)|show(?:s|ed|n)? up|turn(?:s|ed)? up|c[oa]mes? in|got here|land(?:s|ed)?|(?:were|was|are|is|get|gets|got) received) (?:\w+ )?(?:on[- ]time|on schedule)(?! (?:less|more) often)"),
    ("early", r"(?:arrived|arrive|arriving|delivered|received|came in|come in|shipped|deliveries|orders|pos|receipts) (?:\w+ )?early\b|\bearly (?:deliveries|delivery|arrivals?|receipts?|orders|pos)\b|ahead of (?:schedule|time|(?:the |their |its )?(?:expected|due) dates?)|(?<!on or )before (?:the |their |its )?(?:expected|due) (?:dates?|days?)"),
    ("open", r"\bopen\b|outstanding|pending|on order|in transit|not (?:yet )?(?:received|delivered|arrived)|awaiting|(?:still |yet )?(?:waiting|to be|yet to be) (?:to be |for )?(?:delivered|received|delivery|arrival)|yet to (?:arrive|be delivered|be received)|incoming|inbound|unfulfilled|still expected|\bexpected (?:from|to arrive|to come in|to land)\b|(?:still )?coming in\b(?! (?:on|early|late|ahead|after|before|behind))|on (?:its|their|the) way\b|(?:headed|heading|coming) (?:our|this) way|en route|(?:still |yet )?not here\b|(?:haven't|hasn't|have not|has not|didn't|did not) (?:yet )?(?:shown up|showed up|turned up|come in|landed|got(?:ten)? here)\b|(?:still |yet )?waiting (?:on|for)\b(?! (?:the )?(?:stock|inventory))|\bdue in\b(?! \d)|still (?:to|yet to) (?:arrive|come in|come|be delivered)|still coming"),
    ("received", r"\breceived\b|(?:did|do|have) we (?:get|receive)\b|\bdelivered\b|arrived|fulfilled|completed|closed orders|receipts"),
]  # fmt: skip

MEASURE_PATTERNS = [
    ("last_updated", r"last (?:updated|refreshed|update[sd]?|refresh(?:ed)?|modified)|(?:updated|refreshed) (?:most |least )?recently|recently (?:updated|refreshed)|(?:as of|as at) when|how (?:fresh|stale|recent)|freshness|updated at|update (?:time|timestamp|date)|when (?:was|were|is|are|did) .* (?:updated|refreshed)"),
    ("days_of_supply", r"days? of (?:supply|cover(?:age)?|inventory|stock)|days? (?:of stock )?(?:left|remaining)|how (?:long|many days) (?:will|would|does|do) .* last|runway"),
    ("utilization", r"utili[sz]\w+|how full|full(?:er|est)\b|most full|least full|emptiest|fullness|capacity used|used capacity|(?:percent(?:age)?|share|fraction|proportion|ratio) of (?:its |their |the |total )?capacity|(?:% |percent )full"),
    ("capacity", r"capacity|capacities|how (?:big|large)"),
    ("late_by", r"latest on (?:average|avg)|(?:average|avg|typically|usually)\w* (?:the )?latest|(?:is|was|are|were|deliver(?:s|ed|ing)?|ship(?:s|ped)?|arriv(?:e|es|ed)|runs?|ran) (?:the )?latest|how late|days late|days? behind(?: schedule)?|late by|late(?: deliver(?:y|ies)| orders?| pos?| shipments?)?,? (?:in|measured in) days|(?:longest|furthest|most) (?:[\w']+ ){0,7}?(?:been|was|were|came in|arrived|run|ran) late\b|(?:average|avg|mean|typical) (?:delay|lateness)|delay in days|lateness|by how many days|by how much\b(?=.*\b(?:late|delay\w*|behind|overdue)\b)|(?:longest|worst|biggest|largest|greatest|max(?:imum)?|longer|bigger) (?:delays?|lateness|slips?)"),
    ("late_rate", r"late(?:[- ]delivery)? (?:rate|ratio|percentage|share)|(?:share|percentage|percent|fraction|proportion|%) (?:of )?(?:\w+ )?(?:deliveries |orders )?(?:that (?:were|are|arrived) )?late"),
    ("on_time_rate", r"actual on[- ]time|on[- ]time (?:less|more) often|on[- ]time (?:delivery )?(?:rate|ratio|percentage|performance|%|share|record)|delivery performance|(?:share|percentage|percent|fraction|proportion) (?:of )?(?:\w+ )?(?:deliveries |orders )?(?:that (?:were|are|arrived) )?on[- ]time|reliab\w+|punctual\w*"),
    ("actual_lead_time", r"actual lead[- ]?times?|takes? (?:\w+ )?(?:longer|more time|more days)|taking (?:\w+ )?longer|(?:deliver|arriv|ship)\w* (?:later|slower) than|real lead[- ]?times?|how long (?:do|does|did) .* take to (?:arrive|deliver|be delivered|come in)|delivery times?|time to deliver|turnaround"),
    ("lead_time", r"lead[- ]?times?"),
    ("reorder_cost", r"reorder (?:cost|spend|bill)s?|(?:cost|price|spend) (?:of|for) (?:the |those |these |our |all |that )?(?:reorders?(?: quantit\w+)?|reorder quantit\w+|reordering)|cost (?:us )?to (?:re-?order|replenish|restock)|(?:re-?orders?|restocking|replenishing|replenishment) (?:would |will )?cost|(?:re-?order|restock|replenish)(?:ing)? (?:\w+ ){0,4}(?:would|will) cost"),
    ("inventory_value", r"inventory value|value of (?:the |our |all )?(?:inventory|stock|on[- ]hand)|stock value|inventory valuation|valuation|\bworth\b|most valuable|least valuable|(?:total |dollar |\$ )?value (?:held|on hand|in stock|of (?:the )?(?:\w+ )?(?:inventory|stock))|(?:ti(?:e|es|ed|ing)|lock(?:s|ed|ing)?) up (?:the )?(?:most |more |least |less )?(?:money|capital|cash|dollars|value)|(?:money|capital|cash|dollars?|dollar amount|amount) (?:is |are )?(?:tied|locked|sitting|parked|sunk|invested)|capital tied"),
    ("po_value", r"(?:order|po|purchase(?: order)?s?) (?:value|spend|cost|amount|total)|value of (?:the |all |our )?(?:\w+ )?(?:purchase |po |open |overdue |received |cancelled )*orders|spend|spent|spending|cost of (?:the |all )?(?:\w+ )?orders|dollars? on order|money on order|value on order|committed spend"),
    ("po_unit_price", r"unit prices?|price per unit paid|purchase prices?|price paid|prices? paid"),
    ("unit_cost", r"unit costs?|cost per unit|per[- ]unit cost|\bcosts?\b|expensive|cheap\w*|pric(?:ey|ier|iest)|costl\w+|\bprice[ds]?\b"),
    ("reserved", r"(?<!not )(?<!not yet )(?<!n't )(?<!non-)\b(?:reserved|spoken for|earmarked|allocated|committed (?:stock|units|qty|quantity))"),
    ("available", r"available|availability|\bavail\b|free stock|free to (?:use|ship|sell|allocate)|net of (?:reserv\w+|allocations?|commitments?)|unreserved|(?:not|(?<=n)'t) (?:yet )?(?:reserved|allocated|committed|spoken for|earmarked)|uncommitted|unallocated|\bfree (?:stock|units?|qty|quantit\w+|inventory)|(?:stock|inventory|units?|qty|quantity) (?:is |are )?(?:still )?free\b|net stock|usable stock"),
    ("reorder_qty", r"reorder (?:quantit\w+|qty|amount|size)|order quantit\w+|how (?:much|many(?: units)?) (?:to|should we|do we need to|should i) (?:re)?order"),
    ("reorder_point", r"reorder (?:points?|levels?|thresholds?)"),
    ("safety_stock", r"safety[- ](?:stock|buffer)s?(?: levels?)?"),
    ("avg_daily_demand", r"(?:average|avg|mean) (?:daily )?(?:demand|usage|consumption) (?:per day|a day|each day|daily)|(?:average|avg|mean) daily (?:demand|usage|consumption)|daily (?:average|avg|mean) (?:demand|usage|consumption)|(?:demand|usage|consumption) per day"),
    ("demand", r"demand\w*|(?:fast|slow)(?:est|er)?[- ]moving|(?:fast|slow)(?:est)? movers?|consum\w+|usage|\bused\b|(?:did|do|does|will) (?:we|they|you|it|each \w+|every \w+|_+) (?:use|consume|sell|ship|need)\b|\bsold\b|sales|\bsell\w*|throughput|\bmoved\b|pulled|issued|dispatch(?:ed|es)?\b|burn|\bneeded\b|(?:gone|go|goes|going|went|gotten|get|got|run|ran|chew\w*|eat|ate|eaten) through"),
    ("po_units", r"units? (?:on order|ordered|incoming|inbound|in transit)|quantity (?:on order|ordered)|ordered quantit\w+|how (?:many|much) .* (?:on order|ordered|incoming|in transit|inbound)"),
    ("on_hand", r"on[- ]hand|in stock|stock levels?|stock on hand|inventory levels?|how much (?:stock|inventory)|how many units|\bunits\b|quantit\w+|\bqty\b|inventory|\bstock\b(?![- ]?(?:positions?|rows?|records?|lines?|entries))|\bhave\b|\bhold\w*\b|\bcarr(?:y|ies)\b"),
]  # fmt: skip
# A phrase starts where a word does ("how late" must not match inside "show late"); one
# that starts with a sign or an apostrophe ("'t reserved") may follow a letter.
_WORD_START = r"(?:(?<![a-z])|(?![a-z]))"
MEASURE_RE = [(name, re.compile(rf"{_WORD_START}(?:{p})")) for name, p in MEASURE_PATTERNS]
STATUS_RE = [(name, re.compile(rf"{_WORD_START}(?:{p})")) for name, p in STATUS_PATTERNS]

GROUP_RE = re.compile(
    rf"\b(?:by|per|for each|for every|in each|at each|across each|across all|across|each of(?: the| our)?|each|every|"
    rf"for all|broken down by|break(?:\s*down)? by|(?:split|divide|divided|separate|separated)(?: it| that| this| them| those)?(?: up| out)? by|grouped by|group by|for the different)\s+"
    rf"(?:the\s+|their\s+|its\s+|(?<=across )our\s+)?(?:supplier(?:'s)?\s+(?=countr)|warehouse(?:'s)?\s+(?=regions?|states?|cit)|(?:part|product|item)(?:'s)?\s+(?=categor))?"
    # "each American supplier": a filter's blanked value between each/every/per and its
    # entity ("supplied by American suppliers" stays a filter, not a breakdown)
    rf"(?:(?:(?<=\beach )|(?<=\bevery )|(?<=\bper )|(?<= of the )|(?<= of our ))(?:_+\s+){{1,2}})?(?:{ANY_NOUN})\b"
)
GRAIN_RE = [
    ("month", r"monthly|by month|per month|each month|every month|month[- ]by[- ]month|month over month|per calendar month|by calendar month|months?\b(?= breakdown)"),
    ("week", r"weekly|by week|per week|each week|every week|week[- ]by[- ]week|week over week"),
    ("day", r"\bdaily\b(?! (?:average|avg|mean))|by days?\b(?! late| of)|per day(?= trend)|each day|every day|day[- ]by[- ]day|by date|per date"),
    ("quarter", r"quarterly|by quarter|per quarter|each quarter|every quarter"),
    ("year", r"yearly|annual(?:ly)?|by year|per year|each year|every year|year over year"),
]  # fmt: skip
WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
                 "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
                 "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
                 "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}  # fmt: skip
SCALE_WORDS = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}
NUM = r"(\d+|" + "|".join(WORD_NUMBERS) + r")"
DESC = r"most|priciest|costliest|latest|furthest|farthest|widest|highest|largest|biggest|greatest|maximum|max|top|longest|heaviest|worst|best|leading|fastest|slowest|most often|most frequently|more|(?<=the )(?:higher|greater|larger|bigger)(?! than)"
ASC = r"least|lowest|smallest|fewest|minimum|min|bottom|shortest|cheapest|least often|(?<=the )(?:lower|smaller)(?! than)"
COMPARATORS = [
    ("ge", r"at least|no less than|no fewer than|minimum of|>=|or more"),
    ("le", r"at most|no more than|up to|maximum of|<=|or (?:less|fewer)"),
    ("gt", r"more than|greater than|higher than|larger than|bigger than|longer than|over|above|exceed(?:s|ed|ing)?|surpass(?:es|ed|ing)?|>|in excess of|north of|upwards of"),
    ("lt", r"less than|fewer than|lower than|smaller than|shorter than|under|below|<|beneath|south of|shy of"),
    ("eq", r"exactly|equal to|equals|="),
]  # fmt: skip
THRESHOLD_RE = re.compile(
    r"(?P<op>" + "|".join(p for _, p in COMPARATORS) + r")\s*(?:the\s+)?\$?\s*"
    r"(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>%|percent|k\b|thousand|m\b|million|weeks?\b|months?\b)?"
    r"(?P<after>\s*[a-z][a-z_-]*(?:\s+[a-z_-]+)?)?"
)
# What a follow-up can take back by naming its kind: "drop the region", "lose the date range"
FILTER_KINDS = (
    r"regions?|warehouses?|dcs?|sites?|locations?|suppliers?|vendors?|categor(?:y|ies)|cit(?:y|ies)|"
    r"states?|countr(?:y|ies)|parts?|products?|status(?:es)?|"
    r"(?P<time>time (?:window|frame|period|range|filter)|date(?: (?:filter|range|window))?|timeframe|window|period)"
)
FOLLOWUP_START = re.compile(
    r"^\s*(?:and|also|but|what about|how about|what of|and what about|same (?:for|but|thing)|"
    r"now|just|only|instead|then|so|ok(?:ay)?|show (?:me )?(?:only|just)|filter|restrict|limit|"
    r"exclude|include|(?:for|in|at|from|with) (?!each|every|all\b))\b",
    re.IGNORECASE,
)
LOCATION_KINDS = ("warehouse", "state", "region")
PRODUCT_KINDS = ("part", "category")
SOURCE_KINDS = ("supplier", "country")


_PLURALS = {
    "category": "categories",
    "po": "purchase orders",
    "country": "countries",
    "city": "cities",
    "status": "statuses",
}


def plural_noun(kind: str) -> str:
    """How a kind of entity reads in the plural ("categories", "purchase orders")."""
    return _PLURALS.get(kind, kind + "s")

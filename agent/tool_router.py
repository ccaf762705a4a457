"""Which tool answers a question when no language model is there to choose: the no-LLM router.

An inventory team asks two kinds of question. Data questions ("Which fasteners are low
stock?", "What is the lead time of Apex Components?") are about values in the tables
and go to Genie. Document questions ask what a word means, what a policy, term or
procedure says ("What does days of supply mean?", "What is our reorder policy for
fasteners?", "What penalty does Ironclad charge for late deliveries?") and go to the
documents. A question may hold one of each ("Which fasteners are low stock, and what is
our reorder policy for them?"): it is cut into clauses and each clause is judged.
A question with no inventory words at all ("Tell me a joke") goes to neither.

The rules, in order, for one clause:

1. A *document* cue that only the documents can answer wins: policy, procedure, terms,
   penalty, minimum order, payment, "mean", "how is … calculated", receiving hours,
   hazmat, approvals …
2. "What is <defined term>?" with no article or with "a"/"an" ("What is days of
   supply?", "What is a late delivery?") asks for the definition: documents.
   With "the" and anything more ("What is the days of supply of Brake Rotor?") it asks
   for a value: data.
3. Otherwise a clause with inventory words is a data question. A place name alone
   ("Seattle") counts only in a short follow-up ("just in Seattle") or beside a
   document cue, so "pizza near downtown Chicago" is about neither.

A clause with a document cue but no inventory word ("…, and what is supposed to happen
above 90%?") is about the documents when another clause of the question is about
inventory.

Genie is asked only the data clauses, so that its SQL is not asked about a policy; the
documents are searched with the documents clauses plus the names the data clauses give
("fasteners"), which find the right policy when its clause says only "them".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Route(StrEnum):
    DATA = "data"
    DOCUMENTS = "documents"
    BOTH = "both"
    NEITHER = "neither"


@dataclass(frozen=True)
class Routing:
    """Where a question goes, and what each tool is asked."""

    route: Route
    data_question: str | None = None  # for Genie
    documents_query: str | None = None  # for search_inventory_docs

    @property
    def note(self) -> str:
        """One line that tells the user which source answered (issue 17: "says which it used")."""
        return _NOTES[self.route]


_NOTES = {
    Route.DATA: "Answered from the inventory data (Genie).",
    Route.DOCUMENTS: "Answered from the policy documents.",
    Route.BOTH: "Answered from the inventory data (Genie) and the policy documents.",
    Route.NEITHER: "This is not a question about the inventory data or its documents.",
}


def _words(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)


#: what only the documents can say: rules, terms, procedures, meanings
_DOCUMENT_CUES = _words(
    r"polic(?:y|ies)",
    r"procedures?",
    r"process(?:es)?",
    r"rules?",
    r"guidelines?",
    r"(?:supplier |purchasing |payment |contract )?terms",
    r"contracts?",
    r"agreed",
    r"penalt(?:y|ies)",
    r"credits?",
    r"grace period",
    r"minimum order(?: value| quantity)?",
    r"moq",
    r"payment",
    r"net \d+",
    r"incoterms?",
    r"(?:does|do|did) (?:\S+ ){1,6}mean|meaning|meant by|what is meant",
    r"definitions?|define|defined",
    r"what counts as",
    r"considered",
    r"how (?:is|are|do we|does \w+) (?:\w+ ){0,4}(?:calculated|computed|measured|defined|"
    r"determined|set|calculate|compute|measure|define|determine|set)",
    r"escalat\w*",
    r"approv\w*",
    r"sign-off",
    r"who (?:owns|handles|decides|chases|is responsible)",
    r"owner",
    r"receiving hours",
    r"(?:opening|operating|dock) hours",
    r"dock doors?",
    r"hazmat|hazardous",
    r"stor(?:e|ed|ing|age)",
    r"cycle count(?:s|ing)?|counted|recounts?|tolerance|stocktake",
    r"transfer partner",
    r"transfers? (?:between|from)",
    r"snow|hurricanes?|storms?|weather|heat|closures?",
    r"dispos(?:e|al)|damaged|breakage|returns?|returned|restock(?:ed)?",
    r"reservations? (?:\w+ ){0,5}(?:last|expire\w*|held|releas\w*)|releas\w* reservations?",
    r"seasonal adjustment|pre-?build",
    r"review(?:ed|s)? (?:cadence|frequency)|how often|reviewed",
    r"recovery plan|scorecard|performance review",
    r"expedit\w*",
    r"how (?:do|does) \w+(?: \w+)? ship|ships? (?:by|via)|shipping (?:terms|method|mode)",
    r"pack sizes?|whole packs|cartons?|rounded (?:up|to)",
    r"what (?:should|do|must) (?:we|i) do",
    r"how (?:do|should|must|can) (?:we|i)",
    r"(?:can|may|could) (?:we|i) (?:buy|order|use|switch|transfer|return|cancel|store)",
    r"(?:are|am) (?:we|i) (?:allowed|supposed|required)",
    r"when (?:does|do|can|should) (?:\w+ ){0,4}(?:receive|ship|count|reorder|order|review)",
    r"(?:safety stock|reorder points?|(?:re)?order quantit(?:y|ies)) (?:do|should) we",
    r"do we (?:keep|carry|hold) (?:as )?safety stock",
    r"assigned (?:supplier|one)",
    r"what (?:happens|should happen|must happen|will happen)",
    r"supposed to|meant to happen|expected to happen",
    r"calculated|computed|measured|determined|worked out|derived|defined",
    r"what (?:makes|qualifies|counts)",
    r"(?:open|closed) for (?:receiving|deliveries|business)",
    r"receiving (?:hours|times?|schedule|days?|window|slots?|docks?|doors?|shifts?)",
    r"receive (?:on|at) (?:weekends?|\w+days?|night)",
    r"(?:safety stock|buffer(?: stock)?) (?:should |must |is to )?cover|should (?:\w+ ){0,3}cover",
    r"for the season|seasonal (?:adjustment|pre-?build|increase|uplift|change)",
    r"(?:do|does|should) we adjust|adjust\w* (?:order|reorder|the order)",
    r"certificates?",
    r"cutoff|cut-off",
)
#: defined terms: "What is <term>?" asks for its definition
_DEFINED_TERMS = (
    r"available (?:quantity|stock)",
    r"low stock",
    r"critical(?: stock)?",
    r"below safety stock",
    r"out of stock",
    r"a stockout|stockouts?",
    r"reorder (?:point|quantity)",
    r"safety stock",
    r"average daily demand",
    r"days of supply",
    r"stockout risk",
    r"(?:an )?overdue (?:purchase )?order",
    r"(?:an )?open (?:purchase )?order",
    r"(?:a )?late delivery|late deliveries",
    r"days late|late by",
    r"on-?time rate",
    r"inventory value",
    r"capacity utili[sz]ation",
    r"lead time",
    r"reserved (?:quantity|stock)",
    r"(?:an )?a-class position",
)
_DEFINITION = re.compile(
    r"^\s*(?:what|what's|whats)\s*(?:is|are)?\s+(?:an?\s+)?(?:" + "|".join(_DEFINED_TERMS) + r")"
    r"\s*[?.!]*\s*$",
    re.IGNORECASE,
)
#: what a question names: categories, parts, places, suppliers (carried to the documents)
_NAME_WORDS = (
    r"brakes?|engines?|electrical|filters?|suspension|fasteners?|lighting|cooling",
    r"pads?|rotors?|calipers?|fluid|plugs?|belts?|pumps?|gaskets?|rings?|alternators?",
    r"starters?|batter(?:y|ies)|coils?|harness\w*|fuses?|shocks?|struts?|arms?|joints?",
    r"springs?|links?|bolts?|nuts?|washers?|pins?|bulbs?|lights?|radiators?",
    r"thermostats?|hoses?|fans?|coolant",
    r"apex|borealis|cobalt|delta precision|eastwind|fulcrum|granite|helix|ironclad|juniper",
    r"kestrel|lumen",
    r"wh-\w+|sup-\d+|p-\d+",
)
#: the space's places: inventory words in a short follow-up ("just in Seattle") or beside
#: other inventory words, but alone they do not make "pizza near Chicago" a data question
_PLACE_WORDS = (
    r"chicago|dallas|atlanta|newark|boston|los angeles|la|seattle|denver",
    r"midwest|south|northeast|west",
)
_PLACES = _words(*_PLACE_WORDS)
_FOLLOW_UP_WORDS = 5  # a clause this short naming a place is a follow-up filter
_NAMES = _words(*_NAME_WORDS, *_PLACE_WORDS)
#: words of the inventory business: a clause without any is about something else
_INVENTORY_WORDS = _words(
    r"parts?|goods|items?|products?|skus?|positions?|replenish\w*|shel(?:f|ves)",
    r"dollar value|worth|distribution cent(?:er|re)s?|capacit(?:y|ies)|full",
    r"(?:are|is) (?:we |it )?(?:\w+ )?out of",
    r"stock\w*",
    r"inventory",
    r"warehouses?|dcs?|sites?",
    r"suppliers?|vendors?",
    r"orders?|pos?|purchas\w*|reorder\w*|buy\w*|bought",
    r"demand|sold|sell\w*|consum\w*|usage",
    r"deliver\w*|shipment\w*|receiv\w*|received",
    r"lead times?|on-?time",
    r"categor(?:y|ies)|catalog",
    r"units?|quantit(?:y|ies)|qty|on hand|on-hand|reserved|available|capacity|utili[sz]ation",
    r"low|overdue|late|critical|safety|days of supply",
    r"polic(?:y|ies)|procedures?|penalt(?:y|ies)|minimum order|hazmat|cycle count\w*",
    r"grace period|contracts?|terms|payment|escalat\w*|approv\w*|dock|expedit\w*",
    r"reservations?|transfers?",
    *_NAME_WORDS,
)
#: topics that borrow an inventory word but are about something else ("Apple's stock price")
_OFF_TOPIC = _words(
    r"stock (?:price|market|exchange)|shares? price|weather (?:forecast|today|tomorrow|be|like)",
    r"weather in \w+(?: \w+)? (?:today|tomorrow|now|this week)",
    r"will the weather|exchange rates?|interest rates?|steel prices?|price of steel",
    r"jokes?|poems?|recipes?|capital of|president|movies?|songs?|football|soccer|basketball",
)
#: where a question joins a second question: "…, and what is …", "…; also …"
_CLAUSE_BREAK = re.compile(
    r"[?;]\s*|\.\s+|,\s*(?:and|plus|also|then)\s+|\s+(?:also|plus)\s+|\s+as well as\s+"
    r"|\s+(?:and\s+)?then\s+|\s+(?:alongside|along with|together with)\s+"
    r"|\s+and\s+(?=(?:also\s+)?(?:what|what's|whats|which|how|who|when|where|why|is|are|does|"
    r"do|did|can|should|tell|show|list|give|explain|summari[sz]e)\b)",
    re.IGNORECASE,
)
_DIFFERENCE = re.compile(r"\bdifference between\b|\bhow does \w+ differ\b", re.IGNORECASE)
_SMALL_TALK = re.compile(
    r"^\W*(?:hi|hello|hey|good (?:morning|afternoon|evening)|thanks?|thank you|cheers|bye|"
    r"goodbye|how are you|who are you|what can you do)\b",
    re.IGNORECASE,
)
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)


def _about_inventory(clause: str, document_cue: bool) -> bool:
    """Inventory words, or a place where the clause is a site question or a short follow-up."""
    if _INVENTORY_WORDS.search(clause):
        return True
    short = len(clause.split()) <= _FOLLOW_UP_WORDS
    return bool(_PLACES.search(clause)) and (document_cue or short)


def _document_cue(clause: str) -> bool:
    """A cue, or "the difference between" two terms (between two named things: values)."""
    if _DOCUMENT_CUES.search(clause):
        return True
    return bool(_DIFFERENCE.search(clause)) and not _NAMES.search(clause)


def _judge(clause: str) -> Route:
    """One clause: documents, data, or neither (rules 1-3 of the module docstring)."""
    if _OFF_TOPIC.search(clause):
        return Route.NEITHER
    document_cue = _document_cue(clause)
    if document_cue and _about_inventory(clause, document_cue):
        return Route.DOCUMENTS
    if _DEFINITION.match(clause):
        return Route.DOCUMENTS
    if _about_inventory(clause, document_cue):
        return Route.DATA
    return Route.NEITHER


def _chit_chat(clause: str) -> bool:
    return bool(_OFF_TOPIC.search(clause) or _SMALL_TALK.match(clause) or not clause.strip())


def _clauses(question: str) -> list[str]:
    """The question's clauses; a plain " and " splits only a data part from a documents part."""
    clauses: list[str] = []
    for clause in (c.strip() for c in _CLAUSE_BREAK.split(question)):
        if not clause:
            continue
        for match in _AND.finditer(clause):
            left, right = clause[: match.start()], clause[match.end() :]
            if _judge(left) is Route.DATA and _judge(right) is Route.DOCUMENTS:
                clauses += [left, right]
                break
        else:
            clauses.append(clause)
    return clauses


def route_question(question: str, follow_up: bool = False) -> Routing:
    """Where ``question`` goes: to Genie, to the documents, to both, or to neither.

    ``follow_up``: the question continues a conversation. "just in 2025" or "top 3
    instead" then refines the previous data question, so a clause with no inventory word
    goes to Genie (which holds the conversation) unless it is plainly small talk or off
    topic.
    """
    judged = [(clause, _judge(clause)) for clause in _clauses(question)]
    if follow_up:
        judged = [
            (c, Route.DATA if r is Route.NEITHER and not _chit_chat(c) else r) for c, r in judged
        ]
    if any(route is not Route.NEITHER for _, route in judged):
        # "…, and what is supposed to happen above 90%?": a clause that asks what the
        # documents say, beside an inventory clause, is about inventory too.
        judged = [
            (c, Route.DOCUMENTS if r is Route.NEITHER and _document_cue(c) else r)
            for c, r in judged
        ]
    data = [clause for clause, route in judged if route is Route.DATA]
    documents = [clause for clause, route in judged if route is Route.DOCUMENTS]
    if data and documents:
        # "…and what is our reorder policy for them?": the names the data part gives
        # ("fasteners") are what finds the right document.
        names = [name for clause in data for name in _NAMES.findall(clause)]
        return Routing(Route.BOTH, "; ".join(data), " ".join([*documents, *names]))
    if documents:
        return Routing(Route.DOCUMENTS, None, question.strip())
    if data:
        # Every clause but the off-topic ones: "thanks! which parts are low?" asks the second.
        return Routing(Route.DATA, question.strip() if len(data) == len(judged) else " ".join(data))
    return Routing(Route.NEITHER)

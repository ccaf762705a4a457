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
   hazmat, approvals …; and the general shapes of a rule or a definition:
   - what must, should or may be done ("how much safety stock should brakes carry?",
     "the most days of supply we may order", "are we allowed to…"), unless it asks for
     the list to act on ("what should we reorder in Boston?": data);
   - what a term covers ("does inventory value include reserved stock?", "do cancelled
     orders count as late?");
   - a site's times of day ("when does receiving open?", "what time…") and a supplier's
     terms ("where does Ironclad ship from?", "rush", "fees", "does Cobalt charge…",
     "is there a limit…"); claims and deadlines;
   - how something is done and who does it ("how are overdue orders followed up?",
     "who do we call…", "at what point…");
   - a situation and what to do in it ("… if an order is stuck?"), unless the clause
     asks for values ("how many days late are deliveries when they arrive late?").
2. "What is <defined term>?" with no article or with "a"/"an" ("What is days of
   supply?", "What is a late delivery?"), or "explain/define <term>", asks for the
   definition: documents.
   With "the" and anything more ("What is the days of supply of Brake Rotor?") it asks
   for a value: data.
3. Otherwise a clause with inventory words is a data question. A place name alone
   ("Seattle") counts only in a short follow-up ("just in Seattle") or beside a
   document cue, so "pizza near downtown Chicago" is about neither. A part word that is
   everyday English ("starter", "lights", "brakes") counts only beside another sign of
   the business, so "how do I make a sourdough starter?" is about neither; so is the
   weather to come ("rain in Dallas tomorrow"), while what a site does in a storm is in
   its procedures, and a person's own errand ("order me a pizza").

Beside a clause about inventory, a clause about nothing alone is about the documents if
it has a document cue ("…, and what is supposed to happen above 90%?") and about the
data if it names one of the space's places ("…, then show the 5 lowest in Boston").

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
    r"grace(?: period)?",
    r"minimum (?:order|po|purchase order|spend|amount)(?: value| quantity| size)?",
    r"moq",
    r"payment",
    r"net \d+",
    r"incoterms?",
    r"(?:does|do|did) (?:\S+ ){1,6}mean|meaning|meant by|what is meant",
    r"definitions?|define|defined",
    r"considered",
    r"how (?:is|are|do we|does \w+) (?:\w+ ){0,7}(?:calculated|computed|measured|defined|"
    r"determined|set|calculate|compute|measure|define|determine|set)",
    # how something is done: "how are overdue orders followed up?", "how does a site decide"
    r"how (?:is|are|do|does|should|must) (?:[\w'-]+ ){0,7}(?:handled|processed|treated|managed|"
    r"followed up|chased|recorded|reviewed|released|disposed|stored|approved|valued|decide|"
    r"choose|pick|select|prioriti[sz]e)\b",
    r"who (?:do|should|must|can|will) (?:we|i|they|buyers?|planners?) "
    r"(?!have\b|buy\b|order\b|source\b|get\b|purchase\b)",
    r"at what (?:point|level|stage|threshold|percentage|utili[sz]ation|age)",
    r"bays?|racks?|putaway|put-?away",
    r"approach|practice|protocol|playbook|guidance",
    r"^\W*(?:is|are) (?:[\w'-]+ ){1,5}(?:needed|required|necessary|mandatory)",
    r"escalat\w*",
    r"approv\w*",
    r"sign-off|signs? off|signed off|signing off",
    r"who (?:signs|approves|authori[sz]es|okays|clears)",
    r"who (?:owns|handles|decides|chases|is responsible)",
    r"owner",
    r"receiving hours",
    r"(?:opening|operating|dock) hours",
    r"dock doors?",
    r"hazmat|hazardous",
    r"stor(?:e|ed|ing|age)(?! (?:capacity|space|units))",  # "storage capacity" is a value
    r"cycle count(?:s|ing)?|counted(?! as)|recounts?|tolerance|stocktake|a-class counts?",
    r"what (?:does|do) (?:[\w'-]+ ){1,5}say|what triggers|triggers? (?:a|an|the)",
    r"what are the steps|(?:next |first )?steps? (?:after|for|to|when|in|if)",
    r"how (?:do|does) (?:[\w'-]+ ){1,4}get \w+ed\b",
    r"transfer partner",
    r"transfers? (?:between|from)",
    r"snow\w*|hurricanes?|\w*storms?|blizzards?|flood\w*|tornado\w*|weather|heat|closures?",
    r"dispos(?:e|al)|damaged|breakage|returns?|returned|restock(?:ed)?",
    r"reservations? (?:\w+ ){0,5}(?:last|expire\w*|held|releas\w*)|releas\w* reservations?",
    r"seasonal adjustment|pre-?build",
    r"review(?:ed|s)? (?:cadence|frequency|days?|schedule|cycle)|how often|reviewed",
    r"recovery plan|scorecard|performance review",
    r"expedit\w*",
    r"how (?:do|does) \w+(?: \w+)? ship|ships? (?:by|via)|shipping (?:terms|method|mode)",
    r"pack sizes?|whole packs|cartons?|rounded (?:up|to)",
    r"what (?:should|do|must) (?:we|i) do",
    r"(?:can|may|could) (?:we|i) (?:buy|order|use|switch|transfer|return|cancel|store)",
    r"(?:are|am) (?:we|i) (?:allowed|supposed|required)",
    r"when (?:does|do|can|should) (?:\w+ ){0,4}(?:receive|ship|count|reorder|order|review)",
    r"(?:safety stock|reorder points?|(?:re)?order quantit(?:y|ies)) (?:do|should) we",
    r"do we (?:keep|carry|hold) (?:as )?safety stock",
    r"(?:other than|instead of|besides|not) (?:the |its |their )?assigned",
    r"what (?:happens|should happen|must happen|will happen)",
    r"supposed to|meant to happen|expected to happen",
    r"calculated|computed|measured|determined|worked out|derived|defined",
    r"how (?:is|are) (?:[\w'-]+ ){1,4}(?:chosen|selected|picked|decided|ranked|classed)",
    r"what (?:makes|qualifies|counts)",
    r"(?:open|closed) for (?:receiving|deliveries|business)",
    r"receiving (?:hours|times?|schedule|days?|window|slots?|docks?|doors?|shifts?)",
    r"(?:receive|open|closed) (?:on|at|during) (?:weekends?|\w+days?|nights?|holidays?)",
    r"(?:safety stock|buffer(?: stock)?) (?:should |must |is to )?cover|should (?:\w+ ){0,3}cover",
    r"for the season|seasonal (?:adjustment|pre-?build|increase|uplift|change)",
    r"(?:do|does|should) we adjust|adjust\w* (?:order|reorder|the order)",
    r"certificates?",
    r"cutoff|cut-off|deadline",
    # what a term covers: "does inventory value include reserved stock?"
    r"(?:does|do|will|would|should|can) (?:[\w'-]+ ){1,6}(?:includes?|excludes?|counts?)",
    r"(?:is|are) (?:[\w'-]+ ){0,6}(?:included|excluded|counted|count as)",
    r"what (?:does|do) (?:[\w'-]+ ){1,4}(?:include|exclude|cover)",
    r"counts? as|stands? for|short for",
    # what may be done: "are we allowed to", "is it ok to", "we may order"
    r"(?:allowed|permitted|obliged|forbidden|prohibited) to|not allowed",
    r"is it (?:ok|okay|fine|acceptable|possible) to",
    r"(?:we|i|you|they|it|buyers?|planners?|sites?) may|^may (?:we|i|a|an|the)",
    r"(?:can|could) (?:we|i) (?:ever |still |also )?(?:sell|ship|exceed|skip|combine|split|"
    r"substitute|dispose|claim|accept|reject|keep|hold|move|put|expedite|restock|reorder)",
    # a site's times of day: "when does receiving open at Denver?", "what time does … close?"
    r"what time",
    r"when (?:does|do|is|are) (?:[\w'-]+ ){0,5}(?:open|close|start|end|begin|finish)(?:s|ed)?"
    r"(?! (?:orders?|pos?|purchase))",
    r"receiving (?:opens?|closes?|starts?|ends?|begins?|runs?)",
    # a supplier's shipping terms: "where does Ironclad ship from?", "what does a rush cost?"
    r"where (?:do|does|is|are) (?:[\w'-]+ ){1,5}(?:ship(?:s|ped|ping)?|come|sent|dispatched)"
    r" (?:from|out of)",
    r"rush(?:ed|ing)?|surcharges?",
    # a supplier's route: "which border crossing do Cobalt's shipments come through?"
    r"border(?: crossings?)?|ports? of entry|(?:sea|air)?ports?|customs clearance",
    r"(?:come|comes|coming|routed|enter|enters) (?:in )?(?:through|via)",
    # what a supplier's terms allow: "does Ironclad charge us for cancelled orders?"
    r"pays? us|(?:does|do|will|would|can) (?:[\w'-]+ ){1,4}(?:charge|bill|credit|owe|refund|accept|"
    r"allow|require|offer)\b",
    r"fees?|limits? (?:on|for)|is there (?:a|an|any) (?:limit|cap|maximum|minimum|max|"
    r"ceiling|rule|restriction|requirement|deadline|fee|charge)",
    r"(?:do|should|can|must) we (?:switch|turn|fall back|go)",
    # what a term is made of: "is reserved quantity part of inventory value?"
    r"(?:is|are|does|do) (?:[\w'-]+ ){1,5}(?:part of|included in|counted in|counted toward)",
    r"what (?:does|do) (?:[\w'-]+ ){1,4}(?:measure|represent|refer to|indicate|capture)",
    r"(?:explain|describe|define) (?:what|how|the (?:difference|rule|meaning|term))",
    # claims and deadlines: "how long do we have to file a claim?"
    r"(?:file|raise|make|submit|lodge) (?:a |an )?(?:\w+ )?claims?|quality claims?",
    r"how long (?:do|does|can|should|must) (?:[\w'-]+ ){1,3}(?:have|wait|sit|stay|keep|hold)\b",
    r"why (?:do|does|must|should|would) (?:we|our)",
    r"what (?:does|do) (?:[\w'-]+ ){1,4}do (?:when|if|about|with)",
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
    r"(?:a )?(?:stock )?position",
)
_DEFINITION = re.compile(
    r"^\s*(?:(?:what|what's|whats)\s*(?:is|are)?|explain|define|describe)\s+(?:an?\s+)?"
    r"(?:" + "|".join(_DEFINED_TERMS) + r")"
    r"\s*[?.!]*\s*$",
    re.IGNORECASE,
)
#: asking how to do something: about the documents when the clause is about the business
#: ("how do we count inventory?"), but no sign that it is ("how do I make a starter?")
_HOW_TO = _words(r"how (?:do|should|must|can) (?:we|i)")
#: a situation and what to do in it: "who do we call if an order is stuck?", "what's our
#: approach when a supplier keeps slipping?" (the documents' procedures) ...
_CONDITION = re.compile(r"\w+ \w+ (?:if|when|whenever|once) \w+", re.IGNORECASE)
#: ... unless the clause asks for values ("how many days late are deliveries when late?")
_VALUE_REQUEST = re.compile(
    r"\bhow (?:many|much)\b|^\W*(?:which|list|show|give me|count|top|total)\b", re.IGNORECASE
)
#: what a clause must do, or may not: a rule ("how much safety stock should brakes carry?")
_NORMATIVE = _words(r"should|must|ought|has to|have to")
#: ... unless it asks the data for the list to act on ("what should we reorder in Boston?")
_NORMATIVE_DATA_REQUEST = re.compile(
    r"\b(?:what|which|how many|how much)\b(?: [\w'-]+){0,6} "
    r"(?:re)?(?:order|buy|replenish|restock|transfer|move)(?:ed|ing)?\b|\b(?:should|must) have\b"
    r"|^\W*which\b",
    re.IGNORECASE,
)
#: part and category words that are everyday English too ("a sourdough starter", "my
#: laptop's fan"): alone they make a clause about inventory only beside another sign of it
_COMMON_PART_WORDS = (
    r"brakes?|engines?|electrical|filters?|lighting|cooling",
    r"pads?|fluid|plugs?|belts?|pumps?|rings?|starters?|batter(?:y|ies)|coils?|fuses?",
    r"shocks?|arms?|joints?|springs?|links?|nuts?|pins?|bulbs?|lights?|hoses?|fans?|washers?",
)
_COMMON_PARTS = _words(*_COMMON_PART_WORDS)
#: what else shows a clause is about the business: its people ("we", "our"), a part's
#: size or model ("Battery 12V", "M8"); "my" is a person's own things, not the team's
_BUSINESS_VOICE = _words(r"we|our|us|\w*\d\w*")
_PERSONAL = _words(r"my|mine")
#: what a question names: categories, parts, places, suppliers (carried to the documents)
_NAME_WORDS = (
    *_COMMON_PART_WORDS,
    r"suspension|fasteners?|rotors?|calipers?|gaskets?|alternators?|harness\w*|struts?",
    r"bolts?|radiators?|thermostats?|coolant",
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
_BUSINESS_WORDS = _words(
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
    r"reservations?|transfers?|claims?|a-class|pack sizes?|customer returns?|audit\w*",
    r"shortages?|resuppl\w*|recount\w*",
    # the reports' own windows: "what does 'last 90 days' mean in the reports?"
    r"(?:last|trailing|rolling|past) \d+ days|as-of date",
    r"seasonal (?:adjustment|uplift|pre-?build)",
    r"suppl(?:y|ies|ied)|run(?:s|ning)? (?:dry|out|low)",
    *_NAME_WORDS[len(_COMMON_PART_WORDS) :],
)
#: topics that borrow an inventory word but are about something else ("Apple's stock price")
_OFF_TOPIC = _words(
    r"stock (?:price|market|exchange)|shares? price|weather (?:forecast|today|tomorrow|be|like)",
    r"weather in \w+(?: \w+)? (?:today|tomorrow|now|this week)",
    r"will the weather|exchange rates?|interest rates?|steel prices?|price of steel",
    r"jokes?|poems?|recipes?|capital of|president|movies?|songs?|football|soccer|basketball",
    # a person's own errand: "can you order me a pizza?", "where is my parcel?"
    r"(?:order|buy|book) me|my (?:own )?(?:orders?|deliver(?:y|ies)|packages?|parcels?)",
)
#: a forecast: the weather at a time to come, not what a site does in bad weather
_WEATHER = _words(
    r"weather|forecast|temperature|rain\w*|snow\w*|sunny|storm\w*|hurricanes?|wind(?:y|s)?"
)
_FORECAST_TIME = _words(
    r"today|tonight|tomorrow|this (?:week|weekend|morning|afternoon|evening)|next (?:week|weekend)",
    r"right now|going to|gonna|will (?:it|there)|be like|forecast",
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
    """Inventory words, or a place where the clause is a site question or a short follow-up.

    A word that is everyday English too ("starter", "fan") counts beside another sign of
    the business (a second such word, a place, "we"/"our", a model like "12V", a document
    cue: "how should batteries be stored?"), never in a person's own things ("my car's
    battery").
    """
    if _BUSINESS_WORDS.search(clause):
        return True
    place = bool(_PLACES.search(clause))
    parts = {match.lower().rstrip("s") for match in _COMMON_PARTS.findall(clause)}
    if parts and not _PERSONAL.search(clause):
        others = place or _BUSINESS_VOICE.search(clause) or _DOCUMENT_CUES.search(clause)
        if len(parts) > 1 or others:
            return True
    short = len(clause.split()) <= _FOLLOW_UP_WORDS
    return place and (document_cue or short)


def _document_cue(clause: str) -> bool:
    """A cue, a rule ("should", "must"), or "the difference between" two terms.

    "Should" asking for the list to act on ("what should we reorder?") is a data question;
    the difference between two named things is between values.
    """
    if _DOCUMENT_CUES.search(clause) or _HOW_TO.search(clause):
        return True
    if _NORMATIVE.search(clause) and not _NORMATIVE_DATA_REQUEST.search(clause):
        return True
    if _CONDITION.search(clause) and not _VALUE_REQUEST.search(clause):
        return True
    return bool(_DIFFERENCE.search(clause)) and not _NAMES.search(clause)


def _off_topic(clause: str) -> bool:
    """Another topic that borrows an inventory word, or the weather to come."""
    if _OFF_TOPIC.search(clause):
        return True
    return bool(_WEATHER.search(clause) and _FORECAST_TIME.search(clause))


def _judge(clause: str) -> Route:
    """One clause: documents, data, or neither (rules 1-3 of the module docstring)."""
    if _off_topic(clause):
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
    return bool(_off_topic(clause) or _SMALL_TALK.match(clause) or not clause.strip())


def _beside_inventory(clause: str) -> Route:
    """A clause about nothing alone, in a question with an inventory clause beside it."""
    if _document_cue(clause):
        return Route.DOCUMENTS
    return Route.DATA if _PLACES.search(clause) else Route.NEITHER


def _clauses(question: str) -> list[str]:
    """The question's clauses; a plain " and " splits only a data part from a part asking
    the documents ("…of every warehouse and the rule above 90%")."""
    clauses: list[str] = []
    for clause in (c.strip() for c in _CLAUSE_BREAK.split(question)):
        if not clause:
            continue
        for match in _AND.finditer(clause):
            left, right = clause[: match.start()], clause[match.end() :]
            if (
                _judge(left) is Route.DATA
                and _judge(right) is not Route.DATA
                and _document_cue(right)
            ):
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
        # "Explain days of supply, then show the 5 lowest in Boston": a clause naming one
        # of the space's places beside an inventory clause asks the data.
        judged = [(c, _beside_inventory(c) if r is Route.NEITHER else r) for c, r in judged]
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

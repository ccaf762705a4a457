"""Entity linking against the space's own values: every way a question can name a thing.

The vocabulary is read from the database (parts, categories, warehouses, suppliers,
regions, countries), so a larger or different catalog is understood without code
changes. Fixed language tables (US state names, nationality adjectives, loose part
nicknames) only add ways of saying values that exist in the data.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from genie_local.database import ReadOnlyDatabase

US_STATES = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA",
    "colorado": "CO", "connecticut": "CT", "delaware": "DE", "florida": "FL", "georgia": "GA",
    "hawaii": "HI", "idaho": "ID", "illinois": "IL", "indiana": "IN", "iowa": "IA",
    "kansas": "KS", "kentucky": "KY", "louisiana": "LA", "maine": "ME", "maryland": "MD",
    "massachusetts": "MA", "michigan": "MI", "minnesota": "MN", "mississippi": "MS",
    "missouri": "MO", "montana": "MT", "nebraska": "NE", "nevada": "NV",
    "new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM", "new york": "NY",
    "north carolina": "NC", "north dakota": "ND", "ohio": "OH", "oklahoma": "OK",
    "oregon": "OR", "pennsylvania": "PA", "rhode island": "RI", "south carolina": "SC",
    "south dakota": "SD", "tennessee": "TN", "texas": "TX", "utah": "UT", "vermont": "VT",
    "virginia": "VA", "washington state": "WA", "west virginia": "WV", "wisconsin": "WI",
    "wyoming": "WY",
}  # fmt: skip

# Ways to say a country (lower case) → the country as the data spells it.
COUNTRY_ALIASES = {
    "usa": "USA", "u.s.": "USA", "u.s.a.": "USA", "united states": "USA", "america": "USA",
    "american": "USA", "domestic": "USA", "canada": "Canada", "canadian": "Canada",
    "mexico": "Mexico", "mexican": "Mexico", "germany": "Germany", "german": "Germany",
    "china": "China", "chinese": "China", "taiwan": "Taiwan", "taiwanese": "Taiwan",
    "india": "India", "indian": "India", "japan": "Japan", "japanese": "Japan",
    "south korea": "South Korea", "korea": "South Korea", "korean": "South Korea",
    "south korean": "South Korea",
}  # fmt: skip

# Ways to say several countries at once → the countries as the data spells them.
_ASIA = ("China", "Taiwan", "India", "Japan", "South Korea")
_NORTH_AMERICA = ("USA", "Canada", "Mexico")
COUNTRY_GROUPS = {
    "asia": _ASIA, "asian": _ASIA, "europe": ("Germany",), "european": ("Germany",),
    "north america": _NORTH_AMERICA, "north american": _NORTH_AMERICA,
    "overseas": ("Germany", *_ASIA), "offshore": ("Germany", *_ASIA),
    "foreign": ("Canada", "Mexico", "Germany", *_ASIA),
    "international": ("Canada", "Mexico", "Germany", *_ASIA),
    "non-us": ("Canada", "Mexico", "Germany", *_ASIA),
}  # fmt: skip

# Adjectives for the states the warehouses are in ("the Californian DC") → state code.
STATE_ADJECTIVES = {
    "californian": "CA", "texan": "TX", "coloradan": "CO", "coloradoan": "CO",
    "georgian": "GA", "illinoisan": "IL", "new jerseyan": "NJ", "new jersey's": "NJ",
    "washingtonian": "WA", "massachusettsan": "MA", "bay state": "MA", "lone star": "TX",
}  # fmt: skip

REGION_ALIASES = {
    "midwestern": "Midwest", "mid-west": "Midwest", "mid west": "Midwest",
    "southern": "South", "northeastern": "Northeast", "north east": "Northeast",
    "north-east": "Northeast", "western": "West", "east coast": "Northeast",
    "west coast": "West",
}  # fmt: skip

# Case-sensitive short forms that would collide with ordinary words in lower case.
UPPER_ALIASES = {"US": ("country", "USA"), "LA": ("warehouse_city", "Los Angeles")}

_PO_ID = re.compile(r"(?<![\w-])po-\d{3,}(?![\w-])", re.IGNORECASE)
# "us" is a pronoun ("show us …") unless it reads as a country: "the us ones", "us suppliers"
_LOWER_US = re.compile(
    r"\b(?:the|in|from|of) (us)\b(?! (?:the|a|an|all|what|which|how)\b)"
    r"|\b(us)(?=[- ](?:based|suppliers?|vendors?|ones|made|companies)\b)",
)
_CATEGORY_NOUN = re.compile(r" (?:parts?|items|products)$", re.IGNORECASE)
# "Taiwanese-sourced", "Chicago-based": a name joined to a word saying where from or where
_ORIGIN_SUFFIX = r"-(?:sourced|made|based|built|manufactured|supplied|stocked|held)\b"
_NAME_TAIL = {"set", "kit", "pack", "assembly", "m8", "12v", "1l", "5l"}


@dataclass(frozen=True)
class Mention:
    kind: str  # part | category | warehouse | state | region | supplier | country
    value: str  # the id or the value as stored
    text: str  # the words in the question
    start: int
    end: int


def plural_forms(phrase: str) -> set[str]:
    """The phrase and the plurals a person would type for its last word."""
    forms = {phrase}
    if phrase.endswith("y") and not phrase.endswith(("ay", "ey", "oy")):
        forms.add(phrase[:-1] + "ies")
    elif phrase.endswith(("s", "x", "ch", "sh")):
        forms.add(phrase + "es")
    elif phrase[-1].isalpha():
        forms.add(phrase + "s")
    return forms


class Vocabulary:
    """Every phrase that names a value in the space, longest phrases matched first."""

    def __init__(self, phrases: dict[str, list[tuple[str, str]]], names: dict[str, str]) -> None:
        self._phrases = phrases  # phrase (lower case) → [(kind, value)]
        self.names = names  # id or value → display name
        ordered = sorted(phrases, key=len, reverse=True)
        self._pattern = re.compile(
            r"(?<![\w-])(" + "|".join(re.escape(p) for p in ordered) + r")"
            rf"(?:(?={_ORIGIN_SUFFIX})|(?![\w-]))"
        )
        self.parts_by_category: dict[str, list[str]] = defaultdict(list)
        self.categories: list[str] = []
        self.warehouses: list[str] = []
        self.suppliers: list[str] = []
        self._cities: dict[str, str] = {}
        self._states: set[str] = set()

    @classmethod
    def load(cls, db: ReadOnlyDatabase) -> Vocabulary:
        phrases: dict[str, list[tuple[str, str]]] = defaultdict(list)
        names: dict[str, str] = {}

        def add(phrase: str, kind: str, value: str) -> None:
            entry = (kind, value)
            if entry not in phrases[phrase.lower()]:
                phrases[phrase.lower()].append(entry)

        parts = db.query("SELECT part_id, name, category FROM parts", max_rows=1_000_000).rows
        nicknames: dict[str, set[str]] = defaultdict(set)
        for part_id, name, _category in parts:
            names[part_id] = name
            add(part_id, "part", part_id)
            for form in plural_forms(name.lower()):
                add(form, "part", part_id)
            base = re.sub(r" mk\d+$", "", name.lower())
            if base == name.lower():
                words = base.split()
                if len(words) > 1 and words[-1] in _NAME_TAIL:
                    nicknames[" ".join(words[:-1])].add(part_id)
        for nickname, ids in nicknames.items():
            if len(ids) == 1 and nickname not in phrases:
                for form in plural_forms(nickname):
                    add(form, "part", next(iter(ids)))
        categories = sorted({row[2] for row in parts})
        for category in categories:
            names[category] = category
            singular = category.lower().rstrip("s") if category.endswith("s") else None
            for phrase in {category.lower(), singular} - {None}:
                for form in plural_forms(phrase):  # type: ignore[arg-type]
                    if form not in phrases:
                        add(form, "category", category)
        for suffix in ("part", "parts", "items", "products"):
            for category in categories:
                stem = category.lower().rstrip("s") if category.endswith("s") else category.lower()
                add(f"{stem} {suffix}", "category", category)
                add(f"{category.lower()} {suffix}", "category", category)
        warehouses = db.query("SELECT warehouse_id, name, city, state, region FROM warehouses").rows
        for warehouse_id, name, city, state, region in warehouses:
            names[warehouse_id] = name
            for phrase in (warehouse_id, name, city, f"{city} warehouse", f"{city} dc"):
                add(phrase, "warehouse", warehouse_id)
            names[state] = state
            names[region] = region
            add(region, "region", region)
        short_codes: dict[str, list[str]] = defaultdict(list)
        for warehouse_id, *_rest in warehouses:
            if code := re.fullmatch(r"[A-Za-z]+-([A-Za-z]{3})", warehouse_id):
                short_codes[code.group(1).lower()].append(warehouse_id)
        for code, ids in short_codes.items():  # "stocked out in bos": WH-BOS's own short code
            if len(ids) == 1 and code not in phrases:
                add(code, "warehouse", ids[0])
        states = {row[3] for row in warehouses}
        for state_name, code in US_STATES.items():
            add(state_name, "state", code)
            names.setdefault(code, state_name.title())
        for adjective, code in STATE_ADJECTIVES.items():
            if code in states:
                add(adjective, "state", code)
        if "WA" in states:
            add("washington", "state", "WA")
        for alias, region in REGION_ALIASES.items():
            add(alias, "region", region)
        suppliers = db.query("SELECT supplier_id, name, country FROM suppliers").rows
        first_words: dict[str, list[str]] = defaultdict(list)
        for supplier_id, name, country in suppliers:
            names[supplier_id] = name
            add(supplier_id, "supplier", supplier_id)
            add(name, "supplier", supplier_id)
            first_words[name.split()[0].lower()].append(supplier_id)
            add(country, "country", country)
            names[country] = country
        for word, ids in first_words.items():
            if len(ids) == 1 and word not in phrases:
                add(word, "supplier", ids[0])
        countries = {row[2] for row in suppliers}
        for alias, country in COUNTRY_ALIASES.items():
            if country in countries:
                add(alias, "country", country)
        for alias, members in COUNTRY_GROUPS.items():
            for country in members:
                if country in countries:
                    add(alias, "country", country)
        vocabulary = cls(dict(phrases), names)
        for part_id, _name, category in parts:
            vocabulary.parts_by_category[category].append(part_id)
        vocabulary.categories = categories
        vocabulary.warehouses = [row[0] for row in warehouses]
        vocabulary.suppliers = [row[0] for row in suppliers]
        vocabulary._cities = {row[2]: row[0] for row in warehouses}
        vocabulary._states = states
        return vocabulary

    def link(self, question: str) -> list[Mention]:
        """Every entity the question names, in order, longest reading first, no overlaps."""
        mentions: list[Mention] = []
        lowered = question.lower()
        taken: list[tuple[int, int]] = []
        for match in self._pattern.finditer(lowered):
            start, end = match.span()
            for kind, value in self._phrases[match.group(1)]:
                mentions.append(Mention(kind, value, question[start:end], start, end))
            taken.append((start, end))
        for token, (kind, value) in UPPER_ALIASES.items():
            for match in re.finditer(rf"(?<![\w-]){token}(?![\w-])", question):
                if any(s <= match.start() < e for s, e in taken):
                    continue
                if kind == "warehouse_city":
                    kind, value = "warehouse", self._cities.get(value, "")
                if value:
                    mentions.append(Mention(kind, value, token, match.start(), match.end()))
        for match in _PO_ID.finditer(question):  # ids follow one pattern, so no lookup needed
            mentions.append(Mention("po", match.group(0).upper(), match.group(0), *match.span()))
        for match in _LOWER_US.finditer(question):
            group = 1 if match.group(1) else 2
            if not any(s <= match.start(group) < e for s, e in taken):
                mentions.append(Mention("country", "USA", "us", *match.span(group)))
        for match in re.finditer(r"(?<![\w-])([A-Z]{2})(?![\w-])", question):
            if match.group(1) in self._states and not any(s <= match.start() < e for s, e in taken):
                mentions.append(Mention("state", match.group(1), match.group(1), *match.span()))
        mentions.sort(key=lambda m: m.start)
        return mentions

    def mask(self, question: str, mentions: list[Mention]) -> str:
        """The question with every linked entity blanked, so keywords inside names don't count."""
        chars = list(question.lower())
        for mention in mentions:
            end = mention.end
            if mention.kind == "category" and (noun := _CATEGORY_NOUN.search(mention.text)):
                end = mention.start + noun.start()  # "Filters part": the noun still counts
            for index in range(mention.start, end):
                chars[index] = "_"
        return "".join(chars)

    def display(self, value: str) -> str:
        name = self.names.get(value)
        return f"{name} ({value})" if name and name != value else value

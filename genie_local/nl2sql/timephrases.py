"""Time phrases resolved against the space's as-of date (2026-06-30), never the wall clock.

"Last month" is the month that ends on the as-of date (June 2026) and "last quarter" the
quarter that does (Q2 2026), because the data is complete through that day; "last year"
is the previous calendar year; "last N days" ends on the as-of date inclusive.
"""

# ruff: noqa: E501  (vocabulary tables of regular expressions read best one alternative list per line)

from __future__ import annotations

import re
from datetime import date, timedelta

from genie_local.datagen.reference import AS_OF
from genie_local.datagen.reference import DEMAND_START as DATA_START
from genie_local.nl2sql.plan import TimeWindow


class OutOfRangeDateError(ValueError):
    """A time phrase names no real date ("2026-02-30") or reaches past the calendar
    ("the last 99999999999 days"); the message says so in words a person can act on."""


def _out_of_range(phrase: str) -> OutOfRangeDateError:
    return OutOfRangeDateError(
        f"“{phrase}” is not a period I can look up: dates must be real calendar dates and "
        f"periods must stay within the years 1 to 9999 (this space's data runs from "
        f"{DATA_START} to {AS_OF})."
    )


MONTHS = {
    name: index
    for index, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
# a whole word: not "sep" in "separately", "dec" in "decrease"
_MONTH = r"(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b\.?"
_YEAR = r"(20\d\d)"
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "eighteen": 18, "twenty": 20,
    "thirty": 30, "sixty": 60, "ninety": 90,
}  # fmt: skip
_COUNT = r"(\d+|" + "|".join(_NUMBER_WORDS) + r")"


def _number(text: str) -> int:
    return int(text) if text.isdigit() else _NUMBER_WORDS[text]


def month_end(year: int, month: int) -> date:
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def months_back(year: int, month: int, count: int) -> tuple[int, int]:
    """The (year, month) ``count`` months before the given one."""
    index = year * 12 + (month - 1) - count
    return index // 12, index % 12 + 1


def _latest_year_for_month(month: int) -> int:
    return AS_OF.year if month <= AS_OF.month else AS_OF.year - 1


def _quarter(year: int, quarter: int) -> TimeWindow:
    start = date(year, 3 * quarter - 2, 1)
    return TimeWindow(start, month_end(year, 3 * quarter), f"Q{quarter} {year}")


def _month(year: int, month: int) -> TimeWindow:
    start = date(year, month, 1)
    return TimeWindow(start, month_end(year, month), start.strftime("%B %Y"))


def _last_days(days: int, label: str) -> TimeWindow:
    return TimeWindow(AS_OF - timedelta(days=days - 1), AS_OF, label)


def _last_months(count: int, label: str) -> TimeWindow:
    year, month = months_back(AS_OF.year, AS_OF.month, count - 1)
    return TimeWindow(date(year, month, 1), AS_OF, label)


def _point(text: str) -> tuple[date, date] | None:
    """A single date-ish phrase → the range it covers (a year, a month, a quarter, a day)."""
    text = text.strip()
    if match := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
        day = date(*map(int, match.groups()))
        return day, day
    if match := re.fullmatch(
        _MONTH + r"(?:\s+(\d{1,2})(?!\d)(?:st|nd|rd|th)?)?,?\s*" + _YEAR + "?", text
    ):
        month = MONTHS[match.group(1)]
        year = int(match.group(3)) if match.group(3) else _latest_year_for_month(month)
        if match.group(2):
            day = date(year, month, int(match.group(2)))
            return day, day
        return date(year, month, 1), month_end(year, month)
    if match := re.fullmatch(r"q([1-4])\s*" + _YEAR + "?", text):
        quarter = int(match.group(1))
        year = int(match.group(2)) if match.group(2) else AS_OF.year
        window = _quarter(year, quarter)
        return window.start, window.end
    if match := re.fullmatch(_YEAR, text):
        year = int(match.group(1))
        return date(year, 1, 1), date(year, 12, 31)
    return None


_POINT = (
    r"((?:\d{4}-\d{2}-\d{2})|(?:q[1-4](?:\s*20\d\d)?)|(?:"
    + _MONTH
    + r"(?:\s+\d{1,2}(?!\d)(?:st|nd|rd|th)?)?,?(?:\s*20\d\d)?)|(?:20\d\d))"
)


def find_window(text: str) -> tuple[TimeWindow | None, str]:
    """The time window a question names, and the question with that phrase removed."""
    lowered = text.lower()
    for pattern, build in _RULES:
        match = re.search(pattern, lowered)
        if match:
            try:
                window = build(match)
            except (ValueError, OverflowError) as error:
                raise _out_of_range(match.group(0).strip()) from error
            if window is not None:
                if window.end > AS_OF and _SO_FAR.search(lowered):  # "2026 so far"
                    window = TimeWindow(window.start, AS_OF, f"{window.label} to date")
                return window, lowered[: match.start()] + " " + lowered[match.end() :]
    return None, lowered


_SO_FAR = re.compile(r"\b(?:so far|to date|until now|up to now|through today)\b")


def _range(match: re.Match[str]) -> TimeWindow | None:
    start_text, end_text = match.group("a"), match.group("b")
    year = re.search(r"20\d\d$", end_text.strip())
    if year and not re.search(r"20\d\d", start_text):
        start_text = f"{start_text} {year.group(0)}"  # "jan-jun 2025": the year closes both
    first, last = _point(start_text), _point(end_text)
    if not first or not last:
        return None
    label = f"{match.group('a').strip()} to {match.group('b').strip()}"
    return TimeWindow(first[0], min(last[1], max(last[1], first[0])), label)


def _since(match: re.Match[str]) -> TimeWindow | None:
    start = _point(match.group("a"))
    if not start:
        return None
    return TimeWindow(start[0], AS_OF, f"since {match.group('a').strip()}")


def _before(match: re.Match[str]) -> TimeWindow | None:
    end = _point(match.group("a"))
    if not end:
        return None
    if re.fullmatch(_MONTH, match.group("a").strip()):  # "before July": the coming July
        start = end[0].replace(year=AS_OF.year)
        if start > AS_OF + timedelta(days=1):
            start = start.replace(year=AS_OF.year - 1)
        end = (start, end[1])
    return TimeWindow(DATA_START, end[0] - timedelta(days=1), f"before {match.group('a').strip()}")


def _single(match: re.Match[str]) -> TimeWindow | None:
    if (
        match.group("a").strip() == "may"
        and not match.group(0)
        .strip()
        .startswith(("in", "during", "for", "and", "or", "then", "what", "how"))
        and not re.match(r"\s*(?:vs\b|versus\b|compared\b|instead\b)", match.string[match.end() :])
        and not re.search(r"\bor\s*$", match.string[: match.start()])  # "april or may"
    ):
        return None  # the verb, not the month ("may vs june" names it)
    point = _point(match.group("a"))
    if not point:
        return None
    return TimeWindow(point[0], point[1], match.group("a").strip())


def _next_days(days: int, label: str) -> TimeWindow:
    return TimeWindow(AS_OF + timedelta(days=1), AS_OF + timedelta(days=days), label)


def _next_week() -> TimeWindow:
    monday = AS_OF + timedelta(days=7 - AS_OF.weekday())
    return TimeWindow(monday, monday + timedelta(days=6), "next week")


def _half(match: re.Match[str]) -> TimeWindow:
    half = 1 if match.group("h") in {"1", "first"} else 2
    year = int(match.group("y")) if match.group("y") else AS_OF.year
    if match.group("rel") in {"last", "previous", "prior"}:
        year = AS_OF.year - 1
    start = date(year, 1 if half == 1 else 7, 1)
    end = date(year, 6, 30) if half == 1 else date(year, 12, 31)
    return TimeWindow(start, end, f"H{half} {year}")


def _nth_quarter(match: re.Match[str]) -> TimeWindow:
    """ "The second quarter of this year", "Q2 of last year": the year word picks the
    quarter's year, it does not widen the window to the whole year."""
    groups = match.groupdict()
    quarter = (
        int(groups.get("qn") or 0)
        or {"first": 1, "second": 2, "third": 3, "fourth": 4}[groups["q"]]
    )
    year = int(groups["y"]) if groups.get("y") else AS_OF.year
    if groups.get("rel") in {"last", "previous", "prior"}:
        year = AS_OF.year - 1
    return _quarter(year, quarter)


_PAST = r"(?:last|past|previous|prior|trailing)"
_RELENGTH = r"(?:(?:(?:make|change|set|switch|narrow|widen|extend|shorten|expand|cut)(?: (?:it|that|this|the window))?(?: (?:back )?to)?|(?:and |so )?(?:what|how) about|try|now|and|just|only|same (?:thing |question )?(?:for|over)) )?"


def _relength(match: re.Match[str]) -> TimeWindow:
    """ "Make it 14 days" after "the past 60 days": a bare length is a window of that
    length ending on the as-of date, the way "the last 14 days" is."""
    count, unit = _number(match.group(1)), match.group("unit")
    label = f"the last {match.group(1)} {unit}s"
    if unit in {"day", "week"}:
        return _last_days(count * (7 if unit == "week" else 1), label)
    return _last_months(count * {"month": 1, "quarter": 3, "year": 12}[unit], label)


_RULES: list[tuple[str, object]] = [
    (r"\bmonth before last\b", lambda m: _month(*months_back(AS_OF.year, AS_OF.month, 1))),
    (r"\bquarter before last\b", lambda m: _quarter(2026, 1)),
    (r"\byear before last\b", lambda m: TimeWindow(date(2024, 1, 1), date(2024, 12, 31), "2024")),
    (r"\b(?:between|from)\s+(?P<a>" + _POINT + r")\s+(?:and|to|through|until|-)\s+(?P<b>" + _POINT + r")", _range),
    (r"\b(?P<a>" + _MONTH + r")\s*(?:-|–|to|through|thru)\s*(?P<b>" + _MONTH + r",?(?:\s*20\d\d)?)", _range),
    (r"\b(?:since|after|starting|from)\s+(?P<a>" + _POINT + r")", _since),
    (r"\bbefore\s+(?P<a>" + _POINT + r")", _before),
    # a follow-up naming only a length ("make it 14 days", "what about 2 weeks"): a new trailing window
    (rf"^\W*{_RELENGTH}(?:the |a |for |in )?{_COUNT}[ -](?P<unit>day|week|month|quarter|year)s?(?: instead)?\W*$", _relength),
    (rf"\b{_PAST}\s+{_COUNT}\s+days?\b", lambda m: _last_days(_number(m.group(1)), f"the last {m.group(1)} days")),
    (rf"\b{_PAST}\s+{_COUNT}\s+weeks?\b", lambda m: _last_days(7 * _number(m.group(1)), f"the last {m.group(1)} weeks")),
    (rf"\b{_PAST}\s+{_COUNT}\s+months?\b", lambda m: _last_months(_number(m.group(1)), f"the last {m.group(1)} months")),
    (rf"\b{_PAST}\s+{_COUNT}\s+quarters?\b", lambda m: _last_months(3 * _number(m.group(1)), f"the last {m.group(1)} quarters")),
    (rf"\b{_PAST}\s+{_COUNT}\s+years?\b", lambda m: _last_months(12 * _number(m.group(1)), f"the last {m.group(1)} years")),
    (rf"\b{_PAST}\s+(?:quarter|3 months)\b|\bthis quarter\b|\bcurrent quarter\b|\bquarter to date\b|\bqtd\b", lambda m: _quarter(2026, 2)),
    (rf"\b{_PAST}\s+year\b(?=.*\b(?:rolling|trailing)\b)|\b(?:past|trailing)\s+year\b|\blast twelve months\b|\bttm\b", lambda m: _last_months(12, "the last 12 months")),
    (r"\b(?:h(?P<h>[12])|(?P<hw>first|second) half)(?: of)?\s*(?:the\s+)?(?P<rel>last|previous|prior|this|current) year\b", lambda m: _half(_HalfMatch(m))),
    (r"\b(?:(?P<q>first|second|third|fourth) quarter|q(?P<qn>[1-4]))(?: of)?\s*(?:the\s+)?(?P<rel>last|previous|prior|this|current) year\b", _nth_quarter),
    (r"\blast year\b|\bprevious year\b|\bprior year\b", lambda m: TimeWindow(date(2025, 1, 1), date(2025, 12, 31), "2025 (last year)")),
    (r"\bthis year\b|\byear[- ]to[- ]date\b|\bytd\b|\bcurrent year\b|\bso far this year\b", lambda m: TimeWindow(date(2026, 1, 1), AS_OF, "2026 to date (this year)")),
    (rf"\b{_PAST}\s+month\b|\bthis month\b|\bcurrent month\b|\bmonth to date\b", lambda m: _month(2026, 6)),
    (rf"\b{_PAST}\s+week\b|\bthis week\b", lambda m: _last_days(7, "the last 7 days")),
    (rf"\b(?:next|coming|upcoming|following)\s+{_COUNT}\s+days?\b", lambda m: _next_days(_number(m.group(1)), f"the next {m.group(1)} days")),
    (rf"\b(?:next|coming|upcoming|following)\s+{_COUNT}\s+weeks?\b", lambda m: _next_days(7 * _number(m.group(1)), f"the next {m.group(1)} weeks")),
    (r"\bnext week\b|\b(?:the )?(?:coming|upcoming|following) week\b", lambda m: _next_week()),
    (r"\bnext month\b|\b(?:the )?(?:coming|upcoming|following) month\b", lambda m: _month(*months_back(AS_OF.year, AS_OF.month, -1))),
    (r"^\W*(?:and|or|then|what about|how about)?\s*(?P<a>may)\W*$", _single),
    (r"\byesterday\b", lambda m: TimeWindow(AS_OF - timedelta(days=1), AS_OF - timedelta(days=1), "yesterday")),
    (r"\btoday\b", lambda m: TimeWindow(AS_OF, AS_OF, f"today ({AS_OF.isoformat()})")),
    (r"\b(?:h(?P<h>[12])|(?P<hw>first|second) half(?: of)?)\s*(?P<y>20\d\d)?\b", lambda m: _half(_HalfMatch(m))),
    (r"\b(?P<q>first|second|third|fourth) quarter(?: of)?\s*(?P<y>20\d\d)?", _nth_quarter),
    (r"\b(?:in|during|for|of|on)?\s*(?P<a>" + _POINT + r")", _single),
]  # fmt: skip


class _HalfMatch:
    """Adapts "H1"/"first half" to one group name for ``_half``."""

    def __init__(self, match: re.Match[str]) -> None:
        self._match = match

    def group(self, name: str) -> str | None:
        if name == "h":
            return self._match.group("h") or self._match.group("hw")
        return self._match.groupdict().get(name)


_SHIFT_UNITS = {"day": 1, "week": 7, "month": 0, "quarter": 0, "year": 0}
_SHIFT = re.compile(
    r"\b(?:the |a |one )?(?P<unit>day|week|month|quarter|year)\s+(?:before|earlier|prior)(?! last)(?: (?:that|this|it))?\b"
    r"|\b(?:the )?same (?P<same>month|quarter|period|week|time) (?:a year (?:ago|earlier|before)|last year|the year before)\b"
)


_UNIT_ABBREVIATIONS = {"yr": "year", "mo": "month", "mth": "month", "qtr": "quarter", "wk": "week"}
_ABBREVIATED_UNIT = re.compile(
    r"(?:\b(?:this|last|past|next|previous|prior|current|coming|same|per|each|every|by|a|the|\d+)\s+|(?<=\d))"
    r"(?P<unit>yr|mo|mth|qtr|wk)(?P<plural>s)?\b"
)


def spell_units(text: str) -> str:
    """ "this yr", "last 3 mos", "by qtr" → "this year", "last 3 months", "by quarter": a
    unit abbreviated in a time phrase (only there, so "mo" elsewhere stays itself)."""

    def spelled(match: re.Match[str]) -> str:
        word = _UNIT_ABBREVIATIONS[match.group("unit")] + (match.group("plural") or "")
        before = match.group(0)[: match.start("unit") - match.start()]
        return (before or " ") + word  # "3mos" → "3 months"

    return _ABBREVIATED_UNIT.sub(spelled, text)


def find_shift(text: str) -> tuple[tuple[str, int] | None, str]:
    """A window named relative to the previous question's ("the month before", "same
    period last year"): (unit, how many units back), and the text without the phrase."""
    match = _SHIFT.search(text)
    if match is None:
        return None, text
    shift = ("year", 1) if match.group("same") else (match.group("unit"), 1)
    return shift, text[: match.start()] + " " + text[match.end() :]


def in_year_of(window: TimeWindow | None, previous: TimeWindow | None) -> TimeWindow | None:
    """ "What about Q4?" after "Q3 2025": a quarter or month named without a year keeps the
    year of the previous turn's period (when that period lies within one year)."""
    if window is None or previous is None or previous.start.year != previous.end.year:
        return window
    if not re.fullmatch(r"q[1-4]|" + _MONTH, window.label):
        return window
    year = previous.start.year
    if (window.start.year, window.end.year) == (year, year):
        return window
    start = window.start.replace(year=year)
    return TimeWindow(start, month_end(year, window.end.month), window.label)


def shift_back(window: TimeWindow, unit: str, count: int) -> TimeWindow:
    """The window moved back by whole units; a window of whole months stays whole months."""
    try:
        return _shifted_back(window, unit, count)
    except (ValueError, OverflowError) as error:
        raise _out_of_range(f"{window.label}, {count} {unit}(s) earlier") from error


def _shifted_back(window: TimeWindow, unit: str, count: int) -> TimeWindow:
    if _SHIFT_UNITS[unit]:
        days = timedelta(days=_SHIFT_UNITS[unit] * count)
        start, end = window.start - days, window.end - days
    else:
        months = count * {"month": 1, "quarter": 3, "year": 12}[unit]
        start_year, start_month = months_back(window.start.year, window.start.month, months)
        end_year, end_month = months_back(window.end.year, window.end.month, months)
        last_day = month_end(end_year, end_month)
        start = date(
            start_year, start_month, min(window.start.day, month_end(start_year, start_month).day)
        )
        end = (
            last_day
            if window.end == month_end(window.end.year, window.end.month)
            else date(end_year, end_month, min(window.end.day, last_day.day))
        )
    label = f"{start.isoformat()} to {end.isoformat()}"
    return TimeWindow(start, end, label)

"""Which of two named periods had more: "was demand higher in April or in May 2026?".

Two periods joined by "or" in a which-is-higher question ask for the winner, one row: the
period with the larger (or smaller) value, not both side by side the way "April vs May"
lists them. Entities joined by "or" ("Chicago or Atlanta") are chosen between the same way.
"""

from __future__ import annotations

import re

from genie_local.nl2sql.plan import TimeWindow
from genie_local.nl2sql.timephrases import find_window, shift_back

LESS = r"fewer|less|lower|shorter|smaller|cheaper|fewest|least|lowest|shortest|smallest"
WHICH_OF_TWO = re.compile(
    rf"\b(?:more|higher|longer|bigger|larger|greater|most|highest|longest|biggest|largest|better|worse|{LESS})\b"
)
# "or more", "more than": a threshold, not a choice between two periods
_THRESHOLD = re.compile(
    r"\bor (?:more|less|fewer|higher|lower)\b|\b(?:more|less|fewer|higher|lower) than\b"
)


def _asks_which(text: str) -> bool:
    return (
        re.search(r"\bor\b", text) is not None
        and WHICH_OF_TWO.search(_THRESHOLD.sub(" ", text)) is not None
        and re.search(r"_\s+or\s+(?:the\s+)?_", text) is None  # "Chicago or Atlanta": entities
    )


def other_period(
    text: str, window: TimeWindow | None, shift: tuple[str, int] | None
) -> tuple[TimeWindow | None, str]:
    """The second period of "April or May", "last month or the month before" (``shift``
    already cut from the text), and the text without it; None when the question names one."""
    if window is None or not _asks_which(text):
        return None, text
    if shift is not None:
        return shift_back(window, *shift), text
    return find_window(text)


def winner_order(text: str) -> str:
    """ "Higher" picks the larger period, "lower" the smaller."""
    match = WHICH_OF_TWO.search(_THRESHOLD.sub(" ", text))
    return "asc" if match and re.fullmatch(LESS, match.group(0)) else "desc"

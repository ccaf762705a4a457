"""Genie's limit as Genie sees it: how many starts fall in one window.

The local Genie lists when it accepted each new question (``GET /local/stats``,
``start_times``); tests and benchmarks judge the rate limiter by that, not by when
workers were told they could start.
"""

from __future__ import annotations

from collections.abc import Sequence


def most_in_any_window(times: Sequence[float], window_s: float) -> int:
    """The most of ``times`` that any closed window ``window_s`` long holds (0 if none).

    A window holding the most always starts at one of the times, so those are the only
    windows to try.
    """
    ordered = sorted(times)
    most, first = 0, 0
    for last, end in enumerate(ordered):
        while ordered[first] < end - window_s:
            first += 1
        most = max(most, last - first + 1)
    return most

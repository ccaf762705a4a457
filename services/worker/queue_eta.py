"""When a question waiting in arq's queue should reach a worker: the arithmetic alone.

While any question waits in arq's queue every job slot is busy (workers take a job as
soon as they have room), so the waiting questions take slots in queue order as running
jobs end: the first gets the slot of the job expected to end first, and its own job
then holds that slot for a typical job's time; the second gets the next slot to free,
and so on. A running job is expected to take as long as the latest jobs took on
average; one that has already run longer is expected to end any moment
(``MIN_REMAINING_S``), never in the past. As time passes the running jobs' remaining
times shrink, so the same inputs a second later give ETAs a second shorter: the count
down the user sees.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from statistics import fmean

#: a job's expected time until one has been measured: Genie's typical answer time
DEFAULT_JOB_S = 15.0
#: a running job past its expected time still holds its slot for a moment
MIN_REMAINING_S = 1.0


def expected_job_s(recent_s: Sequence[float]) -> float:
    """How long a job is expected to take: the mean of the latest durations measured."""
    return fmean(recent_s) if recent_s else DEFAULT_JOB_S


def remaining_s(elapsed_s: Sequence[float | None], job_s: float) -> list[float]:
    """Each running job's expected time left; ``None`` (start not known) ends any moment."""
    return [
        MIN_REMAINING_S if elapsed is None else max(MIN_REMAINING_S, job_s - elapsed)
        for elapsed in elapsed_s
    ]


def start_waits_s(running_remaining_s: Sequence[float], job_s: float, waiting: int) -> list[float]:
    """Seconds until each of ``waiting`` queued questions (in queue order) gets a slot.

    With no job running, the first waiting question is taken at once and the rest are
    assumed to follow it through that one slot (nothing is known of more).
    """
    frees = list(running_remaining_s) or [0.0]
    heapq.heapify(frees)
    waits = []
    for _ in range(waiting):
        start = heapq.heappop(frees)
        waits.append(start)
        heapq.heappush(frees, start + job_s)
    return waits

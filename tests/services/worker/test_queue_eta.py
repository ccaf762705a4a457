"""The arithmetic of a queued question's ETA (services/worker/queue_eta.py)."""

from __future__ import annotations

from services.worker.queue_eta import (
    DEFAULT_JOB_S,
    MIN_REMAINING_S,
    expected_job_s,
    remaining_s,
    start_waits_s,
)


def test_a_job_is_expected_to_take_the_latest_jobs_mean() -> None:
    assert expected_job_s([4.0, 6.0, 8.0]) == 6.0
    assert expected_job_s([]) == DEFAULT_JOB_S  # nothing measured yet


def test_a_running_job_is_expected_to_end_after_the_rest_of_a_mean_job() -> None:
    assert remaining_s([2.0, 9.0], job_s=10.0) == [8.0, 1.0]
    # past its expected time, or with no recorded start, it may end any moment
    assert remaining_s([25.0, None], job_s=10.0) == [MIN_REMAINING_S, MIN_REMAINING_S]


def test_waiting_questions_take_the_slots_in_the_order_they_free() -> None:
    # two slots free in 3 s and 8 s; each new job then holds its slot 10 s
    assert start_waits_s([8.0, 3.0], job_s=10.0, waiting=4) == [3.0, 8.0, 13.0, 18.0]


def test_the_same_queue_a_second_later_is_a_second_sooner() -> None:
    now = start_waits_s(remaining_s([2.0, 5.0], 10.0), 10.0, waiting=3)
    later = start_waits_s(remaining_s([3.0, 6.0], 10.0), 10.0, waiting=3)
    assert [a - b for a, b in zip(now, later, strict=True)] == [1.0, 1.0, 1.0]


def test_with_no_job_running_the_first_question_starts_now() -> None:
    assert start_waits_s([], job_s=10.0, waiting=2) == [0.0, 10.0]
    assert start_waits_s([4.0], job_s=10.0, waiting=0) == []

"""A job's status, percent and ETA summed up from its tasks' (one implicit task today)."""

from __future__ import annotations

import pytest

from videoforge.jobs.progress import JobProgress, TaskProgress, summarize
from videoforge.jobs.status import JobStatus

Q, P, R = JobStatus.QUEUED, JobStatus.PROCESSING, JobStatus.READY
F, C = JobStatus.FAILED, JobStatus.CANCELLED


def test_one_task_is_the_job() -> None:
    assert summarize([TaskProgress(P, 42.04, 12.36)]) == JobProgress(P, 42.0, 12.4)
    assert summarize([TaskProgress(P, 100.0, 0.0)]) == JobProgress(P, 99.0, 0.0)
    assert summarize([TaskProgress(Q)]) == JobProgress(Q, 0.0, None)
    assert summarize([TaskProgress(R)]) == JobProgress(R, 100.0, 0.0)
    assert summarize([TaskProgress(F, 30.0, 5.0)]) == JobProgress(F, 30.0, None)


@pytest.mark.parametrize(
    ("statuses", "job"),
    [
        ((Q, Q), Q),
        ((Q, P), P),
        ((R, Q), P),  # under way: one part done, another waiting
        ((R, R), R),
        ((R, P, F), F),
        ((F, C, P), C),
    ],
)
def test_status_of_several_tasks(statuses: tuple[JobStatus, ...], job: JobStatus) -> None:
    assert summarize([TaskProgress(status) for status in statuses]).status == job


def test_percent_is_the_weighted_mean_and_eta_the_latest() -> None:
    tasks = [
        TaskProgress(R, weight=30.0),
        TaskProgress(P, 50.0, 20.0, weight=60.0),
        TaskProgress(P, 10.0, 45.0, weight=10.0),
    ]
    # (30 * 100 + 60 * 50 + 10 * 10) / 100
    assert summarize(tasks) == JobProgress(P, 61.0, 45.0)


def test_eta_is_unknown_while_a_task_has_none() -> None:
    tasks = [TaskProgress(P, 50.0, 20.0), TaskProgress(Q)]
    assert summarize(tasks) == JobProgress(P, 25.0, None)


def test_no_tasks_or_no_weight_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one task"):
        summarize([])
    with pytest.raises(ValueError, match="weights"):
        summarize([TaskProgress(Q, weight=0.0)])

"""A job's status, progress and ETA as they follow from its tasks'.

Today a job is one implicit task (JobState passes the job itself); once a job is split into
chunk tasks that any worker may take, the same function sums them up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from videoforge.jobs.status import ACTIVE, JobStatus

# Only a ready job shows 100 %: the last percent of the work (checks, publishing) is not done
# when the encoder reports its last frame.
UNFINISHED_CAP = 99.0


@dataclass(frozen=True)
class TaskProgress:
    status: JobStatus
    percent: float = 0.0
    eta_seconds: float | None = None
    # Its share of the job's work (e.g. seconds of media); equal shares by default.
    weight: float = 1.0


@dataclass(frozen=True)
class JobProgress:
    status: JobStatus
    percent: float
    eta_seconds: float | None


def summarize(tasks: Sequence[TaskProgress]) -> JobProgress:
    """The job as its tasks make it: cancelled if any task is, else failed if any task is,
    ready when all are, processing once any has started, else queued. Its percent is the
    tasks' weighted mean (ready tasks count 100), under 100 until it is ready; its ETA is the
    latest of its unfinished tasks' (they run side by side), unknown while any has none."""
    if not tasks:
        raise ValueError("A job has at least one task.")
    total_weight = sum(task.weight for task in tasks)
    if total_weight <= 0:
        raise ValueError("The tasks' weights must add up to more than zero.")
    status = _status({task.status for task in tasks})
    if status == JobStatus.READY:
        return JobProgress(status, 100.0, 0.0)
    done = sum(
        task.weight * (100.0 if task.status == JobStatus.READY else task.percent) for task in tasks
    )
    percent = round(min(done / total_weight, UNFINISHED_CAP), 1)
    return JobProgress(status, percent, _eta(status, tasks))


def _status(statuses: set[JobStatus]) -> JobStatus:
    for settled in (JobStatus.CANCELLED, JobStatus.FAILED):
        if settled in statuses:
            return settled
    if statuses == {JobStatus.READY}:
        return JobStatus.READY
    if statuses & {JobStatus.PROCESSING, JobStatus.READY}:
        return JobStatus.PROCESSING
    return JobStatus.QUEUED


def _eta(status: JobStatus, tasks: Sequence[TaskProgress]) -> float | None:
    if status not in ACTIVE:
        return None
    etas = [task.eta_seconds for task in tasks if task.status in ACTIVE]
    if any(eta is None for eta in etas):
        return None
    return round(max(eta for eta in etas if eta is not None), 1)

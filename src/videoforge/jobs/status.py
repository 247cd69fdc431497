"""The statuses of a job and of its video, and the one table of how a job's status may move.

The same statuses and moves serve a job's tasks once a job is split into several (scale-out
transcoding): a task is queued, claimed, finished, retried, failed or cancelled just like a
job today. `progress.summarize` derives a job's status from its tasks' statuses.

Nothing here touches the database: callers write `advance(...)`'s answer into their rows, and
a bulk update uses a move's `sources` and `target` in its WHERE and SET clauses.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class JobStatus(StrEnum):
    QUEUED = "queued"
    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"
    CANCELLED = "cancelled"


class VideoStatus(StrEnum):
    """What Video.status holds: uploaded, then it follows its latest job (see VIDEO_FOLLOWS)."""

    UPLOADED = "uploaded"
    QUEUED = "queued"
    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"


# A worker may still change an active job; a finished one is settled for good.
ACTIVE = frozenset({JobStatus.QUEUED, JobStatus.PROCESSING})
FINISHED = frozenset({JobStatus.READY, JobStatus.FAILED, JobStatus.CANCELLED})
ANY = ACTIVE | FINISHED

# The video's status while its job has a given status (a cancelled job leaves it failed).
VIDEO_FOLLOWS: dict[JobStatus, VideoStatus] = {
    JobStatus.QUEUED: VideoStatus.QUEUED,
    JobStatus.PROCESSING: VideoStatus.PROCESSING,
    JobStatus.READY: VideoStatus.READY,
    JobStatus.FAILED: VideoStatus.FAILED,
    JobStatus.CANCELLED: VideoStatus.FAILED,
}


@dataclass(frozen=True)
class Move:
    """One way a status may change: from any of `sources` to `target`."""

    name: str
    sources: frozenset[JobStatus]
    target: JobStatus


class Moves:
    """Every allowed change of a job's (or task's) status."""

    # Owner or admin runs a job that ended without success again.
    RETRY = Move("retry", frozenset({JobStatus.FAILED, JobStatus.CANCELLED}), JobStatus.QUEUED)
    # Admin moves a dead letter back to the queue, whatever became of its job meanwhile.
    REDRIVE = Move("redrive", ANY, JobStatus.QUEUED)
    # The message could not be sent: the job must not look queued when nothing will run it.
    SEND_FAILED = Move("send failed", frozenset({JobStatus.QUEUED}), JobStatus.FAILED)
    # A worker starts an attempt (a redelivered message starts a new one on a processing job).
    CLAIM = Move("claim", ACTIVE, JobStatus.PROCESSING)
    FINISH = Move("finish", ACTIVE, JobStatus.READY)
    # An attempt failed and the queue will deliver the message again.
    BACK_OFF = Move("back off", ACTIVE, JobStatus.QUEUED)
    FAIL = Move("fail", ACTIVE, JobStatus.FAILED)
    # By its owner, or because its video is deleted.
    CANCEL = Move("cancel", ACTIVE, JobStatus.CANCELLED)
    # A task of a split job that has not finished is queued again when its job is retried or
    # redriven; its finished siblings are kept (only what is missing runs again).
    RESUME = Move(
        "resume",
        frozenset({JobStatus.QUEUED, JobStatus.PROCESSING, JobStatus.FAILED, JobStatus.CANCELLED}),
        JobStatus.QUEUED,
    )


class IllegalMove(Exception):
    def __init__(self, move: Move, current: str) -> None:
        super().__init__(f"A {current} job cannot {move.name}.")
        self.move = move
        self.current = current


def can(move: Move, current: str) -> bool:
    return current in move.sources


def advance(current: str, move: Move) -> JobStatus:
    """The status after `move` from `current`; IllegalMove when the move is not allowed."""
    if not can(move, current):
        raise IllegalMove(move, current)
    return move.target


class HasStatus(Protocol):
    status: str


def apply(move: Move, job: HasStatus, video: HasStatus | None = None) -> None:
    """Make `move` on a job (or task) row and let its video follow; IllegalMove if not allowed."""
    job.status = advance(job.status, move)
    if video is not None:
        video.status = VIDEO_FOLLOWS[move.target]

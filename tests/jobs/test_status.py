"""The one table of job status moves: what each move allows, and that others are refused."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from videoforge.jobs.status import (
    ACTIVE,
    FINISHED,
    IllegalMove,
    JobStatus,
    Move,
    Moves,
    VideoStatus,
    advance,
    apply,
    can,
)


@dataclass
class Row:
    status: str


def test_active_and_finished_split_every_status() -> None:
    assert set(JobStatus) == ACTIVE | FINISHED
    assert not ACTIVE & FINISHED


@pytest.mark.parametrize(
    ("move", "current", "after"),
    [
        (Moves.CLAIM, "queued", "processing"),
        (Moves.CLAIM, "processing", "processing"),  # a redelivered message: a new attempt
        (Moves.FINISH, "processing", "ready"),
        (Moves.BACK_OFF, "processing", "queued"),
        (Moves.FAIL, "queued", "failed"),
        (Moves.CANCEL, "processing", "cancelled"),
        (Moves.RETRY, "failed", "queued"),
        (Moves.RETRY, "cancelled", "queued"),
        (Moves.SEND_FAILED, "queued", "failed"),
        (Moves.REDRIVE, "ready", "queued"),
    ],
)
def test_allowed_moves(move: Move, current: str, after: str) -> None:
    assert advance(current, move) == after


@pytest.mark.parametrize(
    ("move", "current"),
    [
        (Moves.CLAIM, "ready"),
        (Moves.CLAIM, "cancelled"),
        (Moves.FINISH, "cancelled"),
        (Moves.FAIL, "ready"),
        (Moves.CANCEL, "failed"),
        (Moves.RETRY, "queued"),
        (Moves.RETRY, "ready"),
        (Moves.SEND_FAILED, "processing"),
    ],
)
def test_refused_moves(move: Move, current: str) -> None:
    assert not can(move, current)
    with pytest.raises(IllegalMove, match=f"A {current} job cannot"):
        advance(current, move)


def test_apply_moves_the_video_along_and_refuses_without_changing() -> None:
    job, video = Row("processing"), Row("processing")
    apply(Moves.CANCEL, job, video)
    assert (job.status, video.status) == ("cancelled", VideoStatus.FAILED)

    with pytest.raises(IllegalMove):
        apply(Moves.FINISH, job, video)
    assert (job.status, video.status) == ("cancelled", "failed")

    apply(Moves.RETRY, job, video)
    assert (job.status, video.status) == ("queued", "queued")

"""The worker's side of a split job's tasks (chunks and the audio): their rows as processing
moves them along, each change in a short session of its own, and the two points where workers
meet: the growing playlists (only ever published further) and the final step (handed out once).

A task runs unless its job is cancelled or gone, the task is settled, or it belongs to an
earlier encode of the job (a re-planned job). A task whose job failed still runs: its work is
kept for when the job is retried or redriven, which runs only what is missing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session, sessionmaker

from videoforge.db import Job, JobTask, Video, utcnow
from videoforge.jobs.progress import TaskProgress, summarize
from videoforge.jobs.status import ACTIVE, JobStatus, Moves, apply, can

AUDIO_INDEX = -1  # the audio task's index; chunks count from 0
# The audio's share of the job's progress per second of media, against a chunk's 1: encoding
# it costs little (1.3 CPU-s per minute).
AUDIO_WEIGHT = 0.05


@dataclass(frozen=True)
class NewTask:
    id: str
    kind: str
    index: int
    start: float
    end: float
    message: dict[str, Any]


@dataclass(frozen=True)
class TaskClaim:
    source_key: str
    done: bool  # finished before (a redelivery): only the hand-off after it is left to do


def create_tasks(
    sessions: sessionmaker[Session], job_id: str, encode_id: str, tasks: Sequence[NewTask]
) -> bool:
    """Replace the job's tasks by these (a new encode); False when the job is not active."""
    with sessions() as session:
        job = session.get(Job, job_id)
        if job is None or job.status not in ACTIVE:
            return False
        for old in session.scalars(select(JobTask).where(JobTask.job_id == job_id)):
            session.delete(old)
        job.encode_id, job.finish_sent_for, job.published_chunks = encode_id, None, 0
        for task in tasks:
            session.add(
                JobTask(
                    id=task.id, job_id=job_id, encode_id=encode_id, kind=task.kind,
                    index=task.index, start_seconds=task.start, end_seconds=task.end,
                    status=JobStatus.QUEUED, message=task.message,
                )
            )  # fmt: skip
        session.commit()
        return True


def tasks_of(session: Session, job: Job) -> list[JobTask]:
    """The job's current encode's tasks, the audio first, then the chunks in order."""
    query = select(JobTask).where(JobTask.job_id == job.id, JobTask.encode_id == job.encode_id)
    return list(session.scalars(query.order_by(JobTask.index)))


def cancel_tasks(session: Session, job: Job) -> None:
    """Cancel the job's unfinished tasks (in the caller's transaction)."""
    for task in tasks_of(session, job):
        if can(Moves.CANCEL, task.status):
            apply(Moves.CANCEL, task)


@dataclass(frozen=True)
class Resumed:
    unfinished: list[dict[str, Any]]  # the messages of the tasks queued again
    any_task: dict[str, Any]  # one task's message (the recipe), for the final step


def resume_tasks(sessions: sessionmaker[Session], job_id: str) -> Resumed | None:
    """Queue the job's unfinished tasks again (the final step may be handed out again too);
    None when the job has no tasks (it is planned afresh)."""
    with sessions() as session:
        job = session.get(Job, job_id)
        if job is None or job.encode_id is None:
            return None
        tasks = tasks_of(session, job)
        if not tasks:
            return None
        messages = []
        for task in tasks:
            if can(Moves.RESUME, task.status):
                apply(Moves.RESUME, task)
                task.error = None
                messages.append(task.message)
        job.finish_sent_for = None
        session.commit()
        return Resumed(messages, tasks[0].message)


class TaskState:
    def __init__(self, sessions: sessionmaker[Session], task_id: str) -> None:
        self.sessions = sessions
        self.task_id = task_id

    def claim(self, encode_id: str) -> TaskClaim | None:
        """Start an attempt (task processing, a queued job too); None when there is nothing to
        do: job cancelled or gone, task cancelled or of an earlier encode."""
        with self.sessions() as session:
            task, job, video = self._rows(session)
            if task is None or job is None or video is None or task.encode_id != encode_id:
                return None
            if job.encode_id != encode_id or job.status == JobStatus.CANCELLED:
                return None
            if task.status == JobStatus.READY:
                return TaskClaim(video.source_key, done=True)
            if not can(Moves.CLAIM, task.status):
                return None
            apply(Moves.CLAIM, task)
            task.attempts += 1
            task.progress, task.eta_seconds, task.error = 0.0, None, None
            if job.status == JobStatus.QUEUED:
                apply(Moves.CLAIM, job, video)
                job.started_at = job.started_at or utcnow()
            session.commit()
            return TaskClaim(video.source_key, done=False)

    def progress(self, percent: float, eta_seconds: float | None) -> bool:
        """Record the task's progress and the job's over its tasks; False once the task or its
        job was cancelled (stop)."""
        with self.sessions() as session:
            task, job, _ = self._rows(session)
            if task is None or job is None or job.status == JobStatus.CANCELLED:
                return False
            if task.status not in ACTIVE:
                return False
            task.progress, task.eta_seconds = percent, eta_seconds
            if job.status in ACTIVE:
                summary = summarize(_progress(tasks_of(session, job)))
                job.progress, job.eta_seconds = summary.percent, summary.eta_seconds
            session.commit()
            return True

    def still_running(self) -> bool:
        with self.sessions() as session:
            task, job, _ = self._rows(session)
            alive = job is not None and job.status != JobStatus.CANCELLED
            return alive and task is not None and task.status in ACTIVE

    def ready(self) -> bool:
        """The task's outputs are all stored; False if it was cancelled meanwhile."""
        with self.sessions() as session:
            task, job, _ = self._rows(session)
            if task is None or job is None or not can(Moves.FINISH, task.status):
                return task is not None and task.status == JobStatus.READY
            apply(Moves.FINISH, task)
            task.progress, task.eta_seconds, task.error = 100.0, 0.0, None
            if job.status in ACTIVE:
                summary = summarize(_progress(tasks_of(session, job)))
                job.progress, job.eta_seconds = summary.percent, summary.eta_seconds
            session.commit()
            return True

    def retrying(self, message: str) -> None:
        """The attempt failed and its message comes back: the task is queued, the job keeps
        running its other tasks and shows why."""
        with self.sessions() as session:
            task, job, _ = self._rows(session)
            if task is None or not can(Moves.BACK_OFF, task.status):
                return
            apply(Moves.BACK_OFF, task)
            task.error = message
            if job is not None and job.status in ACTIVE:
                job.error = f"{describe(task)}: {message}"
            session.commit()

    def fail(self, reason: str) -> str | None:
        """The task failed for good; returns the job's reason ("Part 3 (60-90 s): ...")."""
        with self.sessions() as session:
            task, _, _ = self._rows(session)
            if task is None:
                return None
            if can(Moves.FAIL, task.status):
                apply(Moves.FAIL, task)
            task.error = reason
            session.commit()
            return f"{describe(task)}: {reason}"

    def _rows(self, session: Session) -> tuple[JobTask | None, Job | None, Video | None]:
        task = session.get(JobTask, self.task_id)
        job = session.get(Job, task.job_id) if task else None
        video = session.get(Video, job.video_id) if job else None
        return task, job, video


def describe(task: JobTask) -> str:
    if task.index == AUDIO_INDEX:
        return "The audio"
    return f"Part {task.index + 1} ({task.start_seconds:.0f}-{task.end_seconds:.0f} s)"


def _progress(tasks: Sequence[JobTask]) -> list[TaskProgress]:
    return [
        TaskProgress(JobStatus(t.status), t.progress, t.eta_seconds, weight=_weight(t))
        for t in tasks
    ]


def _weight(task: JobTask) -> float:
    seconds = max(task.end_seconds - task.start_seconds, 0.001)
    return seconds * (AUDIO_WEIGHT if task.index == AUDIO_INDEX else 1.0)


def ready_parts(sessions: sessionmaker[Session], job_id: str, encode_id: str) -> set[int]:
    """The indexes of the encode's ready tasks (AUDIO_INDEX for the audio)."""
    with sessions() as session:
        query = select(JobTask.index).where(
            JobTask.job_id == job_id,
            JobTask.encode_id == encode_id,
            JobTask.status == JobStatus.READY,
        )
        return set(session.scalars(query))


def claim_finish(sessions: sessionmaker[Session], job_id: str, encode_id: str) -> bool:
    """Whether this caller hands out the final step: true for exactly one caller once every
    task of the encode is ready (one conditional UPDATE; safe when messages come twice)."""
    unfinished = exists().where(
        JobTask.job_id == job_id,
        JobTask.encode_id == encode_id,
        JobTask.status != JobStatus.READY,
    )
    with sessions() as session:
        result = session.execute(
            update(Job)
            .where(
                Job.id == job_id,
                Job.encode_id == encode_id,
                Job.finish_sent_for.is_(None),
                ~unfinished,
            )
            .values(finish_sent_for=encode_id)
        )
        session.commit()
        return bool(getattr(result, "rowcount", 0))


def release_finish(sessions: sessionmaker[Session], job_id: str) -> None:
    """The final step's message could not be sent: let the next caller hand it out."""
    with sessions() as session:
        session.execute(update(Job).where(Job.id == job_id).values(finish_sent_for=None))
        session.commit()


@contextmanager
def publishing(sessions: sessionmaker[Session], job_id: str, chunks: int) -> Iterator[int | None]:
    """Yields how many chunks the published playlists listed before, when playlists listing
    `chunks` chunks may be published (no one published as many), else None; holds the job's
    row lock while the caller reads what was published and writes the new playlists, so two
    workers publishing at once never move the playlists backwards."""
    with sessions() as session:
        # A write first takes the row's lock (SQLite: the database's) before the count is read.
        this_job = update(Job).where(Job.id == job_id)
        session.execute(this_job.values(published_chunks=Job.published_chunks))
        previous = session.scalar(select(Job.published_chunks).where(Job.id == job_id))
        if previous is None or previous >= chunks:
            yield None
            return
        session.execute(this_job.values(published_chunks=chunks))
        yield previous
        session.commit()


@contextmanager
def publishing_start(
    sessions: sessionmaker[Session], job_id: str, encode_id: str
) -> Iterator[bool]:
    """Yields whether chunk 0's growing start may be published while it is encoding: the job
    is this encode's, still active, and no playlists listing whole chunks are published (they
    replace the start's); holds the job's row lock while the caller writes, as `publishing`."""
    with sessions() as session:
        result = session.execute(
            update(Job)
            .where(
                Job.id == job_id,
                Job.encode_id == encode_id,
                Job.status.in_(ACTIVE),
                Job.published_chunks == 0,
            )
            .values(published_chunks=Job.published_chunks)  # changes nothing: takes the lock
        )
        yield bool(getattr(result, "rowcount", 0))
        session.commit()

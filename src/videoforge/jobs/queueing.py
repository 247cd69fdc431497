"""Creating and queueing transcoding jobs: the one place a job is put on the queue."""

from __future__ import annotations

from sqlalchemy.orm import Session

from videoforge.db import Job, Video
from videoforge.errors import ServiceUnavailable
from videoforge.jobs.status import JobStatus, Moves, VideoStatus, advance, apply
from videoforge.queue.base import JobQueue

SEND_FAILED = "The job queue could not be reached; retry the job in a moment."


def job_message(job: Job) -> dict[str, str]:
    return {"jobId": job.id, "videoId": job.video_id, "userId": job.user_id}


def create_job(session: Session, queue: JobQueue, video: Video) -> Job:
    job = Job(video_id=video.id, user_id=video.user_id, status=JobStatus.QUEUED)
    session.add(job)
    session.flush()
    video.status = VideoStatus.QUEUED
    _send(session, queue, job, video)
    return job


def requeue_job(session: Session, queue: JobQueue, job: Job) -> None:
    """Queue a failed or cancelled job again (IllegalMove otherwise)."""
    video = session.get(Video, job.video_id)
    apply(Moves.RETRY, job, video)
    _send(session, queue, job, video)


def _send(session: Session, queue: JobQueue, job: Job, video: Video | None) -> None:
    """Commit the queued job, then send its message.

    The commit comes first so a worker never receives a job it cannot read. If the send fails
    the job is marked failed with a reason, so it can be retried, never silently lost.
    """
    job.progress = 0.0
    job.error = None
    job.finished_at = None
    if video is not None:
        video.error = None
    session.commit()
    try:
        queue.send(job_message(job))
    except Exception as exc:
        job.status = advance(job.status, Moves.SEND_FAILED)
        job.error = SEND_FAILED
        session.commit()
        raise ServiceUnavailable(job.error) from exc

"""Creating and queueing transcoding jobs: the one place a job is put on the queue."""

from __future__ import annotations

from sqlalchemy.orm import Session

from videoforge.db import Job, Video
from videoforge.errors import ServiceUnavailable
from videoforge.queue.base import JobQueue


def job_message(job: Job) -> dict[str, str]:
    return {"jobId": job.id, "videoId": job.video_id, "userId": job.user_id}


def enqueue_job(session: Session, queue: JobQueue, job: Job) -> None:
    """Mark job and video queued, commit, then send the message.

    The commit comes first so a worker never receives a job it cannot read. If the send fails
    the job is marked failed with a reason, so it can be retried, never silently lost.
    """
    video = session.get(Video, job.video_id)
    job.status = "queued"
    job.progress = 0.0
    job.error = None
    job.finished_at = None
    if video is not None:
        video.status = "queued"
        video.error = None
    session.commit()
    try:
        queue.send(job_message(job))
    except Exception as exc:
        job.status = "failed"
        job.error = "The job queue could not be reached; retry the job in a moment."
        session.commit()
        raise ServiceUnavailable(job.error) from exc


def create_job(session: Session, queue: JobQueue, video: Video) -> Job:
    job = Job(video_id=video.id, user_id=video.user_id)
    session.add(job)
    session.flush()
    enqueue_job(session, queue, job)
    return job

"""Job verbs for the jobs API: list, get, retry, cancel, and a fresh snapshot for live updates.

A job is visible to its owner and to admins; to anyone else it does not exist (404).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.orm import Session

from videoforge.context import Context
from videoforge.db import Job, User, Video, utcnow
from videoforge.errors import Conflict, NotFound
from videoforge.jobs.queueing import requeue_job
from videoforge.jobs.schemas import JobDetail, JobOut, JobPage, JobSortField
from videoforge.jobs.status import Moves, apply, can
from videoforge.jobs.tasks import cancel_tasks, tasks_of
from videoforge.pagination import page_window, pagination

NO_JOB = "No job with this id exists."
CANCELLED_BY_OWNER = "Cancelled by the owner."

_SORT_COLUMNS = {
    "createdAt": Job.created_at,
    "updatedAt": Job.updated_at,
    "status": Job.status,
    "progress": Job.progress,
}


def _visible_to(user: User) -> ColumnElement[bool]:
    return true() if user.role == "admin" else Job.user_id == user.id


def list_jobs(
    session: Session,
    user: User,
    *,
    page: int,
    limit: int,
    status: str | None = None,
    sort_by: JobSortField = "createdAt",
    sort_order: str = "desc",
) -> JobPage:
    conditions = [_visible_to(user)]
    if status:
        conditions.append(Job.status == status)
    column = _SORT_COLUMNS[sort_by]
    order = column.asc() if sort_order == "asc" else column.desc()
    total = session.scalar(select(func.count()).select_from(Job).where(*conditions)) or 0
    query = (
        select(Job, Video.title)
        .outerjoin(Video, Video.id == Job.video_id)
        .where(*conditions)
        .order_by(order, Job.id)
    )
    rows = session.execute(page_window(query, page, limit)).all()
    return JobPage(
        jobs=[JobOut.of(job, title) for job, title in rows],
        pagination=pagination(total, page, limit),
    )


def _get(session: Session, user: User, job_id: str) -> tuple[Job, Video | None]:
    job = session.get(Job, job_id)
    if job is None or not (user.role == "admin" or job.user_id == user.id):
        raise NotFound(NO_JOB)
    return job, session.get(Video, job.video_id)


def get_job(session: Session, user: User, job_id: str) -> JobDetail:
    job, video = _get(session, user, job_id)
    return JobDetail.with_tasks(job, video.title if video else None, tasks_of(session, job))


def retry_job(session: Session, ctx: Context, user: User, job_id: str) -> JobOut:
    job, video = _get(session, user, job_id)
    if not can(Moves.RETRY, job.status):
        raise Conflict("Only failed or cancelled jobs can be retried.")
    job.eta_seconds = None
    job.started_at = None
    requeue_job(session, ctx.queue, job)
    return JobOut.of(job, video.title if video else None)


def cancel_job(session: Session, user: User, job_id: str) -> JobOut:
    """Mark the job cancelled; a worker on it sees the row and stops."""
    job, video = _get(session, user, job_id)
    if not can(Moves.CANCEL, job.status):
        raise Conflict("Only queued or processing jobs can be cancelled.")
    apply(Moves.CANCEL, job, video)
    cancel_tasks(session, job)  # their queued messages find the job cancelled and do nothing
    job.eta_seconds = None
    job.finished_at = utcnow()
    if video is not None:
        video.error = CANCELLED_BY_OWNER
    session.commit()
    return JobOut.of(job, video.title if video else None)


def job_snapshot(ctx: Context, user: User, job_id: str) -> JobOut | None:
    """The job as stored right now, read in a session of its own (callable from any thread);
    None once it is gone."""
    with ctx.sessions() as session:
        try:
            job, video = _get(session, user, job_id)
        except NotFound:
            return None
        return JobOut.of(job, video.title if video else None)

"""What the admin API reads and changes, as keyword-only verbs."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from videoforge.admin.schemas import (
    AdminJob,
    AdminUserOut,
    DeadLetterOut,
    JobPage,
    UserPage,
    UserStorage,
)
from videoforge.auth import mfa, service
from videoforge.db import Job, JobTask, User, Video
from videoforge.errors import BadRequest, NotFound
from videoforge.jobs.queueing import requeue_job
from videoforge.jobs.status import JobStatus, Moves, apply, can
from videoforge.pagination import page_window, pagination
from videoforge.queue.base import JobQueue


def counts_by_status(db: Session, column: InstrumentedAttribute[str]) -> dict[str, int]:
    rows = db.execute(select(column, func.count()).group_by(column)).all()
    return {str(status): int(count) for status, count in rows}


def list_jobs(db: Session, *, status: str | None, page: int, limit: int) -> JobPage:
    query = (
        select(Job, Video.title, User.username)
        .outerjoin(Video, Video.id == Job.video_id)
        .outerjoin(User, User.id == Job.user_id)
    )
    count = select(func.count()).select_from(Job)
    if status:
        query, count = query.where(Job.status == status), count.where(Job.status == status)
    total = db.scalar(count) or 0
    rows = db.execute(page_window(query.order_by(Job.created_at.desc()), page, limit)).all()
    jobs = [
        AdminJob(
            id=job.id,
            video_id=job.video_id,
            video_title=title,
            user_id=job.user_id,
            username=username,
            status=job.status,
            progress=job.progress,
            error=job.error,
            attempts=job.attempts,
            created_at=job.created_at,
            updated_at=job.updated_at,
        )
        for job, title, username in rows
    ]
    return JobPage(jobs=jobs, pagination=pagination(total, page, limit))


def list_dead_letters(queue: JobQueue, limit: int = 100) -> list[DeadLetterOut]:
    return [
        DeadLetterOut(
            id=letter.id,
            job_id=letter.body.get("jobId"),
            video_id=letter.body.get("videoId"),
            receive_count=letter.receive_count,
            last_error=letter.last_error,
            created_at=letter.created_at,
        )
        for letter in queue.list_dead(limit=limit)
    ]


def redrive(db: Session, *, queue: JobQueue, ids: list[str] | None) -> int:
    """Mark the dead letters' jobs queued, then move the letters back to the job queue."""
    letters = [d for d in queue.list_dead(limit=10_000) if ids is None or d.id in ids]
    for letter in letters:
        job = db.get(Job, letter.body.get("jobId"))
        if job is not None:
            video = db.get(Video, job.video_id)
            apply(Moves.REDRIVE, job, video)
            job.error, job.progress = None, 0.0
            task = db.get(JobTask, letter.body.get("taskId") or "")
            if task is not None and can(Moves.RESUME, task.status):
                apply(Moves.RESUME, task)  # a split job's dead chunk runs again, alone
            if video is not None:
                video.error = None
    db.commit()
    return queue.redrive([d.id for d in letters]) if letters else 0


def restart_failed(db: Session, *, queue: JobQueue) -> list[str]:
    """Queue every failed job again (the original reset the status and queued nothing)."""
    failed = db.scalars(select(Job).where(Job.status == JobStatus.FAILED)).all()
    for job in failed:
        job.attempts = 0
        requeue_job(db, queue, job)
    return [job.id for job in failed]


def user_out(db: Session, user: User) -> AdminUserOut:
    return AdminUserOut(
        id=user.id,
        username=user.username,
        email=user.email,
        role=user.role,
        disabled=user.disabled,
        email_confirmed=user.email_confirmed,
        mfa_enabled=mfa.totp_enabled(user),
        mfa_required=user.mfa_required,
        created_at=user.created_at,
    )


def list_users(db: Session, *, page: int, limit: int) -> UserPage:
    total = db.scalar(select(func.count()).select_from(User)) or 0
    users = db.scalars(page_window(select(User).order_by(User.created_at), page, limit)).all()
    return UserPage(
        users=[user_out(db, u) for u in users], pagination=pagination(total, page, limit)
    )


def update_user(
    db: Session,
    *,
    admin: User,
    user_id: str,
    role: str | None = None,
    disabled: bool | None = None,
    require_mfa: bool | None = None,
) -> User:
    user = db.get(User, user_id)
    if user is None:
        raise NotFound("No user with this id exists.")
    if user.id == admin.id and (disabled or role == "user"):
        raise BadRequest(
            "You cannot disable or demote yourself; ask another administrator.",
            code="cannot_change_self",
        )
    if role is not None:
        service.set_role(db, user=user, role=role)
    if require_mfa is not None:
        user.mfa_required = require_mfa
        db.commit()
    if disabled is not None:
        service.set_disabled(db, user=user, disabled=disabled)
    return user


def storage_by_user(db: Session) -> list[UserStorage]:
    rows = db.execute(
        select(User.id, User.username, func.count(Video.id), func.sum(Video.file_size))
        .join(Video, Video.user_id == User.id)
        .group_by(User.id, User.username)
        .order_by(func.sum(Video.file_size).desc())
    ).all()
    return [
        UserStorage(user_id=uid, username=name, videos=int(n), source_bytes=int(size or 0))
        for uid, name, n, size in rows
    ]

"""/api/admin: the dashboard's API. Every route needs the admin role (AdminUser)."""

from __future__ import annotations

from fastapi import APIRouter

from videoforge.admin import service
from videoforge.admin.schemas import (
    AdminUserOut,
    DeadLetters,
    JobPage,
    Overview,
    Redriven,
    RedriveRequest,
    Restarted,
    StorageReport,
    UserChange,
    UserPage,
)
from videoforge.auth.deps import AdminUser
from videoforge.db import Job, User, Video
from videoforge.deps import CtxDep, DbDep
from videoforge.pagination import PageNumber, PageSize
from videoforge.storage.layout import VIDEOS

router = APIRouter(prefix="/api/admin", tags=["admin"])


@router.get("/overview", response_model=Overview)
def overview(admin: AdminUser, ctx: CtxDep, db: DbDep) -> Overview:
    """Videos and jobs by status, the queue's depth, bytes stored, number of users."""
    return Overview(
        videos=service.counts_by_status(db, Video.status),
        jobs=service.counts_by_status(db, Job.status),
        queue=ctx.queue.depth(),
        storage_bytes=ctx.store.usage_bytes(VIDEOS),
        users=sum(service.counts_by_status(db, User.role).values()),
    )


@router.get("/jobs", response_model=JobPage)
def jobs(
    admin: AdminUser,
    db: DbDep,
    status: str | None = None,
    page: PageNumber = 1,
    limit: PageSize = 20,
) -> JobPage:
    """Every user's jobs, newest first, optionally of one status."""
    return service.list_jobs(db, status=status, page=page, limit=limit)


@router.post("/jobs/restart-failed", response_model=Restarted)
def restart_failed(admin: AdminUser, ctx: CtxDep, db: DbDep) -> Restarted:
    """Put every failed job on the queue again."""
    ids = service.restart_failed(db, queue=ctx.queue)
    return Restarted(restarted=len(ids), job_ids=ids)


@router.get("/dlq", response_model=DeadLetters)
def dead_letters(admin: AdminUser, ctx: CtxDep, limit: PageSize = 100) -> DeadLetters:
    """Jobs that failed every attempt, with their last error."""
    return DeadLetters(messages=service.list_dead_letters(ctx.queue, limit))


@router.post("/dlq/redrive", response_model=Redriven)
def redrive(
    admin: AdminUser, ctx: CtxDep, db: DbDep, body: RedriveRequest | None = None
) -> Redriven:
    """Move dead letters (all, or `ids`) back to the job queue; their jobs are queued again."""
    moved = service.redrive(db, queue=ctx.queue, ids=body.ids if body else None)
    return Redriven(redriven=moved)


@router.get("/users", response_model=UserPage)
def users(admin: AdminUser, db: DbDep, page: PageNumber = 1, limit: PageSize = 50) -> UserPage:
    return service.list_users(db, page=page, limit=limit)


@router.patch("/users/{user_id}", response_model=AdminUserOut)
def change_user(user_id: str, body: UserChange, admin: AdminUser, db: DbDep) -> AdminUserOut:
    """Change a role, disable (every session ends at once) or re-enable, or require MFA."""
    user = service.update_user(
        db,
        admin=admin,
        user_id=user_id,
        role=body.role,
        disabled=body.disabled,
        require_mfa=body.require_mfa,
    )
    return service.user_out(db, user)


@router.get("/storage", response_model=StorageReport)
def storage(admin: AdminUser, ctx: CtxDep, db: DbDep) -> StorageReport:
    by_user = service.storage_by_user(db)
    return StorageReport(
        total_bytes=ctx.store.usage_bytes(VIDEOS),
        source_bytes=sum(u.source_bytes for u in by_user),
        by_user=by_user,
    )

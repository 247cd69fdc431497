"""/api/jobs: the asking user's transcoding jobs (admins: everyone's), live updates over
Server-Sent Events, retry and cancel."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Literal

import anyio
import anyio.to_thread
from fastapi import APIRouter
from sse_starlette import EventSourceResponse

from videoforge.auth.deps import CurrentUser
from videoforge.context import Context
from videoforge.db import User
from videoforge.deps import CtxDep, DbDep
from videoforge.errors import NotFound
from videoforge.jobs import service
from videoforge.jobs.schemas import JobDetail, JobOut, JobPage, JobSortField
from videoforge.jobs.status import FINISHED, JobStatus
from videoforge.pagination import PageNumber, PageSize

router = APIRouter(tags=["jobs"])

# The writer (a worker) may be another process, so changes are found by reading the database.
POLL_SECONDS = 0.5
HEARTBEAT_SECONDS = 15


@router.get("/api/jobs", response_model=JobPage)
def list_jobs(
    db: DbDep,
    user: CurrentUser,
    page: PageNumber = 1,
    limit: PageSize = 10,
    status: JobStatus | None = None,
    # camelCase: the original's query names.
    sortBy: JobSortField = "createdAt",
    sortOrder: Literal["asc", "desc"] = "desc",
) -> JobPage:
    """The caller's jobs, newest first by default; admins see every job."""
    return service.list_jobs(
        db, user, page=page, limit=limit, status=status, sort_by=sortBy, sort_order=sortOrder
    )


@router.get("/api/jobs/{job_id}", response_model=JobDetail)
def get_job(job_id: str, db: DbDep, user: CurrentUser) -> JobDetail:
    """The job, with its tasks (chunks and audio) when it was split across workers."""
    return service.get_job(db, user, job_id)


@router.get(
    "/api/jobs/{job_id}/events",
    response_class=EventSourceResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def job_events(job_id: str, ctx: CtxDep, db: DbDep, user: CurrentUser) -> EventSourceResponse:
    """Server-Sent Events: `job_update` with the job JSON whenever it changes, a comment
    heartbeat every 15 s; the stream ends after a terminal status (ready, failed, cancelled)."""
    db.close()  # the sign-in check is done; each poll reads in a session of its own
    first = await anyio.to_thread.run_sync(service.job_snapshot, ctx, user, job_id)
    if first is None:
        raise NotFound(service.NO_JOB)
    return EventSourceResponse(_updates(ctx, user, first), ping=HEARTBEAT_SECONDS)


async def _updates(ctx: Context, user: User, job: JobOut) -> AsyncIterator[dict[str, Any]]:
    last: JobOut | None = None
    current: JobOut | None = job
    while current is not None:
        if current != last:
            yield {"event": "job_update", "data": current.model_dump_json(by_alias=True)}
            last = current
        if current.status in FINISHED:
            return
        await anyio.sleep(POLL_SECONDS)
        current = await anyio.to_thread.run_sync(service.job_snapshot, ctx, user, job.id)


@router.post("/api/jobs/{job_id}/retry", status_code=202, response_model=JobOut)
def retry_job(job_id: str, ctx: CtxDep, db: DbDep, user: CurrentUser) -> JobOut:
    """Queue a failed or cancelled job again (409 otherwise)."""
    return service.retry_job(db, ctx, user, job_id)


@router.post("/api/jobs/{job_id}/cancel", status_code=202, response_model=JobOut)
def cancel_job(job_id: str, db: DbDep, user: CurrentUser) -> JobOut:
    """Cancel a queued or processing job (409 otherwise); its video is marked failed."""
    return service.cancel_job(db, user, job_id)

"""Response shapes of the jobs API (camelCase on the wire, as the original's client read)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from videoforge.api_model import ApiModel
from videoforge.db import Job
from videoforge.pagination import Pagination

JobSortField = Literal["createdAt", "updatedAt", "status", "progress"]


class JobOut(ApiModel):
    id: str
    video_id: str
    status: str
    progress: float
    eta_seconds: float | None
    error: str | None
    attempts: int
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    video_title: str | None

    @classmethod
    def of(cls, job: Job, video_title: str | None) -> JobOut:
        return cls(
            id=job.id,
            video_id=job.video_id,
            status=job.status,
            progress=job.progress,
            eta_seconds=job.eta_seconds,
            error=job.error,
            attempts=job.attempts,
            created_at=job.created_at,
            updated_at=job.updated_at,
            started_at=job.started_at,
            finished_at=job.finished_at,
            video_title=video_title,
        )


class JobPage(ApiModel):
    jobs: list[JobOut]
    pagination: Pagination

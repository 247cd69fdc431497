"""Bodies of /api/admin, camelCase like the rest of the API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from videoforge.api_model import ApiModel
from videoforge.pagination import Pagination


class Overview(ApiModel):
    videos: dict[str, int]  # by status
    jobs: dict[str, int]  # by status
    queue: dict[str, int]  # visible, in_flight, delayed, dead
    storage_bytes: int
    users: int


class AdminJob(ApiModel):
    id: str
    video_id: str
    video_title: str | None
    user_id: str
    username: str | None
    status: str
    progress: float
    error: str | None
    attempts: int
    created_at: datetime
    updated_at: datetime


class JobPage(ApiModel):
    jobs: list[AdminJob]
    pagination: Pagination


class DeadLetterOut(ApiModel):
    id: str
    job_id: str | None
    video_id: str | None
    receive_count: int
    last_error: str | None
    created_at: datetime


class DeadLetters(ApiModel):
    messages: list[DeadLetterOut]


class RedriveRequest(ApiModel):
    ids: list[str] | None = None  # message ids; all when omitted


class Redriven(ApiModel):
    redriven: int


class Restarted(ApiModel):
    restarted: int
    job_ids: list[str]


class AdminUserOut(ApiModel):
    id: str
    username: str
    email: str
    role: str
    disabled: bool
    email_confirmed: bool
    mfa_enabled: bool
    mfa_required: bool
    created_at: datetime


class UserPage(ApiModel):
    users: list[AdminUserOut]
    pagination: Pagination


class UserChange(ApiModel):
    role: Literal["user", "admin"] | None = None
    disabled: bool | None = None
    require_mfa: bool | None = None


class UserStorage(ApiModel):
    user_id: str
    username: str
    videos: int
    source_bytes: int


class StorageReport(ApiModel):
    total_bytes: int  # every video's files in the object store (layout.VIDEOS)
    source_bytes: int  # the uploads, as recorded in the database
    by_user: list[UserStorage]

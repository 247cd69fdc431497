"""Request and response shapes of the gallery and jobs APIs.

Field names are camelCase on the wire, as the original's client read them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic.alias_generators import to_camel

from videoforge.text import Line, Paragraphs

Visibility = Literal["public", "unlisted", "private"]
VideoSort = Literal["newest", "oldest", "title", "views", "duration"]
JobStatus = Literal["queued", "processing", "ready", "failed", "cancelled"]
JobSortField = Literal["createdAt", "updatedAt", "status", "progress"]
TERMINAL_JOB_STATUSES = frozenset({"ready", "failed", "cancelled"})

Title = Annotated[Line, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Description = Annotated[Paragraphs, StringConstraints(max_length=5000)]


class CamelModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class VideoUpdate(CamelModel):
    """PATCH/PUT body: only the fields given change."""

    title: Title | None = None
    description: Description | None = None
    visibility: Visibility | None = None


class UploadForm(CamelModel):
    """The text fields sent along with an upload (multipart fields or tus metadata)."""

    title: Title | None = None
    description: Description = ""
    visibility: Visibility = "public"


class VideoOut(CamelModel):
    id: str
    title: str
    description: str
    visibility: str
    status: str
    error: str | None
    duration: float | None
    resolution: str | None = Field(description='"1280x720", or null before probing/for audio')
    width: int | None
    height: int | None
    video_codec: str | None
    audio_codec: str | None
    file_size: int
    views: int
    thumbnail_url: str | None = Field(description="Signed media URL, once the video is ready")
    poster_url: str | None
    preview_url: str | None = Field(description="Signed animated WebP for hover, once ready")
    storyboard_url: str | None = Field(
        description="Signed WebVTT of seek-bar previews (#xywh= tiles of storyboard.jpg)"
    )
    download_url: str | None = Field(
        description="/api/stream/{id}/download (307 to the signed MP4), once ready"
    )
    qualities: list[str] = Field(description="Rendition names, highest first")
    created_at: datetime
    updated_at: datetime
    user_id: str
    owner: str | None = Field(description="The owner's username")
    job_id: str | None = Field(description="The video's latest transcoding job")
    can_edit: bool = Field(description="Whether the asking user may change or delete it")
    share_url: str


class Pagination(CamelModel):
    total: int
    page: int
    limit: int
    total_pages: int


class VideoPage(CamelModel):
    videos: list[VideoOut]
    pagination: Pagination


class JobOut(CamelModel):
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


class JobPage(CamelModel):
    jobs: list[JobOut]
    pagination: Pagination


def pagination(total: int, page: int, limit: int) -> Pagination:
    return Pagination(total=total, page=page, limit=limit, total_pages=-(-total // limit))

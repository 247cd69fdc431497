"""Request and response shapes of the gallery API.

Field names are camelCase on the wire, as the original's client read them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from videoforge.api_model import ApiModel
from videoforge.pagination import Pagination
from videoforge.text import Line, Paragraphs

Visibility = Literal["public", "unlisted", "private"]
VideoSort = Literal["newest", "oldest", "title", "views", "duration"]

Title = Annotated[Line, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Description = Annotated[Paragraphs, StringConstraints(max_length=5000)]


class VideoUpdate(ApiModel):
    """PATCH/PUT body: only the fields given change."""

    title: Title | None = None
    description: Description | None = None
    visibility: Visibility | None = None
    comments_enabled: bool | None = None


class UploadForm(ApiModel):
    """The text fields sent along with an upload (multipart fields or tus metadata)."""

    title: Title | None = None
    description: Description = ""
    visibility: Visibility = "public"


class VideoOut(ApiModel):
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
    comments_enabled: bool = Field(description="Whether the owner takes comments on it")
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


class VideoPage(ApiModel):
    videos: list[VideoOut]
    pagination: Pagination

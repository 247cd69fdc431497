"""Request and response shapes of the playlists API (camelCase on the wire)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

from videoforge.api_model import ApiModel
from videoforge.gallery.schemas import Description, VideoOut, Visibility
from videoforge.social.schemas import AuthorOut
from videoforge.text import Line


def _named(title: str) -> str:
    # Checked after stripping: StringConstraints' min_length is checked before it strips.
    if not title:
        raise PydanticCustomError("blank", "a playlist needs a title")
    return title


Title = Annotated[
    Line, StringConstraints(strip_whitespace=True, max_length=200), AfterValidator(_named)
]


class PlaylistCreate(ApiModel):
    title: Title
    description: Description = ""
    visibility: Visibility = "public"


class PlaylistUpdate(ApiModel):
    """PATCH body: only the fields given change."""

    title: Title | None = None
    description: Description | None = None
    visibility: Visibility | None = None


class EntryCreate(ApiModel):
    video_id: str = Field(min_length=1, max_length=32)


class EntryMove(ApiModel):
    position: int = Field(ge=0, description="The entry's new place, 0 first (past the end: last)")


class EntryOut(ApiModel):
    id: str
    position: int = Field(description="Its place among all the playlist's entries, 0 first")
    video: VideoOut


class PlaylistSummary(ApiModel):
    id: str
    title: str
    description: str
    visibility: str
    owner: AuthorOut
    video_count: int = Field(description="The entries the asking user may see")
    thumbnail_url: str | None = Field(description="The first visible entry's thumbnail")
    created_at: datetime
    updated_at: datetime
    can_edit: bool = Field(description="The asking user owns it or is an admin")
    has_video: bool | None = Field(
        default=None, description="Whether it holds the video asked about (`videoId`), if any"
    )


class PlaylistOut(PlaylistSummary):
    entries: list[EntryOut] = Field(
        description="In order; those the asking user may not see left out"
    )


class PlaylistList(ApiModel):
    playlists: list[PlaylistSummary]

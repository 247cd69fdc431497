"""Request and response shapes of the social API (camelCase on the wire, as the gallery's)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

from videoforge.api_model import ApiModel
from videoforge.pagination import Pagination
from videoforge.text import Line, Paragraphs

DisplayName = Annotated[Line, StringConstraints(strip_whitespace=True, max_length=100)]
Bio = Annotated[Paragraphs, StringConstraints(strip_whitespace=True, max_length=1000)]


def _not_blank(text: str) -> str:
    text = text.strip()
    if not text:
        raise PydanticCustomError("blank", "must hold some text")
    return text


CommentText = Annotated[Paragraphs, StringConstraints(max_length=2000), AfterValidator(_not_blank)]


class ChannelOut(ApiModel):
    username: str
    display_name: str = Field(description="The name to show; the username when none is set")
    bio: str
    avatar_url: str | None = Field(description="The avatar picture, or null when there is none")
    joined_at: datetime


class ChannelUpdate(ApiModel):
    """PATCH body: only the fields given change; an empty display name shows the username."""

    display_name: DisplayName | None = None
    bio: Bio | None = None


class AuthorOut(ApiModel):
    username: str
    display_name: str
    avatar_url: str | None


class CommentOut(ApiModel):
    id: str
    video_id: str
    parent_id: str | None = Field(description="The top-level comment this one replies to")
    body: str
    author: AuthorOut
    created_at: datetime
    edited_at: datetime | None
    can_edit: bool = Field(description="The asking user wrote it")
    can_delete: bool = Field(description="The author, the video's owner or an admin is asking")
    replies: list[CommentOut] = Field(default=[], description="Oldest first (top-level only)")


class CommentPage(ApiModel):
    comments: list[CommentOut] = Field(description="Top-level comments, newest first")
    pagination: Pagination = Field(description="Pages of top-level comments")
    count: int = Field(description="All comments, replies included")
    comments_enabled: bool


class CommentCreate(ApiModel):
    body: CommentText
    parent_id: str | None = Field(default=None, description="Reply to this top-level comment")


class CommentUpdate(ApiModel):
    body: CommentText


class LikesOut(ApiModel):
    likes: int
    liked: bool = Field(description="Whether the asking user likes it")


class PositionIn(ApiModel):
    seconds: float = Field(ge=0, le=10_000_000)


class PositionOut(ApiModel):
    seconds: float | None = Field(description="Where the video was left, or null")

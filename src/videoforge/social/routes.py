"""/api/gallery/channels/... and the social parts of /api/gallery/videos/{id}/...: comments,
likes and resume positions. (Views are counted by the gallery's GET of a video: gallery/views.py.)
All under /api/gallery so that they belong to the gallery role."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from videoforge.auth.deps import CurrentUser, OptionalUser
from videoforge.deps import CtxDep, DbDep
from videoforge.gallery.schemas import VideoPage
from videoforge.pagination import PageNumber, PageSize
from videoforge.social import channels, comments, likes, positions
from videoforge.social.avatars import AVATAR_CONTENT_TYPE, MAX_AVATAR_BYTES, check_avatar_size
from videoforge.social.schemas import (
    ChannelOut,
    ChannelUpdate,
    CommentCreate,
    CommentOut,
    CommentPage,
    CommentUpdate,
    LikesOut,
    PositionIn,
    PositionOut,
)

router = APIRouter(tags=["social"])

CHANNEL = "/api/gallery/channels"
VIDEO = "/api/gallery/videos/{video_id}"


@router.get(CHANNEL + "/me", response_model=ChannelOut)
def my_channel(user: CurrentUser) -> ChannelOut:
    return channels.channel_out(user)


@router.patch(CHANNEL + "/me", response_model=ChannelOut)
def update_my_channel(body: ChannelUpdate, db: DbDep, user: CurrentUser) -> ChannelOut:
    """Change the display name or bio shown on your channel."""
    return channels.update_channel(db, user, body)


@router.put(
    CHANNEL + "/me/avatar",
    response_model=ChannelOut,
    responses={
        413: {"description": f"Larger than {MAX_AVATAR_BYTES} bytes"},
        415: {"description": "Not a PNG, JPEG, WebP, GIF or BMP picture"},
    },
)
async def put_my_avatar(request: Request, ctx: CtxDep, db: DbDep, user: CurrentUser) -> ChannelOut:
    """Set your avatar: the request body is the picture itself. It is centre-cropped to a
    square and kept as a small WebP."""
    if (length := request.headers.get("content-length", "")).isdigit():
        check_avatar_size(int(length))  # refuse at once what is announced too large
    picture = bytearray()
    async for chunk in request.stream():
        picture += chunk
        if len(picture) > MAX_AVATAR_BYTES:
            check_avatar_size(len(picture))
    return await run_in_threadpool(channels.set_avatar, db, ctx, user, bytes(picture))


@router.delete(CHANNEL + "/me/avatar", response_model=ChannelOut)
def delete_my_avatar(ctx: CtxDep, db: DbDep, user: CurrentUser) -> ChannelOut:
    return channels.remove_avatar(db, ctx, user)


@router.get(CHANNEL + "/{username}", response_model=ChannelOut)
def get_channel(username: str, db: DbDep) -> ChannelOut:
    """A channel's public face: display name, bio and avatar."""
    return channels.channel_out(channels.find_channel(db, username))


@router.get(CHANNEL + "/{username}/videos", response_model=VideoPage)
def channel_videos(
    username: str,
    ctx: CtxDep,
    db: DbDep,
    user: OptionalUser,
    page: PageNumber = 1,
    limit: PageSize = 12,
) -> VideoPage:
    """The channel's public videos, newest first."""
    return channels.channel_videos(db, ctx, user, username, page, limit)


@router.get(CHANNEL + "/{username}/avatar", response_class=StreamingResponse)
def get_avatar(username: str, ctx: CtxDep, db: DbDep) -> StreamingResponse:
    """The avatar picture (WebP). Its URL carries a version, so it is cached for a day."""
    return StreamingResponse(
        channels.open_avatar(db, ctx, username),
        media_type=AVATAR_CONTENT_TYPE,
        headers={"Cache-Control": "public, max-age=86400"},
    )


@router.get(VIDEO + "/comments", response_model=CommentPage)
def list_comments(
    video_id: str, db: DbDep, user: OptionalUser, page: PageNumber = 1, limit: PageSize = 20
) -> CommentPage:
    """Top-level comments newest first, each with its replies; 404 when the video is not yours
    to see."""
    return comments.list_comments(db, user, video_id, page, limit)


@router.post(VIDEO + "/comments", response_model=CommentOut, status_code=201)
def add_comment(video_id: str, body: CommentCreate, db: DbDep, user: CurrentUser) -> CommentOut:
    """Comment on the video, or reply to a top-level comment with `parentId`. 403 when comments
    are off, 429 past the per-minute limit."""
    return comments.add_comment(db, user, video_id, body)


@router.patch(VIDEO + "/comments/{comment_id}", response_model=CommentOut)
def edit_comment(
    video_id: str, comment_id: str, body: CommentUpdate, db: DbDep, user: CurrentUser
) -> CommentOut:
    """Change your own comment's text."""
    return comments.edit_comment(db, user, video_id, comment_id, body)


@router.delete(VIDEO + "/comments/{comment_id}", status_code=204, response_class=Response)
def delete_comment(video_id: str, comment_id: str, db: DbDep, user: CurrentUser) -> None:
    """Delete a comment (and its replies): its author, the video's owner or an admin."""
    comments.delete_comment(db, user, video_id, comment_id)


@router.get(VIDEO + "/likes", response_model=LikesOut)
def get_likes(video_id: str, db: DbDep, user: OptionalUser) -> LikesOut:
    return likes.get_likes(db, user, video_id)


@router.put(VIDEO + "/like", response_model=LikesOut)
def like(video_id: str, db: DbDep, user: CurrentUser) -> LikesOut:
    """Like the video (again: no change)."""
    return likes.like(db, user, video_id)


@router.delete(VIDEO + "/like", response_model=LikesOut)
def unlike(video_id: str, db: DbDep, user: CurrentUser) -> LikesOut:
    """Take your like back (none: no change)."""
    return likes.unlike(db, user, video_id)


@router.get(VIDEO + "/position", response_model=PositionOut)
def get_position(video_id: str, db: DbDep, user: CurrentUser) -> PositionOut:
    """Where you left the video (seconds), or null."""
    return positions.get_position(db, user, video_id)


@router.put(VIDEO + "/position", response_model=PositionOut)
def set_position(video_id: str, body: PositionIn, db: DbDep, user: CurrentUser) -> PositionOut:
    return positions.set_position(db, user, video_id, body.seconds)


@router.delete(VIDEO + "/position", status_code=204, response_class=Response)
def clear_position(video_id: str, db: DbDep, user: CurrentUser) -> None:
    positions.clear_position(db, user, video_id)

"""Gallery verbs: list, get (counting a view), update and delete videos.

Who may see or change what is decided by videoforge.access; this module only applies it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, delete, false, func, select, update
from sqlalchemy.orm import Session

from videoforge.access import listable_filter, require_change, require_view
from videoforge.auth.signin import Caller
from videoforge.context import Context
from videoforge.db import Job, User, Video, utcnow
from videoforge.errors import Unauthorized
from videoforge.gallery import views
from videoforge.gallery.present import describe_video, describe_videos
from videoforge.gallery.schemas import VideoOut, VideoPage, VideoSort, VideoUpdate
from videoforge.jobs.status import Moves
from videoforge.pagination import page_window, pagination
from videoforge.storage.layout import VideoFiles

_ORDER: dict[str, tuple[ColumnElement[Any], ...]] = {
    "newest": (Video.created_at.desc(), Video.id.desc()),
    "oldest": (Video.created_at.asc(), Video.id.asc()),
    "title": (func.lower(Video.title).asc(), Video.id.asc()),
    "views": (Video.views.desc(), Video.created_at.desc()),
    "duration": (Video.duration.desc().nulls_last(), Video.created_at.desc()),
}


def list_videos(
    session: Session,
    ctx: Context,
    user: User | None,
    *,
    page: int,
    limit: int,
    search: str = "",
    visibility: str = "",
    sort: VideoSort = "newest",
    mine: bool = False,
) -> VideoPage:
    conditions = [_listable(user, visibility, mine)]
    if search.strip():
        pattern = "%" + _escape_like(search.strip()) + "%"
        conditions.append(
            Video.title.ilike(pattern, escape="\\") | Video.description.ilike(pattern, escape="\\")
        )
    total = session.scalar(select(func.count()).select_from(Video).where(*conditions)) or 0
    videos = session.scalars(
        page_window(select(Video).where(*conditions).order_by(*_ORDER[sort]), page, limit)
    ).all()
    return VideoPage(
        videos=describe_videos(session, ctx, user, videos),
        pagination=pagination(total, page, limit),
    )


def _listable(user: User | None, visibility: str, mine: bool) -> ColumnElement[bool]:
    if mine and user is None:
        raise Unauthorized("Sign in to see your own videos.")
    condition = listable_filter(user)
    if mine and user is not None:
        condition = Video.user_id == user.id
    elif not visibility:
        # The public gallery: public videos only, whoever asks; one's own others are in My videos.
        condition = condition & (Video.visibility == "public")
    if visibility:
        condition = condition & (Video.visibility == visibility)
    if visibility == "private":
        # Private videos are listed to their owner only, whoever else may open them.
        condition = condition & (Video.user_id == user.id if user is not None else false())
    elif visibility == "unlisted" and user is not None and user.role != "admin":
        condition = condition & (Video.user_id == user.id)
    return condition


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def get_video(
    session: Session, ctx: Context, user: User | None, video_id: str, caller: Caller
) -> VideoOut:
    """The video as the asking user may see it; a viewer other than the owner counts a view,
    once within gallery.views.VIEW_WINDOW."""
    video = require_view(user, session.get(Video, video_id))
    if user is None or user.id != video.user_id:
        viewer = views.viewer_key(user, caller, ctx.tokens.media_secret)
        if views.record_view(session, video, viewer):
            session.refresh(video)
    return describe_video(session, ctx, user, video)


def update_video(
    session: Session, ctx: Context, user: User, video_id: str, changes: VideoUpdate
) -> VideoOut:
    video = require_change(user, session.get(Video, video_id))
    for name, value in changes.model_dump(exclude_none=True).items():
        setattr(video, name, value)
    session.commit()
    return describe_video(session, ctx, user, video)


def delete_video(session: Session, ctx: Context, user: User, video_id: str) -> None:
    """Cancel the video's jobs, delete its stored files, then its rows.

    Jobs are cancelled and committed first so a worker busy on it stops at its next check.
    Files go before rows so that, if the store fails, the video is still there to delete again.
    """
    video = require_change(user, session.get(Video, video_id))
    session.execute(
        update(Job)
        .where(Job.video_id == video.id, Job.status.in_(Moves.CANCEL.sources))
        .values(status=Moves.CANCEL.target, finished_at=utcnow(), error="The video was deleted.")
    )
    session.commit()
    ctx.store.delete_prefix(VideoFiles(video.id).prefix)
    session.execute(delete(Job).where(Job.video_id == video.id))
    session.delete(video)
    session.commit()

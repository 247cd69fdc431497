"""Turning Video rows into their JSON shape (VideoOut)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from videoforge.access import is_owner_or_admin
from videoforge.context import Context
from videoforge.db import Job, User, Video
from videoforge.gallery.schemas import VideoOut
from videoforge.jobs.status import VideoStatus
from videoforge.media.rendition import load_renditions
from videoforge.storage.layout import (
    POSTER_NAME,
    PREVIEW_NAME,
    STORYBOARD_VTT_NAME,
    THUMBNAIL_NAME,
)
from videoforge.streaming.signing import MediaLinks

# The files the processor writes beside the ladder may be missing (an older video, an
# audio-only one, a best-effort step that failed): clients treat a 404 on their URLs as "this
# video has none". The storyboard's cues point at its sprite relatively, under the same path.


def describe_videos(
    session: Session, ctx: Context, user: User | None, videos: Sequence[Video]
) -> list[VideoOut]:
    """VideoOut for each video, looking up owners and latest jobs in two queries."""
    ids = [video.id for video in videos]
    owners = dict(
        session.execute(
            select(User.id, User.username).where(User.id.in_({v.user_id for v in videos}))
        ).all()
    )
    latest_job: dict[str, str] = {}
    rows = session.execute(
        select(Job.video_id, Job.id).where(Job.video_id.in_(ids)).order_by(Job.created_at)
    ).all()
    for video_id, job_id in rows:
        latest_job[video_id] = job_id  # later rows are newer
    return [
        video_out(ctx, video, user, owners.get(video.user_id), latest_job.get(video.id))
        for video in videos
    ]


def describe_video(session: Session, ctx: Context, user: User | None, video: Video) -> VideoOut:
    return describe_videos(session, ctx, user, [video])[0]


def video_out(
    ctx: Context, video: Video, user: User | None, owner: str | None, job_id: str | None
) -> VideoOut:
    # One token for all of a video's links, so they expire together.
    links = MediaLinks.for_video(ctx, video) if video.status == VideoStatus.READY else None
    return VideoOut(
        id=video.id,
        title=video.title,
        description=video.description,
        visibility=video.visibility,
        status=video.status,
        error=video.error,
        duration=video.duration,
        resolution=f"{video.width}x{video.height}" if video.width and video.height else None,
        width=video.width,
        height=video.height,
        video_codec=video.video_codec,
        audio_codec=video.audio_codec,
        file_size=video.file_size,
        views=video.views,
        comments_enabled=video.comments_enabled,
        thumbnail_url=links.url(THUMBNAIL_NAME) if links else None,
        poster_url=links.url(POSTER_NAME) if links else None,
        preview_url=links.url(PREVIEW_NAME) if links else None,
        storyboard_url=links.url(STORYBOARD_VTT_NAME) if links else None,
        download_url=f"/api/stream/{video.id}/download" if links else None,
        qualities=[r.name for r in load_renditions(video.renditions)],
        created_at=video.created_at,
        updated_at=video.updated_at,
        user_id=video.user_id,
        owner=owner,
        job_id=job_id,
        can_edit=is_owner_or_admin(user, video),
        share_url=f"/watch/{video.id}",
    )

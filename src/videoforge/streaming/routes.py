"""The streaming API: what to play (/api/stream/...) and the files themselves (/media/...)."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from videoforge.access import require_view
from videoforge.auth.deps import OptionalUser
from videoforge.context import Context
from videoforge.db import User, Video
from videoforge.deps import CtxDep, DbDep
from videoforge.errors import BadRequest, Conflict, NotFound
from videoforge.jobs.status import VideoStatus
from videoforge.storage.layout import (
    DOWNLOAD_NAME,
    MASTER_PATH,
    POSTER_NAME,
    THUMBNAIL_NAME,
    VideoFiles,
)
from videoforge.streaming.media import router as media_router
from videoforge.streaming.playback import check_playback, exists
from videoforge.streaming.qualities import AUTO, find_rung, quality_menu
from videoforge.streaming.revocation import REVOKED, owner_disabled
from videoforge.streaming.schemas import PicturesOut, QualitiesOut, QualityOut, StreamOut
from videoforge.streaming.signing import MediaLinks

api = APIRouter(prefix="/api/stream", tags=["streaming"])


def require_playable(db: Session, user: User | None, video_id: str) -> Video:
    """The video, if this viewer may see it and its media may be handed out: never for a
    disabled owner's videos, whose earlier links the media route refuses as well."""
    video = require_view(user, db.get(Video, video_id))
    if owner_disabled(db, video):
        raise NotFound(REVOKED)
    return video


def _picture_url(ctx: Context, links: MediaLinks, path: str) -> str | None:
    """The signed URL of a picture, or None when it has not been made yet."""
    stored = exists(ctx.store, VideoFiles(links.video_id).key(path))
    return links.url(path) if stored else None


def _pictures(ctx: Context, links: MediaLinks) -> PicturesOut:
    return PicturesOut(
        thumbnail_url=_picture_url(ctx, links, THUMBNAIL_NAME),
        poster_url=_picture_url(ctx, links, POSTER_NAME),
    )


@api.get("/{video_id}", response_model=StreamOut)
def stream_info(
    video_id: str, ctx: CtxDep, db: DbDep, user: OptionalUser, quality: str = AUTO
) -> StreamOut:
    """Signed playlist URL for a quality (`auto` gives the adaptive master playlist)."""
    video = require_playable(db, user, video_id)
    if video.status == VideoStatus.FAILED:
        reason = video.error or "Processing this video failed."
        raise Conflict(reason, code="processing_failed", status=video.status)
    playback = check_playback(ctx.store, video)
    if not playback.playable:
        raise Conflict(
            "This video is still being processed.", code="not_ready", status=video.status
        )
    path, chosen = MASTER_PATH, AUTO
    if quality.strip().lower() not in ("", AUTO):
        rung = find_rung(playback.rungs, quality)
        if rung is None:
            names = ", ".join(r.name for r in playback.rungs) or "none yet"
            raise BadRequest(
                f"This video has no {quality.strip()} quality; available: {names}",
                code="unknown_quality",
            )
        path, chosen = rung.playlist, rung.name
    links = MediaLinks.for_video(ctx, video)
    pictures = _pictures(ctx, links)
    menu = quality_menu(playback.rungs, playback.available, playback.playable)
    return StreamOut(
        video_id=video.id,
        status=video.status,
        playable=playback.playable,
        stream_url=links.url(path),
        master_url=links.url(MASTER_PATH),
        quality=chosen,
        qualities=[QualityOut(**entry) for entry in menu],
        expires_in=links.expires_in(),
        thumbnail_url=pictures.thumbnail_url,
        poster_url=pictures.poster_url,
        duration=video.duration,
    )


@api.get("/{video_id}/qualities", response_model=QualitiesOut)
def qualities(video_id: str, ctx: CtxDep, db: DbDep, user: OptionalUser) -> QualitiesOut:
    """The quality menu, highest first after "Auto"; `available` says what can play now."""
    video = require_playable(db, user, video_id)
    playback = check_playback(ctx.store, video)
    menu = quality_menu(playback.rungs, playback.available, playback.playable)
    return QualitiesOut(qualities=[QualityOut(**entry) for entry in menu])


@api.get("/{video_id}/thumbnail", response_model=PicturesOut)
def thumbnail(video_id: str, ctx: CtxDep, db: DbDep, user: OptionalUser) -> PicturesOut:
    video = require_playable(db, user, video_id)
    return _pictures(ctx, MediaLinks.for_video(ctx, video))


@api.get("/{video_id}/thumbnail.jpg", status_code=307, response_class=RedirectResponse)
def thumbnail_image(video_id: str, ctx: CtxDep, db: DbDep, user: OptionalUser) -> RedirectResponse:
    """Redirects to the signed thumbnail, so `<img src>` can point here."""
    video = require_playable(db, user, video_id)
    url = _picture_url(ctx, MediaLinks.for_video(ctx, video), THUMBNAIL_NAME)
    if url is None:
        raise NotFound("This video has no thumbnail yet.")
    return RedirectResponse(url, status_code=307, headers={"Cache-Control": "private, max-age=60"})


@api.get("/{video_id}/download", status_code=307, response_class=RedirectResponse)
def download(video_id: str, ctx: CtxDep, db: DbDep, user: OptionalUser) -> RedirectResponse:
    """Redirects to the signed MP4 download, once the video is ready."""
    video = require_playable(db, user, video_id)
    if video.status == VideoStatus.FAILED:
        reason = video.error or "Processing this video failed."
        raise Conflict(reason, code="processing_failed", status=video.status)
    if video.status != VideoStatus.READY:
        raise Conflict(
            "The download is made when processing ends.", code="not_ready", status=video.status
        )
    url = _picture_url(ctx, MediaLinks.for_video(ctx, video), DOWNLOAD_NAME)
    if url is None:
        raise NotFound("This video has no download (audio-only videos have none).")
    url = f"{url}?{urlencode({'name': video.title})}"  # saved under the video's title
    return RedirectResponse(url, status_code=307, headers={"Cache-Control": "private, no-store"})


# What the streaming role serves (roles.py mounts this).
router = APIRouter()
router.include_router(api)
router.include_router(media_router)

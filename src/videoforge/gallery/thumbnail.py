"""/api/gallery/videos/{id}/thumbnail: the owner picks the video's picture (thumbnail and poster)
from a moment of the video, or uploads one.

Either way one ffmpeg writes both sizes (as the processor's pictures: media/pictures.py) and they
replace the stored ones (storage/layout.py). Their signed URLs change with every token expiry
step (streaming/signing.py), which bounds how long a browser shows a cached old picture; the
owner's own page asks for the new one at once (a version query, which the media route ignores).
An upload is read by PyAV first: only a still picture within the size limits goes on to ffmpeg.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, UploadFile
from pydantic import Field
from sqlalchemy.orm import Session

from videoforge.access import require_change
from videoforge.api_model import ApiModel
from videoforge.auth.deps import CurrentUser
from videoforge.context import Context
from videoforge.db import User, Video, utcnow
from videoforge.deps import CtxDep, DbDep
from videoforge.errors import BadRequest, Conflict, UnsupportedMedia
from videoforge.gallery.multipart import read_small_file
from videoforge.gallery.present import describe_video
from videoforge.gallery.schemas import VideoOut
from videoforge.media.limits import MAX_PIXELS, MAX_SIDE
from videoforge.media.pictures import POSTER_MAX_WIDTH, THUMBNAIL_WIDTH
from videoforge.media.plan import base_args
from videoforge.media.runner import FfmpegError, run_ffmpeg
from videoforge.media.still_picture import (
    DamagedPicture,
    NotAPicture,
    PictureTooLarge,
    decode_still_picture,
)
from videoforge.storage.capabilities import PresignedReads
from videoforge.storage.layout import POSTER_NAME, THUMBNAIL_NAME, VideoFiles

router = APIRouter(tags=["gallery"])
PATH = "/api/gallery/videos/{video_id}/thumbnail"
MAX_IMAGE_BYTES = 10 * 1024 * 1024
FFMPEG_TIMEOUT = 60.0
SOURCE_LINK_SECONDS = 300
NOT_A_PICTURE = "This file is not a picture we can read: upload a JPEG, PNG, WebP or GIF image."
DAMAGED = "This picture is damaged: it cannot be decoded."


class FramePick(ApiModel):
    time: Annotated[float, Field(ge=0, description="Seconds from the start of the video")]


@router.post(PATH + "/frame", response_model=VideoOut)
def pick_frame(
    video_id: str, body: FramePick, ctx: CtxDep, db: DbDep, user: CurrentUser
) -> VideoOut:
    """Make the frame at `time` the video's thumbnail and poster (owner or admin)."""
    video = require_change(user, db.get(Video, video_id))
    if video.duration is not None and body.time > video.duration:
        raise BadRequest(
            f"The video lasts {video.duration:.1f} s: pick a time within it.", code="bad_time"
        )
    with tempfile.TemporaryDirectory(dir=ctx.settings.work_dir) as work:
        source = _source(ctx, video, Path(work))
        _write_pictures(ctx, ["-ss", f"{body.time:.3f}", "-i", source], Path(work))
        return _publish(db, ctx, user, video, Path(work))


@router.post(
    PATH + "/image",
    response_model=VideoOut,
    responses={
        413: {"description": "The image is larger than 10 MiB"},
        415: {"description": "Not a picture"},
    },
)
def upload_image(
    video_id: str,
    ctx: CtxDep,
    db: DbDep,
    user: CurrentUser,
    file: Annotated[UploadFile, File(description="A JPEG, PNG, WebP or GIF picture")],
) -> VideoOut:
    """Make an uploaded picture the video's thumbnail and poster (owner or admin)."""
    video = require_change(user, db.get(Video, video_id))
    data = read_small_file(file.file, MAX_IMAGE_BYTES, "A picture")
    check_picture(data)
    with tempfile.TemporaryDirectory(dir=ctx.settings.work_dir) as work:
        upload = Path(work) / "upload"
        upload.write_bytes(data)
        _write_pictures(ctx, ["-i", str(upload)], Path(work))
        return _publish(db, ctx, user, video, Path(work))


def check_picture(data: bytes) -> None:
    """Refuse anything but one still picture within the size limits (415 or 400)."""
    try:
        decode_still_picture(data, max_side=MAX_SIDE, max_pixels=MAX_PIXELS)
    except PictureTooLarge as exc:
        raise BadRequest(
            f"This picture is {exc.width}x{exc.height}: at most {MAX_SIDE} pixels a side are "
            "taken.",
            code="picture_too_large",
        ) from None
    except DamagedPicture:
        raise UnsupportedMedia(DAMAGED) from None
    except NotAPicture:
        raise UnsupportedMedia(NOT_A_PICTURE) from None


def _source(ctx: Context, video: Video, work: Path) -> str:
    """What ffmpeg reads the frame from: the upload, as a local file or a presigned URL (ffmpeg
    seeks over HTTP, so only the bytes around the moment are fetched)."""
    store, key = ctx.store, video.source_key
    local = store.local_path(key)
    if local is not None:
        if not local.is_file():
            raise Conflict("The uploaded file of this video is missing.", code="source_missing")
        return str(local)
    if isinstance(store, PresignedReads):
        return store.presign_get(key, SOURCE_LINK_SECONDS)
    dest = work / "source"
    try:
        store.download(key, dest)
    except FileNotFoundError:
        raise Conflict(
            "The uploaded file of this video is missing.", code="source_missing"
        ) from None
    return str(dest)


def _write_pictures(ctx: Context, input_args: list[str], out_dir: Path) -> None:
    """thumbnail.jpg (320 wide) and poster.jpg (at most 1280 wide), never scaled up."""
    graph = ";".join(
        [
            "[0:v:0]split=2[t0][p0]",
            f"[t0]scale=w='min(iw,{THUMBNAIL_WIDTH})':h=-2,setsar=1[thumb]",
            f"[p0]scale=w='min(iw,{POSTER_MAX_WIDTH})':h=-2,setsar=1[poster]",
        ]
    )
    argv = [*base_args(ctx.ffmpeg), *input_args, "-filter_complex", graph]
    for label, name in (("[thumb]", THUMBNAIL_NAME), ("[poster]", POSTER_NAME)):
        argv += ["-map", label, "-frames:v", "1", "-update", "1", "-q:v", "3"]
        argv += [str(out_dir / name)]
    try:
        run_ffmpeg(argv, timeout=FFMPEG_TIMEOUT)
    except FfmpegError:
        raise BadRequest("No picture could be made from this.", code="no_picture") from None
    if not all((out_dir / name).is_file() for name in (THUMBNAIL_NAME, POSTER_NAME)):
        # ffmpeg writes nothing when seeking lands past the last frame
        raise BadRequest("There is no frame at that time.", code="bad_time")


def _publish(session: Session, ctx: Context, user: User, video: Video, out_dir: Path) -> VideoOut:
    files = VideoFiles(video.id)
    for name in (THUMBNAIL_NAME, POSTER_NAME):
        ctx.store.put_file(files.extra(name), out_dir / name)
    video.updated_at = utcnow()
    session.commit()
    return describe_video(session, ctx, user, video)

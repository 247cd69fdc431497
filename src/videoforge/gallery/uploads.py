"""Resumable uploads, tus 1.0, at /api/gallery/uploads/ (served by the tuspyserver library).

Why tuspyserver rather than our own tus code: its FastAPI router takes dependencies for exactly
what we need, so the protocol (offsets, locking, HEAD/PATCH/DELETE, expiry) stays its business:
- every tus request resolves `file_dep`, ours depends on CurrentUser: no bearer token, no
  access (401); and it names a directory per user (settings.work_dir/tus/<user id>), so one
  user's upload ids mean nothing to another (404);
- `pre_create_dep` checks a new upload before any byte arrives: Upload-Length within
  settings.max_upload_bytes (413), a plain file name, valid title/description/visibility;
- `upload_complete_dep` runs when the last byte is in: the file is copied to the store,
  probed and becomes a video with a queued job (415 for a file that is not a video, and the
  upload is deleted); the final PATCH answers the new id in a `Video-Id` header, also found
  later at GET /api/gallery/uploads/{upload_id}/video.
What we restrict or replace: the library's OPTIONS (its Tus-Max-Size is fixed when the router
is built, before settings exist) is answered here with settings.max_upload_bytes and the
extensions we allow. Deferred length, concatenation (its partial uploads would each "complete")
and data in the creation request (the library reads that body into memory and skips the
completion hook) are refused with a clear 400. Its HEAD insists on `filename` and `filetype`
metadata, so creation asks for both up front instead of failing the resume later.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from tuspyserver import create_tus_router

from videoforge.auth.deps import CurrentUser
from videoforge.context import Context
from videoforge.db import User, Video, new_id
from videoforge.deps import CtxDep, DbDep
from videoforge.errors import BadRequest, Conflict, NotFound, VideoForgeError
from videoforge.gallery import ingest
from videoforge.gallery.present import describe_video
from videoforge.gallery.schemas import UploadForm, VideoOut

TUS_PREFIX = "/api/gallery/uploads"
TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,expiration,termination"
UPLOAD_EXPIRY_DAYS = 3
_UPLOAD_ID = re.compile(r"^[0-9a-f]{32}$")


def tus_dir(ctx: Context, user: User) -> Path:
    return ctx.settings.work_dir / "tus" / user.id


# Dependencies handed to tuspyserver -------------------------------------------------------


def _signed_in(user: CurrentUser, db: DbDep) -> None:
    db.close()  # who is asking is known; hold no transaction open while bytes stream in


def _user_files(ctx: CtxDep, user: CurrentUser) -> Callable[[dict[str, Any]], dict[str, str]]:
    files_dir = str(tus_dir(ctx, user))
    return lambda _metadata: {"files_dir": files_dir}


def _before_create(
    request: Request, ctx: CtxDep, user: CurrentUser
) -> Callable[[dict[str, Any], dict[str, Any]], None]:
    def check(metadata: dict[str, Any], upload: dict[str, Any]) -> None:
        if request.headers.get("upload-concat"):
            raise BadRequest("Concatenated uploads are not supported; send one upload.")
        if request.headers.get("content-length", "0") not in ("", "0"):
            raise BadRequest("Create the upload first, then send its bytes with PATCH.")
        if upload["defer_length"] or upload["size"] is None:
            raise BadRequest("Give the file's size in the Upload-Length header.")
        ingest.check_size(ctx, upload["size"])
        ingest.check_filename(metadata.get("filename"))
        if not metadata.get("filetype"):
            raise BadRequest("Give the file's type (e.g. video/mp4) as 'filetype' metadata.")
        upload_form(metadata)
        _purge_expired(tus_dir(ctx, user))

    return check


def _on_complete(
    ctx: CtxDep, user: CurrentUser, response: Response
) -> Callable[[str, dict[str, Any]], Awaitable[None]]:
    async def complete(file_path: str, metadata: dict[str, Any]) -> None:
        video = await anyio.to_thread.run_sync(
            video_from_upload, ctx, user, Path(file_path), metadata
        )
        response.headers["Video-Id"] = video.id

    return complete


# Turning a finished upload into a video ----------------------------------------------------


def upload_form(metadata: dict[str, Any]) -> UploadForm:
    given = {
        name: metadata[name]
        for name in ("title", "description", "visibility")
        if name in metadata and (name == "description" or str(metadata[name]).strip())
    }
    try:
        return UploadForm.model_validate(given)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from None


def video_from_upload(ctx: Context, user: User, path: Path, metadata: dict[str, Any]) -> Video:
    """Copy a finished tus upload to the store, probe it, create the video and its job.

    A refusal (not a video, too large...) deletes the upload. Any other failure keeps it, so
    repeating the final PATCH (with no bytes) tries again.
    """
    try:
        filename = ingest.check_filename(metadata.get("filename"))
        video_id = new_id()
        key = ingest.source_key(video_id, filename)
        ctx.store.put_file(key, path)
        video, _job = ingest.create_video(
            ctx,
            user=user,
            video_id=video_id,
            key=key,
            filename=filename,
            form=upload_form(metadata),
            local_file=path,
        )
    except (VideoForgeError, RequestValidationError):
        _remove_upload(path)
        raise
    _remove_upload(path)
    _result_path(path.parent, path.name).write_text(json.dumps({"videoId": video.id}))
    return video


def _result_path(files_dir: Path, upload_id: str) -> Path:
    return files_dir / f"{upload_id}.video.json"


def _remove_upload(path: Path) -> None:
    for leftover in (path, path.with_name(f"{path.name}.info")):
        leftover.unlink(missing_ok=True)


def _purge_expired(files_dir: Path) -> None:
    """Delete what uploads older than the expiry left behind (the library only refuses them)."""
    if not files_dir.is_dir():
        return
    cutoff = time.time() - UPLOAD_EXPIRY_DAYS * 86400
    for leftover in [*files_dir.iterdir(), *files_dir.glob(".locks/*")]:
        if leftover.is_file() and leftover.stat().st_mtime < cutoff:
            leftover.unlink(missing_ok=True)


# Routes ----------------------------------------------------------------------------------

router = APIRouter(tags=["uploads"])


@router.options(TUS_PREFIX, status_code=204, response_class=Response, include_in_schema=False)
@router.options(f"{TUS_PREFIX}/", status_code=204, response_class=Response)
def tus_options(ctx: CtxDep) -> Response:
    """tus discovery. No token needed: browsers send OPTIONS preflights without one."""
    return Response(
        status_code=204,
        headers={
            "Tus-Resumable": TUS_VERSION,
            "Tus-Version": TUS_VERSION,
            "Tus-Extension": TUS_EXTENSIONS,
            "Tus-Max-Size": str(ctx.settings.max_upload_bytes),
        },
    )


@router.get(f"{TUS_PREFIX}/{{upload_id}}/video", response_model=VideoOut)
def upload_video(upload_id: str, ctx: CtxDep, db: DbDep, user: CurrentUser) -> VideoOut:
    """The video a finished upload became (409 while it is still being uploaded)."""
    files_dir = tus_dir(ctx, user)
    if not _UPLOAD_ID.match(upload_id):
        raise NotFound("No upload with this id exists.")
    result = _result_path(files_dir, upload_id)
    if not result.is_file():
        if (files_dir / upload_id).is_file():
            raise Conflict("The upload is not complete yet.")
        raise NotFound("No upload with this id exists.")
    video_id = json.loads(result.read_text())["videoId"]
    video = db.get(Video, video_id)
    if video is None:
        raise NotFound("The video made from this upload has been deleted.")
    return describe_video(db, ctx, user, video)


# tuspyserver's type hints say "no arguments" where it takes any FastAPI dependency.
router.include_router(
    create_tus_router(
        prefix=TUS_PREFIX,
        # Never used: every request names its own directory through file_dep.
        files_dir="/nonexistent/videoforge-tus",
        auth=_signed_in,  # type: ignore[arg-type]
        days_to_keep=UPLOAD_EXPIRY_DAYS,
        upload_complete_dep=_on_complete,  # type: ignore[arg-type]
        pre_create_dep=_before_create,
        file_dep=_user_files,  # type: ignore[arg-type]
        tags=["uploads"],
    )
)

"""Resumable uploads, tus 1.0 (creation, termination, expiration, checksum with sha1), at
/api/gallery/uploads/: what the web app (tus-js-client), Uppy and tuspy speak.

Our own small implementation on the database and the object store (tus_uploads.py), rather
than the tuspyserver library it replaced: tuspyserver kept each upload on the local disk of
the process that received it (a resume reaching another replica failed), waited for its file
lock inside an async dependency (two PATCHes on one upload froze the whole server for 30 s),
wrote a PATCH's body before checking its headers (a refused PATCH still moved the offset),
and after a crash appended at the end of the file rather than at the recorded offset. tusd's
S3 store shows the way for S3 (multipart parts, a tail object for the bytes short of a part),
and with the store's append capability the protocol is a few hundred lines.

Every request needs a signed-in user, and an upload exists only for its owner (404 to anyone
else). Creation checks everything it can before any byte is sent: Upload-Length within
settings.max_upload_bytes (413), a plain file name in the `filename` metadata, valid
title/description/visibility. Deferred length, concatenation and data in the creation
request are refused with a clear 400. The PATCH that brings the last byte answers the new
video's id in a `Video-Id` header, also found at GET /api/gallery/uploads/{upload_id}/video.
"""

from __future__ import annotations

from typing import Annotated

import anyio.to_thread
from fastapi import APIRouter, BackgroundTasks, Depends, Request, Response

from videoforge.auth.deps import CurrentUser
from videoforge.context import Context
from videoforge.db import TusUpload, User
from videoforge.deps import CtxDep, DbDep
from videoforge.errors import BadRequest, PayloadTooLarge
from videoforge.gallery import tus_uploads
from videoforge.gallery.deps import GalleryDep
from videoforge.gallery.present import describe_video
from videoforge.gallery.schemas import VideoOut
from videoforge.gallery.tus_protocol import (
    CHECKSUM_ALGORITHMS,
    TUS_EXTENSIONS,
    TUS_VERSION,
    byte_count,
    check_patch_type,
    check_version,
    encode_metadata,
    http_date,
    parse_checksum,
    parse_metadata,
)

TUS_PREFIX = "/api/gallery/uploads"


def _signed_in(user: CurrentUser, db: DbDep) -> User:
    db.close()  # who is asking is known; hold no database connection while bytes stream in
    return user


SignedIn = Annotated[User, Depends(_signed_in)]


def _upload_headers(upload: TusUpload, offset: int | None = None) -> dict[str, str]:
    return {
        "Tus-Resumable": TUS_VERSION,
        "Upload-Offset": str(upload.committed_offset if offset is None else offset),
        "Upload-Expires": http_date(upload.expires_at),
        "Cache-Control": "no-store",
    }


def _location(request: Request, upload_id: str) -> str:
    """Absolute, and through whatever proxy the client came by (the gateway sets these)."""
    proto = request.headers.get("x-forwarded-proto") or request.url.scheme
    host = request.headers.get("x-forwarded-host") or request.headers.get("host") or "localhost"
    return f"{proto}://{host}{TUS_PREFIX}/{upload_id}"


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
            "Tus-Checksum-Algorithm": CHECKSUM_ALGORITHMS,
            "Tus-Max-Size": str(ctx.settings.max_upload_bytes),
            **_max_chunk_header(ctx),
        },
    )


def _max_chunk_header(ctx: Context) -> dict[str, str]:
    """The largest PATCH taken here, when there is a limit (AWS Lambda's 6 MB per request).

    Tus-Max-Chunk-Size is the name tus's open proposal gives it (tus-resumable-upload-protocol
    pull request 93); the web app sizes its PATCHes by it, so the same build suits a server
    with no limit (16 MiB PATCHes, fewest requests) and a function (4 MiB)."""
    limit = ctx.settings.tus_max_chunk_bytes
    return {"Tus-Max-Chunk-Size": str(limit)} if limit else {}


@router.post(TUS_PREFIX, status_code=201, response_class=Response, include_in_schema=False)
@router.post(f"{TUS_PREFIX}/", status_code=201, response_class=Response)
def tus_create(
    request: Request, background: BackgroundTasks, ctx: CtxDep, user: SignedIn
) -> Response:
    """Create an upload: `Upload-Length` (bytes) and `Upload-Metadata` (base64 `filename`,
    optional `filetype`, `title`, `description`, `visibility`). Answers its URL in Location."""
    headers = request.headers
    check_version(headers)
    if headers.get("upload-concat"):
        raise BadRequest("Concatenated uploads are not supported; send one upload.")
    if "upload-length" not in headers:
        raise BadRequest("Give the file's size in the Upload-Length header.")
    if headers.get("content-length", "0") not in ("", "0") or headers.get("transfer-encoding"):
        raise BadRequest("Create the upload first, then send its bytes with PATCH.")
    length = byte_count(headers, "Upload-Length")
    upload = tus_uploads.create(ctx, user, length, parse_metadata(headers.get("upload-metadata")))
    background.add_task(tus_uploads.purge_expired, ctx)
    return Response(
        status_code=201,
        headers={
            "Location": _location(request, upload.id),
            "Tus-Resumable": TUS_VERSION,
            "Upload-Expires": http_date(upload.expires_at),
        },
    )


@router.head(f"{TUS_PREFIX}/{{uuid}}", response_class=Response)
def tus_head(uuid: str, request: Request, ctx: CtxDep, user: SignedIn) -> Response:
    """Where the upload stands: `Upload-Offset` bytes of `Upload-Length` are safely stored."""
    check_version(request.headers)
    upload = tus_uploads.find(ctx, user, uuid)
    return Response(
        status_code=200,
        headers={
            **_upload_headers(upload),
            "Upload-Length": str(upload.length),
            "Upload-Metadata": encode_metadata(upload.upload_metadata),
        },
    )


@router.patch(f"{TUS_PREFIX}/{{uuid}}", status_code=204, response_class=Response)
async def tus_patch(
    uuid: str, request: Request, ctx: CtxDep, gallery: GalleryDep, user: SignedIn
) -> Response:
    """Send bytes from `Upload-Offset` (Content-Type application/offset+octet-stream).

    Refused requests (412, 415, 400, 409, 413, 423, 460) store nothing; 413 when the body is
    larger than the server's Tus-Max-Chunk-Size (see OPTIONS). A second PATCH while one
    is running gets 423 at once. The last byte makes the video (`Video-Id` header)."""
    headers = request.headers
    check_version(headers)
    check_patch_type(headers)
    offset = byte_count(headers, "Upload-Offset")
    checksum = parse_checksum(headers.get("upload-checksum"))
    declared = byte_count(headers, "Content-Length") if "content-length" in headers else None
    max_chunk = ctx.settings.tus_max_chunk_bytes
    if declared is not None and max_chunk and declared > max_chunk:
        raise PayloadTooLarge(tus_uploads.chunk_too_large_message(max_chunk))
    upload = await anyio.to_thread.run_sync(tus_uploads.find, ctx, user, uuid)
    if declared is not None and offset + declared > upload.length:
        raise BadRequest("The body holds more bytes than the upload's Upload-Length.")
    body = tus_uploads.Body(request.stream(), max(0, upload.length - offset), max_chunk)
    written = await anyio.to_thread.run_sync(
        tus_uploads.receive, ctx, upload, offset, body, checksum, limiter=gallery.tus_receivers
    )
    answer = {
        "Tus-Resumable": TUS_VERSION,
        "Upload-Offset": str(written.offset),
        "Upload-Expires": http_date(written.expires_at),
    }
    if written.video_id:
        answer["Video-Id"] = written.video_id
    return Response(status_code=204, headers=answer)


@router.delete(f"{TUS_PREFIX}/{{uuid}}", status_code=204, response_class=Response)
def tus_delete(uuid: str, request: Request, ctx: CtxDep, user: SignedIn) -> Response:
    """Give up an upload: its bytes are freed (a video it already became stays)."""
    check_version(request.headers)
    tus_uploads.terminate(ctx, tus_uploads.find(ctx, user, uuid, expired_ok=True))
    return Response(status_code=204, headers={"Tus-Resumable": TUS_VERSION})


@router.get(f"{TUS_PREFIX}/{{upload_id}}/video", response_model=VideoOut)
def upload_video(upload_id: str, ctx: CtxDep, db: DbDep, user: CurrentUser) -> VideoOut:
    """The video a finished upload became (409 while it is still being uploaded)."""
    video = tus_uploads.video_of(ctx, tus_uploads.find(ctx, user, upload_id))
    return describe_video(db, ctx, user, video)

"""Uploads that go from the client straight to S3: the server hands out presigned URLs and
never carries the bytes.

- Multipart, resumable part by part (for any size):
  `POST /api/gallery/uploads/direct` starts one and answers a presigned URL per part;
  the client PUTs each part (S3 answers each with an ETag it need not keep);
  `GET /api/gallery/uploads/direct/{videoId}` says which parts S3 already holds and gives
  fresh URLs for the rest, so a client that lost everything but the video id resumes;
  `POST .../{videoId}/complete` joins the parts, probes the file and queues its job (202);
  `DELETE .../{videoId}` gives up and removes what was sent.
- The original's single PUT: `POST /api/upload/generate-url` answers `{uploadUrl, s3Key,
  expiresIn}` and `POST /api/upload/confirm {s3Key, ...}` turns the object into a video.

Both need a signed-in user. What the server must remember between the calls (owner, file name,
size, title...) is a small JSON object in the store itself, `uploads/{videoId}.json`, so any
gallery process can answer any call. S3 cannot limit what a presigned PUT sends, so the size
is checked again when the upload is completed. Uploads that are never completed leave parts
that S3 bills for: give the bucket a lifecycle rule that aborts incomplete multipart uploads
after a few days (AbortIncompleteMultipartUpload).
"""

from __future__ import annotations

import json
import math
import re
from contextlib import suppress
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Response
from pydantic import Field, ValidationError

from videoforge.api_model import ApiModel
from videoforge.auth.deps import CurrentUser
from videoforge.context import Context
from videoforge.db import User, Video, new_id
from videoforge.deps import CtxDep, DbDep
from videoforge.errors import BadRequest, Conflict, NotFound, PayloadTooLarge
from videoforge.gallery import ingest
from videoforge.gallery.present import describe_video
from videoforge.gallery.schemas import UploadForm, VideoOut
from videoforge.storage.capabilities import PresignedUploads
from videoforge.storage.layout import VideoFiles

DIRECT_PREFIX = "/api/gallery/uploads/direct"
NEEDS_S3 = "Direct uploads need the S3 store; use the tus endpoint /api/gallery/uploads/"
NO_SUCH_UPLOAD = "No upload in progress has this id."
URL_TTL_SECONDS = 3600  # clients ask again (GET .../{videoId}) for fresh URLs
MIN_PART_BYTES = 8 * 1024**2
MAX_PART_BYTES = 64 * 1024**2
MAX_PARTS = 10_000  # S3's limit per multipart upload
_VIDEO_ID = re.compile(r"^[0-9a-f]{32}$")


# Shapes ----------------------------------------------------------------------------------


class DirectUploadIn(UploadForm):
    filename: str
    size: int = Field(ge=0, description="The file's size in bytes")
    content_type: str = Field(default="application/octet-stream", max_length=200)


class PartUrl(ApiModel):
    part_number: int
    url: str


class DirectUploadOut(ApiModel):
    upload_id: str
    video_id: str
    key: str
    part_size: int
    parts: list[PartUrl] = Field(description="Presigned PUT URLs of the parts still to send")
    uploaded_parts: list[int] = Field(description="Parts S3 already holds")
    expires_in: int


class GenerateUrlIn(ApiModel):
    filename: str
    content_type: str = Field(default="application/octet-stream", max_length=200)


class GenerateUrlOut(ApiModel):
    upload_url: str
    s3_key: str
    video_id: str
    expires_in: int


class ConfirmIn(UploadForm):
    s3_key: str
    metadata: dict[str, Any] | None = Field(default=None, description="Accepted and ignored")


class PendingUpload(ApiModel):
    """What the server remembers about an upload between the client's calls."""

    video_id: str
    user_id: str
    key: str
    filename: str
    content_type: str
    size: int | None = None  # None for the single PUT, whose size is known only afterwards
    part_size: int | None = None
    upload_id: str | None = None  # the S3 multipart upload, if any
    form: UploadForm = Field(default_factory=UploadForm)
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))

    @property
    def part_count(self) -> int:
        assert self.size is not None and self.part_size
        return max(1, math.ceil(self.size / self.part_size))


# The pending record, kept in the store ---------------------------------------------------


def _record_key(video_id: str) -> str:
    return f"uploads/{video_id}.json"


def _save(store: PresignedUploads, pending: PendingUpload) -> None:
    body = pending.model_dump_json(by_alias=True).encode()
    store.put_stream(_record_key(pending.video_id), [body])


def _load(store: PresignedUploads, user: User, video_id: str) -> PendingUpload:
    """The user's pending upload, else NotFound (another user's is not found either)."""
    if not _VIDEO_ID.match(video_id):
        raise NotFound(NO_SUCH_UPLOAD)
    try:
        with store.open(_record_key(video_id)) as stored:
            pending = PendingUpload.model_validate(json.loads(stored.read()))
    except (FileNotFoundError, ValueError, ValidationError):
        raise NotFound(NO_SUCH_UPLOAD) from None
    if pending.user_id != user.id:
        raise NotFound(NO_SUCH_UPLOAD)
    return pending


def _forget(store: PresignedUploads, video_id: str) -> None:
    store.delete_prefix(_record_key(video_id))


def _exists(store: PresignedUploads, key: str) -> bool:
    try:
        store.stat(key)
    except FileNotFoundError:
        return False
    return True


def _s3(ctx: Context) -> PresignedUploads:
    if not isinstance(ctx.store, PresignedUploads):
        raise Conflict(NEEDS_S3, code="direct_upload_unavailable")
    return ctx.store


def part_size_for(size: int) -> int:
    """The smallest whole-MiB part size of at least 8 MiB that needs at most 10000 parts."""
    wanted = math.ceil(size / MAX_PARTS / 1024**2) * 1024**2
    part_size = max(MIN_PART_BYTES, wanted)
    if part_size > MAX_PART_BYTES:
        raise PayloadTooLarge(ingest.too_large_message(MAX_PART_BYTES * MAX_PARTS))
    return part_size


def _described(
    store: PresignedUploads, pending: PendingUpload, uploaded: set[int] | None = None
) -> DirectUploadOut:
    assert pending.upload_id is not None and pending.part_size is not None
    done = uploaded or set()
    parts = [
        PartUrl(
            part_number=number,
            url=store.presign_part(pending.key, pending.upload_id, number, URL_TTL_SECONDS),
        )
        for number in range(1, pending.part_count + 1)
        if number not in done
    ]
    return DirectUploadOut(
        upload_id=pending.upload_id,
        video_id=pending.video_id,
        key=pending.key,
        part_size=pending.part_size,
        parts=parts,
        uploaded_parts=sorted(done),
        expires_in=URL_TTL_SECONDS,
    )


def _create_video(ctx: Context, db: DbDep, user: User, pending: PendingUpload) -> VideoOut:
    """Probe the stored object and queue its job; a refusal deletes the object and the record
    (create_video removes the video's prefix)."""
    try:
        video, _job = ingest.create_video(
            ctx,
            user=user,
            video_id=pending.video_id,
            key=pending.key,
            filename=pending.filename,
            form=pending.form,
        )
    except FileNotFoundError:
        raise Conflict("Nothing was uploaded yet; send the file, then try again.") from None
    except BaseException:
        _forget(_s3(ctx), pending.video_id)
        raise
    _forget(_s3(ctx), pending.video_id)
    return describe_video(db, ctx, user, video)


def _already_made(db: DbDep, ctx: Context, user: User, video_id: str) -> VideoOut | None:
    """The video a completed upload became: answers a client repeating its last call."""
    video = db.get(Video, video_id) if _VIDEO_ID.match(video_id) else None
    if video is None or video.user_id != user.id:
        return None
    return describe_video(db, ctx, user, video)


# Routes ----------------------------------------------------------------------------------

router = APIRouter(tags=["uploads"])
_REFUSALS: dict[int | str, dict[str, Any]] = {
    409: {"description": "The store is not S3 (use tus), or parts are missing"},
    413: {"description": "The file is larger than the upload limit"},
}


@router.post(DIRECT_PREFIX, status_code=201, response_model=DirectUploadOut, responses=_REFUSALS)
def start_direct_upload(
    body: DirectUploadIn, ctx: CtxDep, db: DbDep, user: CurrentUser
) -> DirectUploadOut:
    """Start a multipart upload straight to S3: one presigned PUT URL per part of `partSize`
    bytes (the last part may be shorter). PUT each part's bytes to its URL, then complete."""
    db.close()
    store = _s3(ctx)
    filename = ingest.check_filename(body.filename)
    ingest.check_size(ctx, body.size)
    video_id = new_id()
    key = ingest.source_key(video_id, filename)
    pending = PendingUpload(
        video_id=video_id,
        user_id=user.id,
        key=key,
        filename=filename,
        content_type=body.content_type,
        size=body.size,
        part_size=part_size_for(body.size),
        upload_id=store.start_multipart(key, body.content_type),
        form=UploadForm(title=body.title, description=body.description, visibility=body.visibility),
    )
    _save(store, pending)
    return _described(store, pending)


@router.get(f"{DIRECT_PREFIX}/{{video_id}}", response_model=DirectUploadOut)
def resume_direct_upload(video_id: str, ctx: CtxDep, user: CurrentUser) -> DirectUploadOut:
    """Which parts S3 already holds, and fresh URLs for the ones still to send."""
    store = _s3(ctx)
    pending = _load(store, user, video_id)
    if pending.upload_id is None:  # a single-PUT upload: confirm it at /api/upload/confirm
        raise NotFound(NO_SUCH_UPLOAD)
    try:
        held = store.list_parts(pending.key, pending.upload_id)
    except FileNotFoundError:
        _forget(store, video_id)
        raise NotFound("This upload has expired or was cancelled; start again.") from None
    return _described(store, pending, {part.number for part in held})


@router.post(
    f"{DIRECT_PREFIX}/{{video_id}}/complete",
    status_code=202,
    response_model=VideoOut,
    responses=_REFUSALS,
)
def complete_direct_upload(video_id: str, ctx: CtxDep, db: DbDep, user: CurrentUser) -> VideoOut:
    """Join the parts into the file, probe it and queue its transcoding (202 with `jobId`)."""
    store = _s3(ctx)
    try:
        pending = _load(store, user, video_id)
    except NotFound:
        if made := _already_made(db, ctx, user, video_id):
            return made
        raise
    if pending.upload_id is None or pending.size is None:  # a single-PUT upload
        raise NotFound(NO_SUCH_UPLOAD)
    try:
        held = store.list_parts(pending.key, pending.upload_id)
    except FileNotFoundError:
        if _exists(store, pending.key):  # joined before, but the video was never made
            return _create_video(ctx, db, user, pending)
        _forget(store, video_id)
        raise NotFound("This upload has expired or was cancelled; start again.") from None
    missing = sorted(set(range(1, pending.part_count + 1)) - {p.number for p in held})
    if missing:
        shown = ", ".join(map(str, missing[:20])) + (" ..." if len(missing) > 20 else "")
        raise Conflict(
            f"Parts {shown} are not uploaded yet; send them, then complete again.",
            code="parts_missing",
            missing=missing,
        )
    received = sum(p.size for p in held if p.number <= pending.part_count)
    if received != pending.size:
        raise BadRequest(
            f"The parts hold {received} bytes, but the upload was started for {pending.size}; "
            "send each part again with exactly partSize bytes (the last one the rest).",
            code="size_mismatch",
        )
    store.complete_multipart(pending.key, pending.upload_id, held)
    return _create_video(ctx, db, user, pending)


@router.delete(f"{DIRECT_PREFIX}/{{video_id}}", status_code=204, response_class=Response)
def cancel_direct_upload(video_id: str, ctx: CtxDep, user: CurrentUser) -> None:
    """Give up an upload: S3 drops the parts it holds."""
    store = _s3(ctx)
    pending = _load(store, user, video_id)
    if pending.upload_id is not None:
        with suppress(FileNotFoundError):  # already gone
            store.abort_multipart(pending.key, pending.upload_id)
    store.delete_prefix(VideoFiles(video_id).folder)
    _forget(store, video_id)


# The original's single presigned PUT -----------------------------------------------------


@router.post("/api/upload/generate-url", response_model=GenerateUrlOut)
def generate_upload_url(
    body: GenerateUrlIn, ctx: CtxDep, db: DbDep, user: CurrentUser
) -> GenerateUrlOut:
    """A presigned URL to PUT one whole file to (send the same Content-Type header), then
    POST /api/upload/confirm with its `s3Key`. Large files are better sent in parts, at
    /api/gallery/uploads/direct."""
    db.close()
    store = _s3(ctx)
    filename = ingest.check_filename(body.filename)
    video_id = new_id()
    key = ingest.source_key(video_id, filename)
    _save(
        store,
        PendingUpload(
            video_id=video_id,
            user_id=user.id,
            key=key,
            filename=filename,
            content_type=body.content_type,
        ),
    )
    return GenerateUrlOut(
        upload_url=store.presign_put(key, URL_TTL_SECONDS, body.content_type),
        s3_key=key,
        video_id=video_id,
        expires_in=URL_TTL_SECONDS,
    )


@router.post("/api/upload/confirm", status_code=202, response_model=VideoOut)
def confirm_upload(
    body: Annotated[ConfirmIn, Body()], ctx: CtxDep, db: DbDep, user: CurrentUser
) -> VideoOut:
    """Turn a file PUT to a generate-url URL into a video and queue its job (202)."""
    store = _s3(ctx)
    parts = body.s3_key.split("/")
    video_id = parts[1] if len(parts) == 4 and parts[0] == "videos" else ""
    try:
        pending = _load(store, user, video_id)
    except NotFound:
        if made := _already_made(db, ctx, user, video_id):
            return made
        raise
    if pending.key != body.s3_key or pending.upload_id is not None:
        raise NotFound(NO_SUCH_UPLOAD)
    pending.form = UploadForm(
        title=body.title, description=body.description, visibility=body.visibility
    )
    return _create_video(ctx, db, user, pending)

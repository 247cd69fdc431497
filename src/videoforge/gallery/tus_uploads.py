"""What a tus upload is, on the database and the object store, so that any gallery replica
can serve any request of any upload, and a crash at any moment loses nothing recorded.

- The row (db.TusUpload) holds the owner, the length, the committed offset, the metadata, the
  expiry, the store's AppendState and the lease. The bytes are in the store (storage.base:
  start_append/append/complete_append), under `tus/{upload id}` until they are complete.
- Writing needs the lease: a conditional UPDATE that succeeds only when nobody else holds it
  (or their lease ran out). A second request is refused at once (423); nothing ever waits.
  The holder renews it while bytes flow; a holder that died loses it after LEASE_SECONDS.
- The offset moves only after the store has said the bytes are durable, by an UPDATE that
  also checks the lease and the previous offset. Bytes past the committed offset (a crash
  mid-PATCH, a refused checksum) are discarded by the next append.
- A PATCH is committed every COMMIT_EVERY_BYTES, and when the client stops sending (it went
  away, or stalled for STALL_SECONDS), what arrived is kept, as tus asks ("store as much of
  the received data as possible"). With Upload-Checksum, the PATCH is all or nothing.
- The last byte makes the video: the pieces become the object at the video's source key
  (chosen at creation) and ingest.create_video probes it and queues its job.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import anyio
import anyio.from_thread
from fastapi.exceptions import RequestValidationError
from sqlalchemy import delete, or_, select, update
from sqlalchemy.engine import CursorResult
from starlette.requests import ClientDisconnect

from videoforge.context import Context
from videoforge.db import TusUpload, User, Video, new_id, utcnow
from videoforge.errors import BadRequest, Conflict, NotFound, PayloadTooLarge, VideoForgeError
from videoforge.gallery import ingest
from videoforge.gallery.tus_protocol import ChecksumMismatch, Gone, Locked
from videoforge.storage import AppendBusy, AppendState

LEASE_SECONDS = 12
RENEW_AFTER_SECONDS = 4
STALL_SECONDS = 8  # a PATCH that receives nothing for this long ends with what it got
COMMIT_EVERY_BYTES = 8 * 1024 * 1024
UPLOAD_EXPIRY = timedelta(days=3)
PURGE_BATCH = 20
NO_SUCH_UPLOAD = "No upload with this id exists."
_UPLOAD_ID_CHARS = frozenset("0123456789abcdef")


@dataclass
class Written:
    """What a PATCH achieved: the committed offset, and the video once the last byte is in."""

    offset: int
    expires_at: datetime
    video_id: str | None = None


# Creating, finding, forgetting ------------------------------------------------------------


def filename_of(metadata: dict[str, str]) -> str:
    """The file's name: `filename` (tus-js-client, tuspy) or `name` (Uppy sends both)."""
    return ingest.check_filename(metadata.get("filename") or metadata.get("name"))


def create(ctx: Context, user: User, length: int, metadata: dict[str, str]) -> TusUpload:
    """Check a new upload before any byte arrives, then record it."""
    ingest.check_size(ctx, length)
    filename = filename_of(metadata)
    ingest.read_form(metadata)
    upload_id, video_id = new_id(), new_id()
    state = ctx.store.start_append(ingest.source_key(video_id, filename), f"tus/{upload_id}")
    now = utcnow()
    upload = TusUpload(
        id=upload_id,
        user_id=user.id,
        video_id=video_id,
        length=length,
        committed_offset=0,
        upload_metadata=metadata,
        store_state=state.to_json(),
        created_at=now,
        expires_at=now + UPLOAD_EXPIRY,
    )
    with ctx.sessions() as session:
        session.add(upload)
        session.commit()
    return upload


def find(ctx: Context, user: User, upload_id: str, *, expired_ok: bool = False) -> TusUpload:
    """The user's upload (another user's does not exist for them); 410 once it expired."""
    upload = None
    if len(upload_id) == 32 and set(upload_id) <= _UPLOAD_ID_CHARS:
        with ctx.sessions() as session:
            upload = session.get(TusUpload, upload_id)
    if upload is None or upload.user_id != user.id:
        raise NotFound(NO_SUCH_UPLOAD)
    if not expired_ok and upload.completed_at is None and upload.expires_at <= utcnow():
        raise Gone("This upload has expired; start it again.")
    return upload


def terminate(ctx: Context, upload: TusUpload) -> None:
    """Forget an upload and free its bytes (the video it became, if any, stays)."""
    with Lease(ctx, upload.id):
        if upload.completed_at is None:
            ctx.store.abort_append(AppendState.from_json(upload.store_state))
        with ctx.sessions() as session:
            session.execute(delete(TusUpload).where(TusUpload.id == upload.id))
            session.commit()


def purge_expired(ctx: Context) -> int:
    """Forget a batch of expired uploads and free their bytes; return how many."""
    with ctx.sessions() as session:
        expired = session.scalars(
            select(TusUpload).where(TusUpload.expires_at < utcnow()).limit(PURGE_BATCH)
        ).all()
    purged = 0
    for upload in expired:
        try:
            terminate(ctx, upload)
        except Locked:
            continue  # someone is writing to it after all; a later purge gets it
        purged += 1
    return purged


# The lease ------------------------------------------------------------------------------


class Lease:
    """The right to write to one upload, held by one request (see the module's docstring)."""

    def __init__(self, ctx: Context, upload_id: str) -> None:
        self.ctx = ctx
        self.upload_id = upload_id
        self.holder = new_id()
        self.renewed_at = utcnow()

    def __enter__(self) -> Lease:
        now = utcnow()
        taken = self._update(
            or_(TusUpload.lease_holder.is_(None), TusUpload.lease_expires_at < now),
            lease_holder=self.holder,
            lease_expires_at=now + timedelta(seconds=LEASE_SECONDS),
        )
        if not taken:
            raise Locked(
                "Another request is writing to this upload; try again in a moment.",
                retry_after=self._seconds_left(),
            )
        self.renewed_at = now
        return self

    def __exit__(self, *_: object) -> None:
        self._update(
            TusUpload.lease_holder == self.holder, lease_holder=None, lease_expires_at=None
        )

    def renew_if_due(self) -> None:
        now = utcnow()
        if now - self.renewed_at < timedelta(seconds=RENEW_AFTER_SECONDS):
            return
        if not self._update(
            TusUpload.lease_holder == self.holder,
            lease_expires_at=now + timedelta(seconds=LEASE_SECONDS),
        ):
            raise Locked("Another request took over this upload; ask for its offset again.")
        self.renewed_at = now

    def commit(self, old: AppendState, new: AppendState) -> datetime:
        """Record the new durable size; only while the lease and the old offset still hold."""
        expires_at = utcnow() + UPLOAD_EXPIRY
        if not self._update(
            TusUpload.lease_holder == self.holder,
            TusUpload.committed_offset == old.size,
            committed_offset=new.size,
            store_state=new.to_json(),
            expires_at=expires_at,
        ):
            raise Locked("Another request took over this upload; ask for its offset again.")
        self.renewed_at = utcnow()
        return expires_at

    def _update(self, condition: Any, *more: Any, **values: Any) -> bool:
        with self.ctx.sessions() as session:
            result = session.execute(
                update(TusUpload)
                .where(TusUpload.id == self.upload_id, condition, *more)
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            session.commit()
        return isinstance(result, CursorResult) and result.rowcount == 1

    def _seconds_left(self) -> int:
        with self.ctx.sessions() as session:
            until = session.scalar(
                select(TusUpload.lease_expires_at).where(TusUpload.id == self.upload_id)
            )
        left = (until - utcnow()).total_seconds() if until else 0
        return max(1, math.ceil(left))


# Receiving bytes ------------------------------------------------------------------------


class Body:
    """A PATCH body read by a worker thread, in pieces for the store.

    Chunks come from the request on the event loop (anyio.from_thread), so nothing blocks it.
    `interrupted` says the client went away or sent nothing for STALL_SECONDS; what arrived
    before that still counts."""

    def __init__(
        self, stream: AsyncIterator[bytes], limit: int, max_chunk: int | None = None
    ) -> None:
        self._stream = stream
        self.limit = limit  # the bytes the upload still lacks
        self.max_chunk = max_chunk  # settings.tus_max_chunk_bytes: a body with no Content-Length
        self.received = 0
        self.finished = False
        self.interrupted = False
        self._pending = b""

    async def _receive(self) -> bytes | None:
        with anyio.move_on_after(STALL_SECONDS):
            try:
                return await anext(self._stream)
            except StopAsyncIteration:
                return None
            except ClientDisconnect:
                self.interrupted = True
                return None
        self.interrupted = True  # stalled
        return None

    def piece(self, size: float, lease: Lease, sha1: Any | None = None) -> Iterator[bytes]:
        """The next `size` bytes (fewer at the end), renewing the lease as they come."""
        taken = 0
        while taken < size and not self.finished:
            chunk = self._pending or anyio.from_thread.run(self._receive)
            self._pending = b""
            if chunk is None:
                self.finished = True
                return
            if self.received + len(chunk) > self.limit:
                raise BadRequest("The body holds more bytes than the upload's Upload-Length.")
            if self.max_chunk and self.received + len(chunk) > self.max_chunk:
                # Raised inside the store's append, so the piece under way is never committed.
                raise PayloadTooLarge(chunk_too_large_message(self.max_chunk))
            if taken + len(chunk) > size:
                cut = int(size - taken)
                chunk, self._pending = chunk[:cut], chunk[cut:]
            lease.renew_if_due()
            self.received += len(chunk)
            taken += len(chunk)
            if sha1 is not None:
                sha1.update(chunk)
            yield chunk


def chunk_too_large_message(max_chunk: int) -> str:
    return (
        f"A PATCH may carry at most {max_chunk} bytes ({ingest.human_size(max_chunk)}) here; "
        "send the file in smaller chunks (the tus client's chunk size; OPTIONS names the "
        "limit in Tus-Max-Chunk-Size)."
    )


def receive(
    ctx: Context, upload: TusUpload, offset: int, body: Body, checksum: bytes | None
) -> Written:
    """PATCH: append the body at `offset` under the lease, committing as it goes."""
    with Lease(ctx, upload.id) as lease:
        upload = _reload(ctx, upload.id)
        if offset != upload.committed_offset:
            raise Conflict(
                f"The upload is at byte {upload.committed_offset}, not {offset}; "
                "ask for its offset (HEAD) and go on from there.",
                code="offset_mismatch",
            )
        state = AppendState.from_json(upload.store_state)
        expires_at = upload.expires_at
        piece_size = math.inf if checksum is not None else COMMIT_EVERY_BYTES
        while not body.finished and state.size < upload.length:
            sha1 = hashlib.sha1(usedforsecurity=False) if checksum is not None else None
            try:
                new = ctx.store.append(state, body.piece(piece_size, lease, sha1))
            except AppendBusy:
                raise Locked("Another request is writing to this upload; try again.") from None
            if sha1 is not None and (body.interrupted or sha1.digest() != checksum):
                raise ChecksumMismatch("The bytes received do not match Upload-Checksum.")
            if new.size == state.size:
                break
            expires_at = lease.commit(state, new)
            ctx.store.drop_superseded(state, new)
            state = new
        video_id = finish(ctx, lease, upload, state) if state.size == upload.length else None
    return Written(offset=state.size, expires_at=expires_at, video_id=video_id)


def _reload(ctx: Context, upload_id: str) -> TusUpload:
    with ctx.sessions() as session:
        upload = session.get(TusUpload, upload_id)
    if upload is None:
        raise NotFound(NO_SUCH_UPLOAD)
    return upload


# Becoming a video -----------------------------------------------------------------------


def finish(ctx: Context, lease: Lease, upload: TusUpload, state: AppendState) -> str:
    """Make the complete upload a video and queue its job (once: repeating it finds the
    video). A refusal (not a video, too long...) forgets the upload and its bytes."""
    with ctx.sessions() as session:
        made = session.get(Video, upload.video_id) is not None
        user = session.get(User, upload.user_id)
    if user is None:
        raise NotFound(NO_SUCH_UPLOAD)
    if not made:
        metadata = upload.upload_metadata
        try:
            ctx.store.complete_append(state)
        except FileNotFoundError:
            _forget(ctx, upload, state)
            raise Gone("This upload's bytes are gone; upload the file again.") from None
        try:
            ingest.create_video(
                ctx,
                user=user,
                video_id=upload.video_id,
                key=state.key,
                filename=filename_of(metadata),
                form=ingest.read_form(metadata),
            )
        except (VideoForgeError, RequestValidationError):
            _forget(ctx, upload, state)
            raise
    with ctx.sessions() as session:
        session.execute(
            update(TusUpload)
            .where(TusUpload.id == upload.id, TusUpload.lease_holder == lease.holder)
            .values(completed_at=utcnow(), expires_at=utcnow() + UPLOAD_EXPIRY)
        )
        session.commit()
    return upload.video_id


def _forget(ctx: Context, upload: TusUpload, state: AppendState) -> None:
    ctx.store.abort_append(state)
    with ctx.sessions() as session:
        session.execute(delete(TusUpload).where(TusUpload.id == upload.id))
        session.commit()


def video_of(ctx: Context, upload: TusUpload) -> Video:
    """The video a finished upload became, making it now if the last PATCH's answer was lost
    before it was made (409 while bytes are still missing)."""
    if upload.completed_at is None:
        if upload.committed_offset < upload.length:
            raise Conflict("The upload is not complete yet.")
        with Lease(ctx, upload.id) as lease:
            finish(ctx, lease, _reload(ctx, upload.id), AppendState.from_json(upload.store_state))
    with ctx.sessions() as session:
        video = session.get(Video, upload.video_id)
    if video is None:
        raise NotFound("The video made from this upload has been deleted.")
    return video

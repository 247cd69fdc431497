"""POST /api/gallery/videos: a multipart upload streamed to the store, probed, then queued.

The body is parsed in a worker thread (storage writes block), which pulls the request's chunks
from the event loop one at a time: memory use does not grow with the file.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import anyio
import anyio.from_thread
import anyio.to_thread
from fastapi import Request

from videoforge.context import Context
from videoforge.db import User, new_id
from videoforge.errors import BadRequest, PayloadTooLarge
from videoforge.gallery import ingest
from videoforge.gallery.multipart import MAX_FIELD_BYTES, StreamingForm
from videoforge.gallery.present import describe_video
from videoforge.gallery.schemas import VideoOut
from videoforge.storage.layout import VideoFiles

# Room for the multipart framing and the text fields on top of the file itself.
_FORM_OVERHEAD_BYTES = 4 * MAX_FIELD_BYTES + 64 * 1024

# For the OpenAPI page: the body is read by hand, so FastAPI cannot describe it by itself.
OPENAPI_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "title": {"type": "string", "maxLength": 200},
                        "description": {"type": "string", "maxLength": 5000},
                        "visibility": {"enum": ["public", "unlisted", "private"]},
                    },
                }
            }
        },
    }
}


async def receive_upload(
    request: Request, ctx: Context, user: User, threads: anyio.CapacityLimiter
) -> VideoOut:
    """Receive the upload in one of `threads` (the gallery's own pool, gallery/deps.py)."""
    limit = ctx.settings.max_upload_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + _FORM_OVERHEAD_BYTES:
        raise PayloadTooLarge(ingest.too_large_message(limit))
    content_type = request.headers.get("content-type", "")
    pull = _puller(request.stream())
    return await anyio.to_thread.run_sync(
        _store_and_create, ctx, user, content_type, pull, limiter=threads
    )


def _puller(body: AsyncIterator[bytes]) -> Callable[[], bytes | None]:
    """A blocking 'next chunk, or None at the end' for a worker thread."""

    async def next_chunk() -> bytes | None:
        try:
            return await anext(body)
        except StopAsyncIteration:
            return None

    return lambda: anyio.from_thread.run(next_chunk)


def _store_and_create(
    ctx: Context, user: User, content_type: str, pull: Callable[[], bytes | None]
) -> VideoOut:
    limit = ctx.settings.max_upload_bytes
    form = StreamingForm(
        content_type,
        pull,
        max_file_bytes=limit,
        too_large_message=ingest.too_large_message(limit),
    )
    part = form.next_file()
    if part is None:
        raise BadRequest("Choose a video file to upload (the form field 'file').")
    filename = ingest.check_filename(part.filename)
    video_id = new_id()
    key = ingest.source_key(video_id, filename)
    try:
        ctx.store.put_stream(key, form.file_chunks())
        if form.next_file() is not None:
            raise BadRequest("Send one file per upload.")
        fields = ingest.read_form(form.fields)
    except BaseException:
        ctx.store.delete_prefix(VideoFiles(video_id).prefix)
        raise
    video, _job = ingest.create_video(
        ctx, user=user, video_id=video_id, key=key, filename=filename, form=fields
    )
    with ctx.sessions() as session:
        return describe_video(session, ctx, user, video)

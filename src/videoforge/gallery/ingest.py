"""From a received upload to a Video row and a queued job: shared by multipart and tus uploads.

The file is probed before any row exists. A file that is empty, not a video or too long is
deleted from the store and nothing else is created, so a refused upload leaves nothing behind.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from videoforge.context import Context
from videoforge.db import Job, User, Video
from videoforge.errors import BadRequest, PayloadTooLarge, UnsupportedMedia
from videoforge.gallery.schemas import UploadForm
from videoforge.jobs.queueing import create_job
from videoforge.jobs.status import VideoStatus
from videoforge.media.checks import TooLong, check_duration
from videoforge.media.errors import NotAVideo
from videoforge.media.facts import ProbeResult
from videoforge.media.probe import probe
from videoforge.storage.layout import VideoFiles

NOT_A_VIDEO = "This file is not a video or audio file we can read."
EMPTY_FILE = "The file is empty."
PATH_NAME = "The file name must be a plain name, not a path."
_UNSAFE_KEY_CHARS = re.compile(r"[^A-Za-z0-9._-]+")


def check_filename(name: str | None) -> str:
    """The client's file name, refused when missing or when it looks like a path."""
    if not name or not name.strip():
        raise BadRequest("Give the file a name.")
    if "/" in name or "\\" in name or ".." in name:
        raise BadRequest(PATH_NAME)
    return name.strip()


def read_form(fields: Mapping[str, str]) -> UploadForm:
    """The title, description and visibility sent with an upload, from multipart form fields
    or tus metadata alike (anything else is ignored); 422, as for a JSON body, when one is not
    valid. An empty title or visibility means "use the default", as form clients send them."""
    given = {
        name: fields[name]
        for name in UploadForm.model_fields
        if name in fields and (name == "description" or fields[name].strip())
    }
    try:
        return UploadForm.model_validate(given)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from None


def storage_name(filename: str) -> str:
    """A name safe for a storage key (letters, digits, '.', '_', '-'), keeping the extension."""
    path = PurePosixPath(filename)
    stem = _UNSAFE_KEY_CHARS.sub("_", path.stem).strip("._-")[:80] or "upload"
    suffix = _UNSAFE_KEY_CHARS.sub("", path.suffix.lstrip("."))[:10].lower()
    return f"{stem}.{suffix}" if suffix else stem


def source_key(video_id: str, filename: str) -> str:
    return VideoFiles(video_id).source(storage_name(filename))


def too_large_message(limit_bytes: int) -> str:
    return f"The file is larger than the {human_size(limit_bytes)} limit."


def human_size(size: int) -> str:
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} bytes"


def check_size(ctx: Context, size: int) -> None:
    if size == 0:
        raise BadRequest(EMPTY_FILE)
    if size > ctx.settings.max_upload_bytes:
        raise PayloadTooLarge(too_large_message(ctx.settings.max_upload_bytes))


def create_video(
    ctx: Context,
    *,
    user: User,
    video_id: str,
    key: str,
    filename: str,
    form: UploadForm,
    local_file: Path | None = None,
) -> tuple[Video, Job]:
    """Probe the stored upload at key, then create its Video row and queue its job.

    `local_file` is a local copy of the upload when the caller has one (saves a download).
    Any refusal deletes everything stored under the video's prefix before it is raised.
    """
    try:
        size = ctx.store.stat(key).size
        check_size(ctx, size)
        with _local_copy(ctx, key, local_file) as path:
            facts = _probe(ctx, path)
    except BaseException:
        ctx.store.delete_prefix(VideoFiles(video_id).prefix)
        raise
    with ctx.sessions() as session:
        video = Video(
            id=video_id,
            user_id=user.id,
            title=form.title or (PurePosixPath(filename).stem.strip() or filename)[:200],
            description=form.description,
            visibility=form.visibility,
            status=VideoStatus.UPLOADED,
            original_filename=filename[:255],
            source_key=key,
            file_size=size,
            duration=facts.duration,
            video_codec=facts.video_codec,
            audio_codec=facts.audio_codec,
        )
        if facts.display_size is not None:
            video.width, video.height = facts.display_size
        session.add(video)
        session.flush()
        job = create_job(session, ctx.queue, video)
        return video, job


def _probe(ctx: Context, path: Path) -> ProbeResult:
    try:
        facts = probe(path)
    except NotAVideo as exc:
        raise UnsupportedMedia(NOT_A_VIDEO, reason=str(exc)) from exc
    if not facts.has_video and not facts.has_audio:
        raise UnsupportedMedia(NOT_A_VIDEO)
    try:
        check_duration(facts.duration, ctx.settings)
    except TooLong as exc:
        raise BadRequest(str(exc), code="too_long") from exc
    return facts


@contextmanager
def _local_copy(ctx: Context, key: str, local_file: Path | None) -> Iterator[Path]:
    """A local path to the stored upload, downloading it to the work dir when the store is
    remote; the download is removed afterwards."""
    if local_file is not None:
        yield local_file
        return
    local = ctx.store.local_path(key)
    if local is not None:
        yield local
        return
    ctx.settings.work_dir.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="probe-", dir=ctx.settings.work_dir))
    try:
        path = scratch / PurePosixPath(key).name
        ctx.store.download(key, path)
        yield path
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

"""GET /media/{video_id}/{token}/{path}: one stored file of a video, for players and <img>.

The token in the path is the capability (see signing.py), so no Authorization header is needed,
any origin may read (CORS *), and responses are cacheable only privately.

Playlists are always answered here, so the relative URIs inside them resolve against this signed
path. On a store that presigns (S3), everything else is a 307 to a presigned URL of the bucket,
so segment bytes never pass through this process; the bucket then needs a CORS rule allowing GET
from the site's origin for browser players. With VIDEOFORGE_CDN_DOMAIN (and its key pair) the
redirect goes to a CloudFront signed URL instead (streaming/cdn.py).

Every answer first asks the revocation gate (streaming/revocation.py) whether the link still
holds: a video made private, deleted, or whose owner was disabled answers 404 within a minute.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Callable, Coroutine, Iterator
from typing import Any, BinaryIO

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, StreamingResponse
from fastapi.routing import APIRoute
from starlette.datastructures import Headers
from starlette.staticfiles import NotModifiedResponse

from videoforge.context import Context
from videoforge.deps import CtxDep
from videoforge.errors import Forbidden, NotFound, VideoForgeError, error_body
from videoforge.media.hls import is_finished, is_media_playlist
from videoforge.storage import ObjectStore
from videoforge.storage.capabilities import PresignedReads
from videoforge.storage.content_types import content_type
from videoforge.storage.layout import (
    CAPTIONS_DIR,
    DOWNLOAD_NAME,
    MASTER_PATH,
    SOURCE_DIR,
    VideoFiles,
)
from videoforge.streaming.captions import served_master, served_subtitle_playlist
from videoforge.streaming.cdn import CdnLinks
from videoforge.streaming.deps import StreamingDep
from videoforge.streaming.hls import start_at_beginning
from videoforge.streaming.revocation import REDIRECT_SECONDS, REVOKED
from videoforge.streaming.signing import MediaToken, read_media_token

INVALID_LINK = "This link has expired or is not valid for this video."
NO_SUCH_FILE = "This video has no such file."

# Segments and pictures never change under a name; a signed URL is still private to its holder.
IMMUTABLE_CACHE = "private, max-age=3600"
FINISHED_PLAYLIST_CACHE = "private, max-age=60"
# Presigned store and CloudFront URLs last as long as the media link, within these bounds: at
# most REDIRECT_SECONDS, so that revoking a link also ends the URLs it was redirected to in time.
PRESIGNED_MIN_SECONDS = 5
PRESIGNED_MAX_SECONDS = REDIRECT_SECONDS
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "Content-Length, Content-Range, Accept-Ranges, ETag",
}
PREFLIGHT_HEADERS = {
    **CORS_HEADERS,
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Range, If-None-Match, If-Range, If-Modified-Since",
    "Access-Control-Max-Age": "86400",
}


class _CorsRoute(APIRoute):
    """Adds the CORS headers to every answer, errors too, so a player on another origin can tell
    an expired link (403) from a network failure."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def with_cors(request: Request) -> Response:
            try:
                response = await handler(request)
            except VideoForgeError as exc:
                response = JSONResponse(
                    error_body(exc.code, exc.message, **exc.details), status_code=exc.status_code
                )
            response.headers.update(CORS_HEADERS)
            return response

        return with_cors


router = APIRouter(tags=["media"], route_class=_CorsRoute)
MEDIA_PATH = "/media/{video_id}/{token}/{path:path}"


@router.api_route(MEDIA_PATH, methods=["GET", "HEAD"], include_in_schema=False)
def serve_media(
    video_id: str, token: str, path: str, request: Request, ctx: CtxDep, streaming: StreamingDep
) -> Response:
    media_token = read_media_token(ctx.tokens.media_secret, video_id, token)
    if media_token is None:
        raise Forbidden(INVALID_LINK, code="invalid_media_link")
    key = _servable_key(video_id, path)
    if not streaming.gate.allows(video_id, media_token.audience):
        raise NotFound(REVOKED)
    if key.endswith(".m3u8"):
        return _playlist(_playlist_body(ctx, video_id, path, key), key, request.headers)
    save_as = download_name(request.query_params.get("name")) if path == DOWNLOAD_NAME else None
    if isinstance(ctx.store, PresignedReads):
        expires = _presigned_seconds(media_token)
        return _presigned(ctx.store, streaming.cdn, key, request, expires, save_as)
    return _file(ctx.store, key, request.headers, save_as)


def download_name(wanted: str | None) -> str:
    """A safe file name for saving the MP4 download (the video's title, when given)."""
    cleaned = re.sub(r"[^A-Za-z0-9 ._-]+", "", wanted or "").strip(" .")[:100]
    return f"{cleaned or 'video'}.mp4"


@router.options(MEDIA_PATH, include_in_schema=False)
def media_preflight(video_id: str, token: str, path: str) -> Response:
    return Response(status_code=204, headers=PREFLIGHT_HEADERS)


def _servable_key(video_id: str, path: str) -> str:
    """The store key for path under the video's folder; never the original upload."""
    if path.split("/", 1)[0].lower() == SOURCE_DIR:
        raise NotFound(NO_SUCH_FILE)
    try:
        return VideoFiles(video_id).key(path)  # refuses '..', empty parts and odd characters
    except ValueError:
        raise NotFound(NO_SUCH_FILE) from None


def _not_modified(request_headers: Headers, etag: str) -> bool:
    wanted = request_headers.get("if-none-match")
    if not wanted:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in wanted.split(",")]
    return "*" in tags or etag in tags


def _playlist_body(ctx: Context, video_id: str, path: str, key: str) -> bytes:
    """A playlist as served: the master names the caption tracks, whose subtitle playlists are
    made here (streaming/captions.py); every other one is the stored file."""
    if path.startswith(CAPTIONS_DIR + "/"):
        made = served_subtitle_playlist(ctx, video_id, path)
        if made is None:
            raise NotFound(NO_SUCH_FILE)
        return made.encode()
    try:
        with ctx.store.open(key) as stored:
            body = stored.read()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise NotFound(NO_SUCH_FILE) from None
    if path == MASTER_PATH:
        return served_master(ctx, video_id, body.decode("utf-8", errors="replace")).encode()
    return body


def _playlist(body: bytes, key: str, request_headers: Headers) -> Response:
    """Playlists are small: read whole, so an unfinished EVENT playlist can start at 0."""
    text = body.decode("utf-8", errors="replace")
    cache = FINISHED_PLAYLIST_CACHE
    if not is_media_playlist(text):
        cache = "no-cache"  # a master may be replaced when processing ends; revalidating is cheap
    elif not is_finished(text):
        cache = "no-cache"  # still growing
        if (started := start_at_beginning(text)) != text:
            body = started.encode()
    headers = {
        "Cache-Control": cache,
        "ETag": f'"{hashlib.sha256(body).hexdigest()[:32]}"',
        "X-Content-Type-Options": "nosniff",
    }
    if _not_modified(request_headers, headers["ETag"]):
        return NotModifiedResponse(Headers(headers))
    return Response(body, media_type=content_type(key), headers=headers)


def _file(
    store: ObjectStore, key: str, request_headers: Headers, save_as: str | None = None
) -> Response:
    headers = {"Cache-Control": IMMUTABLE_CACHE, "X-Content-Type-Options": "nosniff"}
    if save_as:
        headers["Content-Disposition"] = f'attachment; filename="{save_as}"'
    path = store.local_path(key)
    if path is None:
        return _remote_file(store, key, request_headers, headers)
    try:
        stat_result = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise NotFound(NO_SUCH_FILE) from None
    if not stat.S_ISREG(stat_result.st_mode):
        raise NotFound(NO_SUCH_FILE)
    # FileResponse answers Range (206), If-Range, and sets ETag, Last-Modified, Accept-Ranges.
    response = FileResponse(
        path, media_type=content_type(key), headers=headers, stat_result=stat_result
    )
    if _not_modified(request_headers, response.headers["etag"]):
        return NotModifiedResponse(response.headers)
    return response


def _remote_file(
    store: ObjectStore, key: str, request_headers: Headers, headers: dict[str, str]
) -> Response:
    """Whole-file streaming from a store without local files (no Range support here)."""
    try:
        stored = store.stat(key)
        reader = store.open(key)
    except FileNotFoundError:
        raise NotFound(NO_SUCH_FILE) from None
    headers = {
        **headers,
        "ETag": f'"{stored.etag.strip(chr(34))}"',
        "Content-Length": str(stored.size),
    }
    if _not_modified(request_headers, headers["ETag"]):
        reader.close()
        return NotModifiedResponse(Headers(headers))
    return StreamingResponse(_chunks(reader), media_type=content_type(key), headers=headers)


def _presigned_seconds(token: MediaToken) -> int:
    """How long a presigned URL works: as long as the media token still does, within bounds
    (never so briefly that following the redirect could fail)."""
    return min(max(token.seconds_left(), PRESIGNED_MIN_SECONDS), PRESIGNED_MAX_SECONDS)


def _presigned(
    store: ObjectStore,
    cdn: CdnLinks | None,
    key: str,
    request: Request,
    expires: int,
    save_as: str | None = None,
) -> Response:
    """Segments, init files and pictures come from the bucket itself: a 307 to a presigned URL,
    or to a CloudFront signed URL when a CDN is configured (Range and conditional headers go
    along with the redirected request). HEAD is answered here, because a presigned GET URL is
    not valid for HEAD."""
    if request.method == "HEAD":
        try:
            stored = store.stat(key)
        except FileNotFoundError:
            raise NotFound(NO_SUCH_FILE) from None
        headers = {
            "Cache-Control": IMMUTABLE_CACHE,
            "ETag": f'"{stored.etag.strip(chr(34))}"',
            "Content-Length": str(stored.size),
            "Content-Type": content_type(key),
        }
        return Response(status_code=200, headers=headers)
    assert isinstance(store, PresignedReads)
    if cdn is not None:
        location = cdn.url(key, expires)
    else:
        location = store.presign_get(key, expires, filename=save_as, content_type=content_type(key))
    # Cached for half the URL's life, so a browser never follows a cached redirect to an
    # expired URL.
    cache = f"private, max-age={expires // 2}"
    return RedirectResponse(location, status_code=307, headers={"Cache-Control": cache})


def _chunks(reader: BinaryIO, size: int = 256 * 1024) -> Iterator[bytes]:
    with reader:
        while chunk := reader.read(size):
            yield chunk

"""Signed media URLs.

Players fetch playlists, segments and pictures without an Authorization header, so access is
carried in the URL: /media/{video_id}/{token}/{path}. Because the token is a path segment, the
relative URIs inside HLS playlists inherit it.

A token is `{expires_at}.{audience}.{mac}`: an HMAC over the video id, the expiry and the
audience, so a copied link stops working when it expires and never opens another video. The
audience says to whom the link was handed out, which decides when it is revoked before it
expires (streaming/revocation.py checks it on every request):

- `a` (anyone with the link): made while the video was public or unlisted. It stops working
  when the video becomes private.
- `p` (private): made while the video was private, so only for its owner or an admin. It keeps
  working while the video stays (whatever its visibility).

Either stops when the video is deleted or its owner disabled.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from videoforge.context import Context
    from videoforge.db import Video


class Audience(StrEnum):
    ANYONE = "a"
    PRIVATE = "p"

    @classmethod
    def of(cls, video: Video) -> Audience:
        """Who links to this video are handed to now (require_view already checked the viewer)."""
        return cls.PRIVATE if video.visibility == "private" else cls.ANYONE


@dataclass(frozen=True)
class MediaToken:
    expires_at: int  # Unix time
    audience: Audience

    def seconds_left(self, now: float | None = None) -> int:
        return max(0, self.expires_at - int(now if now is not None else time.time()))


_MAC_BYTES = 18  # 24 base64url characters
# The whole grammar of a token: garbage of any length or alphabet is refused by one match,
# before any number is converted (12 digits reach the year 33658).
_TOKEN = re.compile(r"([0-9]{1,12})\.([ap])\.([A-Za-z0-9_-]{24})", re.ASCII)


def _mac(secret: bytes, video_id: str, expires_at: int, audience: Audience) -> str:
    message = f"{video_id}:{expires_at}:{audience.value}".encode()
    digest = hmac.new(secret, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:_MAC_BYTES]).decode().rstrip("=")


# Expiries are rounded up to a step (a tenth of the lifetime, at most 10 minutes) so a URL stays
# the same for a while and browsers can cache what it points at.
_MAX_EXPIRY_STEP = 600


def _expiry_step(ttl_seconds: int) -> int:
    return max(1, min(_MAX_EXPIRY_STEP, ttl_seconds // 10))


def sign_media(
    secret: bytes,
    video_id: str,
    ttl_seconds: int,
    now: float | None = None,
    audience: Audience = Audience.ANYONE,
) -> str:
    earliest = (now if now is not None else time.time()) + ttl_seconds
    step = _expiry_step(ttl_seconds)
    expires_at = -(-int(earliest) // step) * step
    return f"{expires_at}.{audience.value}.{_mac(secret, video_id, expires_at, audience)}"


def read_media_token(
    secret: bytes, video_id: str, token: str, now: float | None = None
) -> MediaToken | None:
    """The token's expiry and audience when it is genuine, for this video and not expired."""
    match = _TOKEN.fullmatch(token)
    if match is None:
        return None
    expires_at, audience, mac = int(match[1]), Audience(match[2]), match[3]
    if expires_at < (now if now is not None else time.time()):
        return None
    if not hmac.compare_digest(mac, _mac(secret, video_id, expires_at, audience)):
        return None
    return MediaToken(expires_at, audience)


def media_url(
    secret: bytes,
    video_id: str,
    path: str,
    ttl_seconds: int,
    audience: Audience = Audience.ANYONE,
) -> str:
    """A URL (path only, relative to the gateway) for one stored file of a video."""
    return MediaLinks.sign(secret, video_id, ttl_seconds, audience=audience).url(path)


@dataclass(frozen=True)
class MediaLinks:
    """Signed URLs for the files of one video, all sharing one token and so one expiry."""

    video_id: str
    token: str

    @classmethod
    def sign(
        cls,
        secret: bytes,
        video_id: str,
        ttl_seconds: int,
        now: float | None = None,
        audience: Audience = Audience.ANYONE,
    ) -> MediaLinks:
        return cls(video_id, sign_media(secret, video_id, ttl_seconds, now, audience))

    def url(self, path: str) -> str:
        return f"/media/{self.video_id}/{self.token}/{path}"

    @classmethod
    def for_video(cls, ctx: Context, video: Video) -> MediaLinks:
        """Links with this deployment's media secret and link lifetime, for the audience the
        video has now."""
        return cls.sign(
            ctx.tokens.media_secret,
            video.id,
            ctx.settings.media_url_ttl_seconds,
            audience=Audience.of(video),
        )

    def expires_in(self, now: float | None = None) -> int:
        """Seconds until the links stop working."""
        expires_at = int(self.token.partition(".")[0])
        return max(0, expires_at - int(now if now is not None else time.time()))

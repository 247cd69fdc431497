"""Short-lived signed media URLs.

Players fetch playlists, segments and pictures without an Authorization header, so access is
carried in the URL: /media/{video_id}/{token}/{path}. The token signs the video id and an expiry
with HMAC, so a copied link stops working when it expires and never opens another video.
Because the token is a path segment, the relative URIs inside HLS playlists inherit it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from videoforge.context import Context


def _mac(secret: bytes, video_id: str, expires_at: int) -> str:
    digest = hmac.new(secret, f"{video_id}:{expires_at}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode().rstrip("=")


# Expiries are rounded up to this step so a URL stays the same for a while and browsers can
# cache what it points at.
_EXPIRY_STEP = 600


def sign_media(secret: bytes, video_id: str, ttl_seconds: int, now: float | None = None) -> str:
    earliest = (now if now is not None else time.time()) + ttl_seconds
    expires_at = -(-int(earliest) // _EXPIRY_STEP) * _EXPIRY_STEP
    return f"{expires_at}.{_mac(secret, video_id, expires_at)}"


def verify_media(secret: bytes, video_id: str, token: str, now: float | None = None) -> bool:
    expires_text, _, mac = token.partition(".")
    # Non-ASCII text would make int() and compare_digest raise instead of refusing, and so
    # would more digits than int() converts (4300); no real expiry has more than 12.
    if not token.isascii() or not expires_text.isdigit() or len(expires_text) > 12 or not mac:
        return False
    expires_at = int(expires_text)
    if expires_at < (now if now is not None else time.time()):
        return False
    return hmac.compare_digest(mac, _mac(secret, video_id, expires_at))


def media_url(secret: bytes, video_id: str, path: str, ttl_seconds: int) -> str:
    """A URL (path only, relative to the gateway) for one stored file of a video."""
    return MediaLinks.sign(secret, video_id, ttl_seconds).url(path)


@dataclass(frozen=True)
class MediaLinks:
    """Signed URLs for the files of one video, all sharing one token and so one expiry."""

    video_id: str
    token: str

    @classmethod
    def sign(
        cls, secret: bytes, video_id: str, ttl_seconds: int, now: float | None = None
    ) -> MediaLinks:
        return cls(video_id, sign_media(secret, video_id, ttl_seconds, now))

    def url(self, path: str) -> str:
        return f"/media/{self.video_id}/{self.token}/{path}"

    @classmethod
    def for_video(cls, ctx: Context, video_id: str) -> MediaLinks:
        """Links with this deployment's media secret and link lifetime."""
        return cls.sign(ctx.tokens.media_secret, video_id, ctx.settings.media_url_ttl_seconds)

    def expires_in(self, now: float | None = None) -> int:
        """Seconds until the links stop working."""
        expires_at = int(self.token.partition(".")[0])
        return max(0, expires_at - int(now if now is not None else time.time()))

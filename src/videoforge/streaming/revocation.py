"""Revocation: a media link handed out earlier stops working within REVOCATION_SECONDS of its
video becoming private (for links made while it was not), of its owner being disabled, or of
its deletion.

A token proves who signed it, for which video, until when and for which audience; only the
database knows whether the video may still be seen. So the media route asks it, through a small
cache: one indexed query per video per CACHE_SECONDS in each process, whatever the number of
viewers and segments, instead of one per request. The answer may be CACHE_SECONDS stale, and
a presigned S3 or CloudFront URL the route redirects to lives REDIRECT_SECONDS, so no link
outlives a change by more than CACHE_SECONDS + REDIRECT_SECONDS = REVOCATION_SECONDS.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from videoforge.db import User, Video
from videoforge.streaming.signing import Audience

REVOCATION_SECONDS = 60
CACHE_SECONDS = 15
REDIRECT_SECONDS = REVOCATION_SECONDS - CACHE_SECONDS
MAX_CACHED_VIDEOS = 10_000  # ~1 MB at most; past it the cache starts over
# Said for a deleted video, a private one (to a link made while it was not) and a disabled
# owner's alike, as access.require_view does: to the holder of the link it no longer exists.
REVOKED = "No video with this id exists, or it is private."


@dataclass(frozen=True)
class MediaState:
    """What revocation depends on, for one video."""

    private: bool
    owner_disabled: bool

    def admits(self, audience: Audience) -> bool:
        if self.owner_disabled:
            return False
        return audience is Audience.PRIVATE or not self.private


def media_state(session: Session, video_id: str) -> MediaState | None:
    """The video's state, or None when there is no such video (deleted)."""
    row = session.execute(
        select(Video.visibility, User.disabled)
        .join(User, User.id == Video.user_id)
        .where(Video.id == video_id)
    ).one_or_none()
    if row is None:
        return None
    return MediaState(private=row.visibility == "private", owner_disabled=bool(row.disabled))


def owner_disabled(session: Session, video: Video) -> bool:
    """Whether the video's owner is disabled: then none of its media plays, for anyone."""
    return bool(session.scalar(select(User.disabled).where(User.id == video.user_id)))


class MediaGate:
    """`allows(video_id, audience)`, answered from the database at most every CACHE_SECONDS per
    video. Thread-safe: the media route runs in the thread pool."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        cache_seconds: float = CACHE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.sessions = sessions
        self.cache_seconds = cache_seconds
        self.clock = clock
        self._cache: dict[str, tuple[float, MediaState | None]] = {}
        self._lock = threading.Lock()

    def allows(self, video_id: str, audience: Audience) -> bool:
        state = self._state(video_id)
        return state is not None and state.admits(audience)

    def _state(self, video_id: str) -> MediaState | None:
        now = self.clock()
        with self._lock:
            cached = self._cache.get(video_id)
        if cached is not None and now < cached[0]:
            return cached[1]
        with self.sessions() as session:
            state = media_state(session, video_id)
        with self._lock:
            if len(self._cache) >= MAX_CACHED_VIDEOS:
                self._cache.clear()
            self._cache[video_id] = (now + self.cache_seconds, state)
        return state

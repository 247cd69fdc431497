"""Counting views: once per viewer per video within VIEW_WINDOW, not once per page load.

A signed-in viewer is their account; a signed-out one is a hash of (address, user agent) salted
with a secret that changes every day, so no address is ever stored and yesterday's hashes cannot
be matched with today's. Records older than the window are deleted as new views come in.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from videoforge.auth.signin import Caller
from videoforge.db import User, Video, VideoView, utcnow

VIEW_WINDOW = timedelta(hours=6)


def viewer_key(user: User | None, caller: Caller, secret: bytes) -> str:
    if user is not None:
        return f"user:{user.id}"
    day = utcnow().date().isoformat()
    salt = hmac.new(secret, f"view-salt:{day}".encode(), hashlib.sha256).digest()
    who = f"{caller.address or ''}\x1f{caller.user_agent or ''}".encode("utf-8", "replace")
    return "anon:" + hmac.new(salt, who, hashlib.sha256).hexdigest()[:64]


def record_view(session: Session, video: Video, viewer: str) -> bool:
    """Count a view of the video by this viewer unless they were counted within the window;
    True when counted (and committed)."""
    now = utcnow()
    since = now - VIEW_WINDOW
    seen = session.scalar(
        select(VideoView.id).where(
            VideoView.video_id == video.id,
            VideoView.viewer == viewer,
            VideoView.created_at >= since,
        )
    )
    if seen is not None:
        return False  # a reload: nothing to write
    # Purged only when a view is counted: a reload (the common request) stays a read.
    session.execute(delete(VideoView).where(VideoView.created_at < since))
    session.add(VideoView(video_id=video.id, viewer=viewer, created_at=now))
    session.execute(
        update(Video)
        .where(Video.id == video.id)
        # Keep updated_at: a view is not an edit.
        .values(views=Video.views + 1, updated_at=Video.updated_at)
    )
    session.commit()
    return True

"""Who may see and change a video: one rule set for gallery, jobs and streaming.

public: anyone, listed. unlisted: anyone with its id or link, never listed to others.
private: its owner and admins only; to everyone else it does not exist (404, not 403).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, or_, select

from videoforge.db import User, Video
from videoforge.errors import Forbidden, NotFound

VISIBILITIES = ("public", "unlisted", "private")


def is_owner_or_admin(user: User | None, video: Video) -> bool:
    return user is not None and (user.role == "admin" or user.id == video.user_id)


def can_view(user: User | None, video: Video) -> bool:
    return video.visibility in ("public", "unlisted") or is_owner_or_admin(user, video)


def require_view(user: User | None, video: Video | None) -> Video:
    if video is None or not can_view(user, video):
        raise NotFound("No video with this id exists, or it is private.")
    return video


def require_change(user: User | None, video: Video | None) -> Video:
    video = require_view(user, video)
    if not is_owner_or_admin(user, video):
        raise Forbidden("Only the video's owner can change or delete it.")
    return video


def listable_filter(user: User | None) -> ColumnElement[bool]:
    """SQL condition for videos a user may see in listings: public ones, plus their own (all
    for admins). A disabled account's videos play for no one (streaming/revocation.py), so
    they are listed to no one either."""
    owner_enabled = Video.user_id.not_in(select(User.id).where(User.disabled.is_(True)))
    if user is None:
        return and_(Video.visibility == "public", owner_enabled)
    if user.role == "admin":
        return owner_enabled
    return and_(or_(Video.visibility == "public", Video.user_id == user.id), owner_enabled)


def viewable_filter(user: User | None) -> ColumnElement[bool]:
    """SQL condition for videos a user may open (can_view, for rows in bulk: a playlist's
    entries), unlisted ones included; none of a disabled account's."""
    owner_enabled = Video.user_id.not_in(select(User.id).where(User.disabled.is_(True)))
    if user is not None and user.role == "admin":
        return owner_enabled
    shared = Video.visibility.in_(("public", "unlisted"))
    return and_(or_(shared, Video.user_id == user.id) if user else shared, owner_enabled)

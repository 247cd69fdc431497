"""Likes: at most one per account per video; liking twice or unliking twice changes nothing."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from videoforge.access import require_view
from videoforge.db import User, Video, VideoLike
from videoforge.social.schemas import LikesOut


def get_likes(session: Session, user: User | None, video_id: str) -> LikesOut:
    video = require_view(user, session.get(Video, video_id))
    return _likes(session, user, video)


def like(session: Session, user: User, video_id: str) -> LikesOut:
    video = require_view(user, session.get(Video, video_id))
    if session.get(VideoLike, (video.id, user.id)) is None:
        session.add(VideoLike(video_id=video.id, user_id=user.id))
        try:
            session.commit()
        except IntegrityError:  # the same account liked it at the same moment: one like
            session.rollback()
    return _likes(session, user, video)


def unlike(session: Session, user: User, video_id: str) -> LikesOut:
    video = require_view(user, session.get(Video, video_id))
    session.execute(
        delete(VideoLike).where(VideoLike.video_id == video.id, VideoLike.user_id == user.id)
    )
    session.commit()
    return _likes(session, user, video)


def _likes(session: Session, user: User | None, video: Video) -> LikesOut:
    count = session.scalar(select(func.count()).where(VideoLike.video_id == video.id)) or 0
    liked = user is not None and session.get(VideoLike, (video.id, user.id)) is not None
    return LikesOut(likes=count, liked=liked)

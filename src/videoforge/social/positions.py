"""Where each account left each video, so playback resumes there on any device."""

from __future__ import annotations

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from videoforge.access import require_view
from videoforge.db import PlaybackPosition, User, Video, utcnow
from videoforge.social.schemas import PositionOut


def get_position(session: Session, user: User, video_id: str) -> PositionOut:
    video = require_view(user, session.get(Video, video_id))
    found = session.get(PlaybackPosition, (user.id, video.id))
    return PositionOut(seconds=found.seconds if found else None)


def set_position(session: Session, user: User, video_id: str, seconds: float) -> PositionOut:
    video = require_view(user, session.get(Video, video_id))
    found = session.get(PlaybackPosition, (user.id, video.id))
    if found is None:
        session.add(PlaybackPosition(user_id=user.id, video_id=video.id, seconds=seconds))
        try:
            session.commit()
            return PositionOut(seconds=seconds)
        except IntegrityError:  # another tab saved it first: update that row instead
            session.rollback()
    session.execute(
        update(PlaybackPosition)
        .where(PlaybackPosition.user_id == user.id, PlaybackPosition.video_id == video.id)
        .values(seconds=seconds, updated_at=utcnow())
    )
    session.commit()
    return PositionOut(seconds=seconds)


def clear_position(session: Session, user: User, video_id: str) -> None:
    video = require_view(user, session.get(Video, video_id))
    session.execute(
        delete(PlaybackPosition).where(
            PlaybackPosition.user_id == user.id, PlaybackPosition.video_id == video.id
        )
    )
    session.commit()

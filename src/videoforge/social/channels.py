"""Channels: every account's public page (display name, bio, avatar, public videos)."""

from __future__ import annotations

from typing import BinaryIO

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from videoforge.context import Context
from videoforge.db import User, Video, utcnow
from videoforge.errors import NotFound
from videoforge.gallery.present import describe_videos
from videoforge.gallery.schemas import VideoPage
from videoforge.pagination import page_window, pagination
from videoforge.social.avatars import make_avatar
from videoforge.social.schemas import AuthorOut, ChannelOut, ChannelUpdate
from videoforge.storage.layout import avatar_key


def avatar_url(user: User) -> str | None:
    if user.avatar_updated_at is None:
        return None
    # The version makes a changed avatar a new address, so the old one can be cached for long.
    version = int(user.avatar_updated_at.timestamp())
    return f"/api/gallery/channels/{user.username}/avatar?v={version}"


def shown_name(user: User) -> str:
    return user.display_name or user.username


def author_out(user: User) -> AuthorOut:
    return AuthorOut(
        username=user.username, display_name=shown_name(user), avatar_url=avatar_url(user)
    )


def channel_out(user: User) -> ChannelOut:
    return ChannelOut(
        username=user.username,
        display_name=shown_name(user),
        bio=user.bio,
        avatar_url=avatar_url(user),
        joined_at=user.created_at,
    )


def find_channel(session: Session, username: str) -> User:
    """The account behind a channel; a disabled one has no channel (its videos play for no one)."""
    user = session.scalar(select(User).where(User.username == username.lower()))
    if user is None or user.disabled:
        raise NotFound("No channel has this name.")
    return user


def channel_videos(
    session: Session, ctx: Context, viewer: User | None, username: str, page: int, limit: int
) -> VideoPage:
    """The channel's public videos, newest first (the same for everyone, its owner included)."""
    owner = find_channel(session, username)
    conditions = (Video.user_id == owner.id, Video.visibility == "public")
    total = session.scalar(select(func.count()).select_from(Video).where(*conditions)) or 0
    query = select(Video).where(*conditions).order_by(Video.created_at.desc(), Video.id.desc())
    videos = session.scalars(page_window(query, page, limit)).all()
    return VideoPage(
        videos=describe_videos(session, ctx, viewer, videos),
        pagination=pagination(total, page, limit),
    )


def update_channel(session: Session, user: User, changes: ChannelUpdate) -> ChannelOut:
    for name, value in changes.model_dump(exclude_none=True).items():
        setattr(user, name, value)
    session.commit()
    return channel_out(user)


def set_avatar(session: Session, ctx: Context, user: User, picture: bytes) -> ChannelOut:
    """Store the picture, made into the avatar's square WebP, as the account's avatar."""
    avatar = make_avatar(picture)
    ctx.store.put_stream(avatar_key(user.id), [avatar])
    user.avatar_updated_at = utcnow()
    session.commit()
    return channel_out(user)


def remove_avatar(session: Session, ctx: Context, user: User) -> ChannelOut:
    ctx.store.delete_prefix(avatar_key(user.id))
    user.avatar_updated_at = None
    session.commit()
    return channel_out(user)


def open_avatar(session: Session, ctx: Context, username: str) -> BinaryIO:
    user = find_channel(session, username)
    if user.avatar_updated_at is None:
        raise NotFound("This channel has no avatar.")
    try:
        return ctx.store.open(avatar_key(user.id))
    except FileNotFoundError as exc:
        raise NotFound("This channel has no avatar.") from exc

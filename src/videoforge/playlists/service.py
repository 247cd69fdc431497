"""Playlists: making, changing and reading them, and the order of their entries.

Entries are numbered 0, 1, 2... by `position`; every change renumbers them so the numbers stay
contiguous (a playlist holds at most MAX_ENTRIES, so renumbering stays cheap).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from videoforge.access import require_view, viewable_filter
from videoforge.context import Context
from videoforge.db import Playlist, PlaylistEntry, User, Video, utcnow
from videoforge.errors import Conflict, NotFound
from videoforge.gallery.present import describe_videos
from videoforge.jobs.status import VideoStatus
from videoforge.playlists.access import (
    is_playlist_owner_or_admin,
    require_change_playlist,
    require_view_playlist,
)
from videoforge.playlists.schemas import (
    EntryOut,
    PlaylistCreate,
    PlaylistList,
    PlaylistOut,
    PlaylistSummary,
    PlaylistUpdate,
)
from videoforge.social.channels import author_out, find_channel
from videoforge.storage.layout import THUMBNAIL_NAME
from videoforge.streaming.signing import MediaLinks

MAX_ENTRIES = 500
MAX_PLAYLISTS = 200  # per account


def create_playlist(session: Session, ctx: Context, user: User, new: PlaylistCreate) -> PlaylistOut:
    owned = session.scalar(select(func.count()).where(Playlist.user_id == user.id)) or 0
    if owned >= MAX_PLAYLISTS:
        raise Conflict(
            f"You have {MAX_PLAYLISTS} playlists, the most an account may have; "
            "delete one to make another.",
            code="too_many_playlists",
        )
    playlist = Playlist(user_id=user.id, **new.model_dump())
    session.add(playlist)
    session.commit()
    return get_playlist(session, ctx, user, playlist.id)


def get_playlist(
    session: Session, ctx: Context, user: User | None, playlist_id: str
) -> PlaylistOut:
    """The playlist with the entries this user may see, in order."""
    playlist = require_view_playlist(session, user, playlist_id)
    rows = session.execute(
        select(PlaylistEntry, Video)
        .join(Video, Video.id == PlaylistEntry.video_id)
        .where(PlaylistEntry.playlist_id == playlist.id, viewable_filter(user))
        .order_by(*_IN_ORDER)
    ).all()
    videos = describe_videos(session, ctx, user, [video for _, video in rows])
    entries = [
        EntryOut(id=entry.id, position=entry.position, video=video)
        for (entry, _), video in zip(rows, videos, strict=True)
    ]
    summary = _summaries(session, ctx, user, [playlist])[0]
    return PlaylistOut(**summary.model_dump(), entries=entries)


def my_playlists(
    session: Session, ctx: Context, user: User, video_id: str | None = None
) -> PlaylistList:
    """All the user's playlists, last changed first; with `video_id`, whether each holds it."""
    playlists = session.scalars(
        select(Playlist)
        .where(Playlist.user_id == user.id)
        .order_by(Playlist.updated_at.desc(), Playlist.id)
    ).all()
    summaries = _summaries(session, ctx, user, playlists)
    if video_id is not None:
        holding = set(
            session.scalars(
                select(PlaylistEntry.playlist_id).where(
                    PlaylistEntry.video_id == video_id,
                    PlaylistEntry.playlist_id.in_([p.id for p in playlists]),
                )
            )
        )
        for summary in summaries:
            summary.has_video = summary.id in holding
    return PlaylistList(playlists=summaries)


def channel_playlists(
    session: Session, ctx: Context, viewer: User | None, username: str
) -> PlaylistList:
    """The channel's public playlists, last changed first (the same for everyone)."""
    owner = find_channel(session, username)
    playlists = session.scalars(
        select(Playlist)
        .where(Playlist.user_id == owner.id, Playlist.visibility == "public")
        .order_by(Playlist.updated_at.desc(), Playlist.id)
    ).all()
    return PlaylistList(playlists=_summaries(session, ctx, viewer, playlists))


def update_playlist(
    session: Session, ctx: Context, user: User, playlist_id: str, changes: PlaylistUpdate
) -> PlaylistOut:
    playlist = require_change_playlist(session, user, playlist_id)
    for name, value in changes.model_dump(exclude_none=True).items():
        setattr(playlist, name, value)
    session.commit()
    return get_playlist(session, ctx, user, playlist.id)


def delete_playlist(session: Session, user: User, playlist_id: str) -> None:
    session.delete(require_change_playlist(session, user, playlist_id))
    session.commit()  # its entries go with it (ON DELETE CASCADE)


def add_entry(
    session: Session, ctx: Context, user: User, playlist_id: str, video_id: str
) -> PlaylistOut:
    """Put a video the user may see at the end of their playlist."""
    playlist = require_change_playlist(session, user, playlist_id)
    video = require_view(user, session.get(Video, video_id))
    entries = _entries(session, playlist)
    if any(entry.video_id == video.id for entry in entries):
        raise Conflict("This video is already in the playlist.", code="already_in_playlist")
    if len(entries) >= MAX_ENTRIES:
        raise Conflict(f"A playlist holds at most {MAX_ENTRIES} videos.", code="playlist_full")
    session.add(PlaylistEntry(playlist_id=playlist.id, video_id=video.id, position=len(entries)))
    _touch(playlist)
    session.commit()
    return get_playlist(session, ctx, user, playlist.id)


def remove_entry(
    session: Session, ctx: Context, user: User, playlist_id: str, entry_id: str
) -> PlaylistOut:
    playlist = require_change_playlist(session, user, playlist_id)
    entries = _entries(session, playlist)
    entry = _find(entries, entry_id)
    session.delete(entry)
    _renumber([e for e in entries if e is not entry])
    _touch(playlist)
    session.commit()
    return get_playlist(session, ctx, user, playlist.id)


def move_entry(
    session: Session, ctx: Context, user: User, playlist_id: str, entry_id: str, position: int
) -> PlaylistOut:
    """Move the entry to `position` (0 first) among all the entries; past the end: last."""
    playlist = require_change_playlist(session, user, playlist_id)
    entries = _entries(session, playlist)
    entry = _find(entries, entry_id)
    entries.remove(entry)
    entries.insert(min(position, len(entries)), entry)
    _renumber(entries)
    _touch(playlist)
    session.commit()
    return get_playlist(session, ctx, user, playlist.id)


# Two entries added at the same moment may share a position until the next renumbering.
_IN_ORDER = (PlaylistEntry.position, PlaylistEntry.added_at, PlaylistEntry.id)


def _entries(session: Session, playlist: Playlist) -> list[PlaylistEntry]:
    return list(
        session.scalars(
            select(PlaylistEntry)
            .where(PlaylistEntry.playlist_id == playlist.id)
            .order_by(*_IN_ORDER)
        )
    )


def _find(entries: list[PlaylistEntry], entry_id: str) -> PlaylistEntry:
    for entry in entries:
        if entry.id == entry_id:
            return entry
    raise NotFound("No entry with this id is in this playlist.")


def _renumber(entries: list[PlaylistEntry]) -> None:
    for position, entry in enumerate(entries):
        if entry.position != position:
            entry.position = position


def _touch(playlist: Playlist) -> None:
    """Mark the playlist changed (its own columns did not), so it sorts first in My playlists."""
    playlist.updated_at = utcnow()


def _summaries(
    session: Session, ctx: Context, user: User | None, playlists: Sequence[Playlist]
) -> list[PlaylistSummary]:
    """Each playlist's summary: the count of entries this user may see and the first one's
    thumbnail, in three queries whatever the number of playlists."""
    ids = [playlist.id for playlist in playlists]
    counts: dict[str, tuple[int, int]] = {
        playlist_id: (count, first)
        for playlist_id, count, first in session.execute(
            select(PlaylistEntry.playlist_id, func.count(), func.min(PlaylistEntry.position))
            .join(Video, Video.id == PlaylistEntry.video_id)
            .where(PlaylistEntry.playlist_id.in_(ids), viewable_filter(user))
            .group_by(PlaylistEntry.playlist_id)
        ).all()
    }
    firsts: dict[str, Video] = {}
    if counts:
        at_first = or_(
            *(
                and_(PlaylistEntry.playlist_id == playlist_id, PlaylistEntry.position == first)
                for playlist_id, (_, first) in counts.items()
            )
        )
        for playlist_id, video in session.execute(
            select(PlaylistEntry.playlist_id, Video)
            .join(Video, Video.id == PlaylistEntry.video_id)
            .where(at_first, viewable_filter(user))
        ).all():
            firsts.setdefault(playlist_id, video)
    owners = {
        owner.id: owner
        for owner in session.scalars(
            select(User).where(User.id.in_({p.user_id for p in playlists}))
        )
    }
    return [
        PlaylistSummary(
            id=playlist.id,
            title=playlist.title,
            description=playlist.description,
            visibility=playlist.visibility,
            owner=author_out(owners[playlist.user_id]),
            video_count=counts.get(playlist.id, (0, 0))[0],
            thumbnail_url=_thumbnail(ctx, firsts.get(playlist.id)),
            created_at=playlist.created_at,
            updated_at=playlist.updated_at,
            can_edit=is_playlist_owner_or_admin(user, playlist),
        )
        for playlist in playlists
    ]


def _thumbnail(ctx: Context, video: Video | None) -> str | None:
    if video is None or video.status != VideoStatus.READY:
        return None
    return MediaLinks.for_video(ctx, video).url(THUMBNAIL_NAME)

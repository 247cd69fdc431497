"""Who may see and change a playlist: the same rules as for a video (videoforge.access).

public: anyone, shown on its owner's channel. unlisted: anyone with its link. private: its owner
and admins; to everyone else it does not exist (404). A disabled account's playlists are shown
to admins only, as its videos play for no one.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from videoforge.db import Playlist, User
from videoforge.errors import Forbidden, NotFound


def is_playlist_owner_or_admin(user: User | None, playlist: Playlist) -> bool:
    return user is not None and (user.role == "admin" or user.id == playlist.user_id)


def require_view_playlist(session: Session, user: User | None, playlist_id: str) -> Playlist:
    playlist = session.get(Playlist, playlist_id)
    if playlist is not None and (
        is_playlist_owner_or_admin(user, playlist)
        or (playlist.visibility != "private" and not _owner_disabled(session, playlist))
    ):
        return playlist
    raise NotFound("No playlist with this id exists, or it is private.")


def require_change_playlist(session: Session, user: User, playlist_id: str) -> Playlist:
    playlist = require_view_playlist(session, user, playlist_id)
    if not is_playlist_owner_or_admin(user, playlist):
        raise Forbidden("Only the playlist's owner can change or delete it.")
    return playlist


def _owner_disabled(session: Session, playlist: Playlist) -> bool:
    owner = session.get(User, playlist.user_id)
    return owner is None or owner.disabled

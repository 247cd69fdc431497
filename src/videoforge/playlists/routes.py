"""/api/gallery/playlists/... and a channel's public playlists: under /api/gallery, so they
belong to the gallery role."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from videoforge.auth.deps import CurrentUser, OptionalUser
from videoforge.deps import CtxDep, DbDep
from videoforge.playlists import service
from videoforge.playlists.schemas import (
    EntryCreate,
    EntryMove,
    PlaylistCreate,
    PlaylistList,
    PlaylistOut,
    PlaylistUpdate,
)

router = APIRouter(tags=["playlists"])

PLAYLISTS = "/api/gallery/playlists"
PLAYLIST = PLAYLISTS + "/{playlist_id}"
ENTRY = PLAYLIST + "/entries/{entry_id}"


@router.post(PLAYLISTS, response_model=PlaylistOut, status_code=201)
def create_playlist(body: PlaylistCreate, ctx: CtxDep, db: DbDep, user: CurrentUser) -> PlaylistOut:
    """Make an empty playlist (public unless `visibility` says otherwise)."""
    return service.create_playlist(db, ctx, user, body)


@router.get(PLAYLISTS + "/mine", response_model=PlaylistList)
def my_playlists(
    ctx: CtxDep,
    db: DbDep,
    user: CurrentUser,
    video_id: Annotated[str | None, Query(alias="videoId", max_length=32)] = None,
) -> PlaylistList:
    """Your playlists, last changed first; with `videoId`, each says whether it holds it."""
    return service.my_playlists(db, ctx, user, video_id)


@router.get("/api/gallery/channels/{username}/playlists", response_model=PlaylistList)
def channel_playlists(username: str, ctx: CtxDep, db: DbDep, user: OptionalUser) -> PlaylistList:
    """The channel's public playlists, last changed first."""
    return service.channel_playlists(db, ctx, user, username)


@router.get(PLAYLIST, response_model=PlaylistOut)
def get_playlist(playlist_id: str, ctx: CtxDep, db: DbDep, user: OptionalUser) -> PlaylistOut:
    """The playlist and, in order, the entries you may see; 404 when it is private and not
    yours."""
    return service.get_playlist(db, ctx, user, playlist_id)


@router.patch(PLAYLIST, response_model=PlaylistOut)
def update_playlist(
    playlist_id: str, body: PlaylistUpdate, ctx: CtxDep, db: DbDep, user: CurrentUser
) -> PlaylistOut:
    """Rename, describe or set the visibility of your playlist."""
    return service.update_playlist(db, ctx, user, playlist_id, body)


@router.delete(PLAYLIST, status_code=204, response_class=Response)
def delete_playlist(playlist_id: str, db: DbDep, user: CurrentUser) -> None:
    """Delete your playlist (its videos stay)."""
    service.delete_playlist(db, user, playlist_id)


@router.post(PLAYLIST + "/entries", response_model=PlaylistOut, status_code=201)
def add_entry(
    playlist_id: str, body: EntryCreate, ctx: CtxDep, db: DbDep, user: CurrentUser
) -> PlaylistOut:
    """Add a video you may see at the end; 409 when it is already there."""
    return service.add_entry(db, ctx, user, playlist_id, body.video_id)


@router.delete(ENTRY, response_model=PlaylistOut)
def remove_entry(
    playlist_id: str, entry_id: str, ctx: CtxDep, db: DbDep, user: CurrentUser
) -> PlaylistOut:
    """Take an entry out of the playlist."""
    return service.remove_entry(db, ctx, user, playlist_id, entry_id)


@router.put(ENTRY + "/position", response_model=PlaylistOut)
def move_entry(
    playlist_id: str, entry_id: str, body: EntryMove, ctx: CtxDep, db: DbDep, user: CurrentUser
) -> PlaylistOut:
    """Move an entry to another place (0 first) among all the playlist's entries."""
    return service.move_entry(db, ctx, user, playlist_id, entry_id, body.position)

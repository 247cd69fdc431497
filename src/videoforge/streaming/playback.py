"""Whether a video can be played now, and which of its renditions can.

A ready video plays. A video still processing plays once its master playlist and the first
segment of every playlist it names are in the store: players can start while the encode goes on.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from videoforge.db import Video
from videoforge.jobs.status import VideoStatus
from videoforge.media import hls
from videoforge.media.rendition import Rendition, load_renditions
from videoforge.storage import ObjectStore
from videoforge.storage.layout import MASTER_PATH, VideoFiles
from videoforge.streaming.qualities import rungs_from_master, video_rungs


def read_text(store: ObjectStore, key: str) -> str | None:
    try:
        with store.open(key) as stored:
            return stored.read().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return None


def exists(store: ObjectStore, key: str) -> bool:
    try:
        store.stat(key)
    except FileNotFoundError:
        return False
    return True


@dataclass
class Playback:
    playable: bool
    rungs: list[Rendition] = field(default_factory=list)
    available: set[str] = field(default_factory=set)  # names of the rungs that can be played


def check_playback(store: ObjectStore, video: Video) -> Playback:
    rungs = video_rungs(load_renditions(video.renditions))
    if video.status == VideoStatus.READY:
        if not rungs:  # a row written before renditions were recorded: read the master
            master_text = read_text(store, VideoFiles(video.id).master)
            if master_text:
                rungs = rungs_from_master(hls.parse_master(master_text), MASTER_PATH)
        return Playback(True, rungs, {r.name for r in rungs})
    if video.status != VideoStatus.PROCESSING:
        return Playback(False, rungs)
    master_text = read_text(store, VideoFiles(video.id).master)
    if master_text is None:
        return Playback(False, rungs)
    master = hls.parse_master(master_text)
    rungs = rungs or rungs_from_master(master, MASTER_PATH)
    started = {
        path
        for uri in master.playlist_uris
        if _has_first_segment(store, video.id, path := hls.resolve(MASTER_PATH, uri))
    }
    every_playlist_started = bool(master.variants) and all(
        hls.resolve(MASTER_PATH, uri) in started for uri in master.playlist_uris
    )
    available = {r.name for r in rungs if posixpath.normpath(r.playlist) in started}
    return Playback(every_playlist_started, rungs, available)


def _has_first_segment(store: ObjectStore, video_id: str, playlist_path: str) -> bool:
    files = VideoFiles(video_id)
    try:
        text = read_text(store, files.key(playlist_path))
        first = hls.first_segment_uri(text) if text else None
        return first is not None and exists(store, files.key(hls.resolve(playlist_path, first)))
    except ValueError:  # a URI that leaves the video's folder is never playable
        return False

"""Where every stored file lives, a video's and an avatar: the one home of the store layout.

    videos/{id}/
        source/{name}            the upload as received (never served)
        thumbnail.jpg            pictures, made beside the encode
        poster.jpg
        preview.webp             animated
        storyboard.jpg           seek previews: a sprite of tiles and its WebVTT cues
        storyboard.vtt
        download.mp4             the MP4 download
        hls/master.m3u8          the adaptive master playlist
        hls/{rendition}/index.m3u8, init.mp4 or init_N.mp4, seg_00001.m4s, ...
        parts/{encode_id}/chunk_{k}/   a chunked encode's small files (playlists, master) per
        parts/{encode_id}/audio/       chunk and for the audio; removed once stitched
    avatars/{user id}.webp       an account's picture (its channel page)
        captions/{caption_id}.vtt    an uploaded caption track (WebVTT), named by its row's id;
        captions/{caption_id}.m3u8   its HLS subtitle playlist, made when asked (never stored)

Paths inside a video's folder (`hls/master.m3u8`) are what media links name; store keys
(`videos/{id}/hls/master.m3u8`) are what the store is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

from videoforge.storage.base import safe_key

VIDEOS = "videos/"  # every video's files, and nothing else, are under this prefix
SOURCE_DIR = "source"
HLS_DIR = "hls"
PARTS_DIR = "parts"
CAPTIONS_DIR = "captions"

# Inside the HLS folder, as ffmpeg's HLS muxer is told to name them (media/plan.py).
MASTER_NAME = "master.m3u8"
PLAYLIST_NAME = "index.m3u8"  # each rendition's media playlist, in the rendition's folder
SEGMENT_PATTERN = "seg_%05d.m4s"
INIT_NAME = "init.mp4"  # the init file of a lone variant
INIT_PATTERN = "init_%v.mp4"  # with several variants the muxer needs %v in the name

# Beside the HLS folder.
THUMBNAIL_NAME = "thumbnail.jpg"
POSTER_NAME = "poster.jpg"
PREVIEW_NAME = "preview.webp"
STORYBOARD_NAME = "storyboard.jpg"
STORYBOARD_VTT_NAME = "storyboard.vtt"
DOWNLOAD_NAME = "download.mp4"
# What a job writes beside the HLS folder (removed with it when a job is cancelled).
EXTRA_NAMES = (
    THUMBNAIL_NAME,
    POSTER_NAME,
    PREVIEW_NAME,
    STORYBOARD_NAME,
    STORYBOARD_VTT_NAME,
    DOWNLOAD_NAME,
)

MASTER_PATH = f"{HLS_DIR}/{MASTER_NAME}"  # relative to the video's folder


AVATARS = "avatars/"


def avatar_key(user_id: str) -> str:
    """Where an account's avatar is kept."""
    return safe_key(f"{AVATARS}{user_id}.webp")


def rendition_playlist_path(rendition: str) -> str:
    """Where a rendition's media playlist lives, relative to the video's folder."""
    return f"{HLS_DIR}/{rendition}/{PLAYLIST_NAME}"


def rendition_playlist_name(rendition: str) -> str:
    """A rendition's media playlist, relative to the HLS folder (as the master names it)."""
    return f"{rendition}/{PLAYLIST_NAME}"


def caption_path(caption_id: str) -> str:
    """A caption track's WebVTT, relative to the video's folder."""
    return f"{CAPTIONS_DIR}/{caption_id}.vtt"


def caption_playlist_path(caption_id: str) -> str:
    """A caption track's subtitle playlist, relative to the video's folder (streaming makes it)."""
    return f"{CAPTIONS_DIR}/{caption_id}.m3u8"


def caption_playlist_name(caption_id: str) -> str:
    """The subtitle playlist as the master playlist (in the HLS folder) names it."""
    return f"../{caption_playlist_path(caption_id)}"


@dataclass(frozen=True)
class VideoFiles:
    """The store keys of one video's files."""

    video_id: str

    @property
    def prefix(self) -> str:
        """The video's folder, with its trailing slash: everything of the video is under it."""
        return f"{VIDEOS}{self.video_id}/"

    @property
    def folder(self) -> str:
        """The video's folder as a store prefix without the slash (`delete_prefix`, `list`)."""
        return self.prefix.rstrip("/")

    def key(self, path: str) -> str:
        """The store key of a file given by its path relative to the video's folder; raises
        ValueError for a path that leaves the folder or has odd characters."""
        return safe_key(self.prefix + path)

    def source(self, name: str) -> str:
        """The key of the upload, stored under `name` (a storage-safe file name)."""
        return f"{self.prefix}{SOURCE_DIR}/{name}"

    @property
    def hls_prefix(self) -> str:
        """The HLS folder, with its trailing slash."""
        return f"{self.prefix}{HLS_DIR}/"

    @property
    def hls_folder(self) -> str:
        return self.hls_prefix.rstrip("/")

    @property
    def master(self) -> str:
        return self.prefix + MASTER_PATH

    def playlist(self, rendition: str) -> str:
        return self.prefix + rendition_playlist_path(rendition)

    def hls_file(self, path: str) -> str:
        """A file in the HLS folder by its path there (`720p/seg_00001.m4s`)."""
        return self.hls_prefix + path

    @property
    def parts_prefix(self) -> str:
        """Every chunked encode's parts, with the trailing slash."""
        return f"{self.prefix}{PARTS_DIR}/"

    def encode_parts(self, encode_id: str) -> str:
        """One chunked encode's parts (a retried plan gets a new encode id), with the slash."""
        return f"{self.parts_prefix}{safe_key(encode_id)}/"

    def chunk_part(self, encode_id: str, index: int) -> str:
        """A chunk's small files: `{rung}/index.m3u8` and the chunk's master, with the slash."""
        return f"{self.encode_parts(encode_id)}chunk_{index:05d}/"

    def audio_part(self, encode_id: str) -> str:
        """The whole file's audio encode's playlist and master, with the slash."""
        return f"{self.encode_parts(encode_id)}audio/"

    def caption(self, caption_id: str) -> str:
        return self.key(caption_path(caption_id))

    def extra(self, name: str) -> str:
        """A file stored beside the HLS folder under its own name (EXTRA_NAMES)."""
        return self.prefix + name

    @property
    def extras(self) -> tuple[str, ...]:
        return tuple(self.extra(name) for name in EXTRA_NAMES)

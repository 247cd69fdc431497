"""Reading HLS playlists as text: what streaming needs to know about the files the processor wrote.

Only the few tags streaming acts on are understood; everything else passes through untouched.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

ENDLIST = "#EXT-X-ENDLIST"
EVENT = "#EXT-X-PLAYLIST-TYPE:EVENT"
START_TAG = "#EXT-X-START"
# Players join an unfinished EVENT playlist at its live edge unless told otherwise.
START_AT_BEGINNING = "#EXT-X-START:TIME-OFFSET=0"

_ATTRIBUTE = re.compile(r'([A-Z0-9-]+)=("[^"]*"|[^,]*)')


@dataclass(frozen=True)
class Variant:
    """One #EXT-X-STREAM-INF entry of a master playlist."""

    uri: str
    bandwidth: int | None
    width: int | None
    height: int | None
    fps: float | None


@dataclass(frozen=True)
class MasterPlaylist:
    variants: list[Variant]
    rendition_uris: list[str]  # #EXT-X-MEDIA entries with a URI (the audio rendition)

    @property
    def playlist_uris(self) -> list[str]:
        return [v.uri for v in self.variants] + self.rendition_uris


def attributes(line: str) -> dict[str, str]:
    """The KEY=VALUE attribute list of a tag line, quotes removed."""
    _, _, listed = line.partition(":")
    return {key: value.strip('"') for key, value in _ATTRIBUTE.findall(listed)}


def _tags(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()]


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _variant(tag: str, uri: str) -> Variant:
    attrs = attributes(tag)
    width, _, height = attrs.get("RESOLUTION", "").partition("x")
    try:
        fps = float(attrs["FRAME-RATE"]) if "FRAME-RATE" in attrs else None
    except ValueError:
        fps = None
    return Variant(uri, _int(attrs.get("BANDWIDTH")), _int(width), _int(height), fps)


def parse_master(text: str) -> MasterPlaylist:
    variants: list[Variant] = []
    renditions: list[str] = []
    pending: str | None = None
    for line in _tags(text):
        if line.startswith("#EXT-X-STREAM-INF:"):
            pending = line
        elif line.startswith("#EXT-X-MEDIA:") and "URI" in (attrs := attributes(line)):
            renditions.append(attrs["URI"])
        elif line and not line.startswith("#") and pending is not None:
            variants.append(_variant(pending, line))
            pending = None
    return MasterPlaylist(variants, renditions)


def is_media_playlist(text: str) -> bool:
    return any(line.startswith(("#EXTINF", "#EXT-X-TARGETDURATION")) for line in _tags(text))


def is_finished(text: str) -> bool:
    return ENDLIST in _tags(text)


def first_segment_uri(text: str) -> str | None:
    """The URI of the first media segment of a media playlist, if it lists any yet."""
    return next((line for line in _tags(text) if line and not line.startswith("#")), None)


def start_at_beginning(text: str) -> str:
    """Add EXT-X-START:TIME-OFFSET=0 to an EVENT playlist that is still being written."""
    lines = text.splitlines(keepends=True)
    tags = _tags(text)
    if not lines or tags[0] != "#EXTM3U" or EVENT not in tags or ENDLIST in tags:
        return text
    if any(tag.startswith(START_TAG + ":") for tag in tags):
        return text
    newline = "\r\n" if lines[0].endswith("\r\n") else "\n"
    if not lines[0].endswith(("\n", "\r")):
        lines[0] += newline
    return lines[0] + START_AT_BEGINNING + newline + "".join(lines[1:])


def resolve(playlist_path: str, uri: str) -> str:
    """A URI found in a playlist, as a path relative to the same root as the playlist's path."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(playlist_path), uri))

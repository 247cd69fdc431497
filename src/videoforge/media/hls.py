"""Reading HLS playlists as text: the processor checks and publishes what ffmpeg wrote, and
streaming tells from them what can be played.

Only the few tags acted on are understood; everything else passes through untouched.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

ENDLIST = "#EXT-X-ENDLIST"

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


def lines(text: str) -> list[str]:
    """The playlist's lines, surrounding white space removed."""
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
    for line in lines(text):
        if line.startswith("#EXT-X-STREAM-INF:"):
            pending = line
        elif line.startswith("#EXT-X-MEDIA:") and "URI" in (attrs := attributes(line)):
            renditions.append(attrs["URI"])
        elif line and not line.startswith("#") and pending is not None:
            variants.append(_variant(pending, line))
            pending = None
    return MasterPlaylist(variants, renditions)


def is_media_playlist(text: str) -> bool:
    return any(line.startswith(("#EXTINF", "#EXT-X-TARGETDURATION")) for line in lines(text))


def is_finished(text: str) -> bool:
    return ENDLIST in lines(text)


def first_segment_uri(text: str) -> str | None:
    """The URI of the first media segment of a media playlist, if it lists any yet."""
    return next((line for line in lines(text) if line and not line.startswith("#")), None)


def media_uris(playlist: str, *, with_init: bool = True) -> list[str]:
    """The init file (EXT-X-MAP) and segments a media playlist names, in order."""
    uris = []
    for line in lines(playlist):
        if line.startswith("#EXT-X-MAP:") and with_init:
            uris.append(attributes(line)["URI"])
        elif line and not line.startswith("#"):
            uris.append(line)
    return uris


def resolve(playlist_path: str, uri: str) -> str:
    """A URI found in a playlist, as a path relative to the same root as the playlist's path."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(playlist_path), uri))

"""One rendition of a video as recorded in Video.renditions: the processor writes them before
the encode (from the chosen rungs), streaming reads them for the quality menu and playback.

The JSON column keeps the form it always had, so rows written before this type still read:
a picture rendition is `{name, width, height, bandwidth, fps, playlist}`, the audio-only one
`{name, bandwidth, playlist}`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Rendition:
    name: str  # "720p", or "audio"
    playlist: str  # the media playlist, relative to the video's folder (layout)
    bandwidth: int | None = None  # bit/s
    width: int | None = None  # None for the audio rendition
    height: int | None = None
    fps: float | None = None  # whole rates are stored as ints (30, not 30.0)

    @property
    def has_picture(self) -> bool:
        return bool(self.height)

    def to_json(self) -> dict[str, Any]:
        if self.width is None and self.height is None:
            return {"name": self.name, "bandwidth": self.bandwidth, "playlist": self.playlist}
        return {
            "name": self.name,
            "width": self.width,
            "height": self.height,
            "bandwidth": self.bandwidth,
            "fps": self.fps,
            "playlist": self.playlist,
        }

    @classmethod
    def from_json(cls, row: Mapping[str, Any]) -> Rendition:
        return cls(
            name=str(row["name"]),
            playlist=str(row.get("playlist") or ""),
            bandwidth=_int(row.get("bandwidth")),
            width=_int(row.get("width")),
            height=_int(row.get("height")),
            fps=row.get("fps"),
        )


def dump_renditions(renditions: Iterable[Rendition]) -> list[dict[str, Any]]:
    """The value of the Video.renditions column."""
    return [rendition.to_json() for rendition in renditions]


def load_renditions(rows: Iterable[Mapping[str, Any]] | None) -> list[Rendition]:
    """The Video.renditions column read back; entries without a name are skipped."""
    return [Rendition.from_json(row) for row in rows or [] if "name" in row]


def _int(value: Any) -> int | None:
    return None if value is None else int(value)

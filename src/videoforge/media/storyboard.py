"""Seek previews (pure): a storyboard sprite (`storyboard.jpg`, a grid of 160-wide frames, one
every `interval` seconds, at most 100 of them) and its WebVTT map (`storyboard.vtt`, one cue per
tile pointing into the sprite with a `#xywh=` fragment), the form players' thumbnail tracks read.

The sprite is made after the ladder from its lowest rung, which decodes far faster than the
source.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from videoforge.media.plan import base_args
from videoforge.storage.layout import STORYBOARD_NAME

TILE_WIDTH = 160
MAX_TILES = 100
COLUMNS = 10


@dataclass(frozen=True)
class Storyboard:
    interval: int  # seconds between tiles
    count: int  # tiles that show the video
    columns: int
    rows: int
    tile_width: int
    tile_height: int


def storyboard_layout(duration: float, width: int, height: int) -> Storyboard:
    """One tile per `interval` whole seconds, the interval as short as MAX_TILES allows."""
    interval = max(1, math.ceil(duration / MAX_TILES))
    count = max(1, min(MAX_TILES, math.ceil(duration / interval)))
    columns = min(COLUMNS, count)
    tile_height = max(2, round(TILE_WIDTH * height / width / 2) * 2)
    return Storyboard(interval, count, columns, math.ceil(count / columns), TILE_WIDTH, tile_height)


def plan_storyboard(layout: Storyboard, source: Path, dest: Path, *, ffmpeg: str) -> list[str]:
    """argv of one ffmpeg writing the sprite to dest; source may be an HLS media playlist.
    `eof_action=pass` keeps the last tile when the video ends less than half an interval after
    it starts (the fps filter would round it away: a blank last tile, or no sprite at all for a
    sub-second clip)."""
    chain = (
        f"fps=1/{layout.interval}:eof_action=pass,scale={layout.tile_width}:{layout.tile_height},setsar=1,"
        f"tile={layout.columns}x{layout.rows}"
    )
    return [
        *base_args(ffmpeg),
        *("-i", str(source), "-an", "-vf", chain),
        *("-frames:v", "1", "-update", "1", "-q:v", "4", str(dest)),
    ]


def storyboard_vtt(layout: Storyboard, duration: float, image: str = STORYBOARD_NAME) -> str:
    """The WebVTT map: cue i covers [i*interval, (i+1)*interval) and shows tile i."""
    cues = ["WEBVTT", ""]
    for index in range(layout.count):
        start = index * layout.interval
        end = min(duration, start + layout.interval)
        if end <= start:
            break
        x = index % layout.columns * layout.tile_width
        y = index // layout.columns * layout.tile_height
        size = f"{layout.tile_width},{layout.tile_height}"
        cues += [f"{_timestamp(start)} --> {_timestamp(end)}", f"{image}#xywh={x},{y},{size}", ""]
    return "\n".join(cues)


def _timestamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    return f"{hours:02d}:{minutes:02d}:{millis // 1000:02d}.{millis % 1000:03d}"

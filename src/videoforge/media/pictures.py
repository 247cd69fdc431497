"""Planning the pictures of a video (pure): `thumbnail.jpg` for the grid, `poster.jpg` for the
player, both made by one ffmpeg from one decoded frame."""

from __future__ import annotations

from pathlib import Path

from videoforge.config import Settings
from videoforge.media.plan import DEINTERLACE, base_args
from videoforge.media.probe import ProbeResult
from videoforge.media.rung import Rung
from videoforge.media.tools import find_ffmpeg

THUMBNAIL_NAME = "thumbnail.jpg"
POSTER_NAME = "poster.jpg"
THUMBNAIL_WIDTH = 320
POSTER_MAX_WIDTH = 1280
WAVEFORM_SIZE = (1280, 720)  # the poster of an audio-only upload
WAVEFORM_COLOUR = "0x3ea6ff"


def plan_pictures(
    probe: ProbeResult,
    rungs: list[Rung],
    settings: Settings,
    out_dir: Path,
    *,
    source: Path,
    ffmpeg: str | None = None,
) -> list[str]:
    """argv of one ffmpeg writing `out_dir/thumbnail.jpg` (320 wide) and `out_dir/poster.jpg`
    (the top rung's size, at most 1280 wide).

    Video: the `thumbnail` filter picks the most representative frame of a window about a third
    of the way in, which is rarely a black or blurred one. Audio only: the waveform.
    """
    argv = base_args(ffmpeg or find_ffmpeg(settings))
    if rungs:
        start, frames = picture_window(probe)
        argv += ["-ss", f"{start:.3f}", "-i", str(source)]
        head = f"[0:{probe.video_index or 0}]"
        picked = [*([DEINTERLACE] if probe.interlaced else []), f"thumbnail=n={frames}"]
        poster = fit_width(rungs[0].width, rungs[0].height, POSTER_MAX_WIDTH)
    else:
        audio = probe.default_audio
        argv += ["-i", str(source)]
        head = f"[0:{audio.index if audio else 0}]"
        size = "x".join(map(str, WAVEFORM_SIZE))
        picked = [f"showwavespic=s={size}:colors={WAVEFORM_COLOUR}"]
        poster = WAVEFORM_SIZE
    thumb = fit_width(*poster, THUMBNAIL_WIDTH)
    graph = ";".join(
        [
            head + ",".join([*picked, "split=2[t0][p0]"]),
            f"[t0]scale={thumb[0]}:{thumb[1]},setsar=1[thumb]",
            f"[p0]scale={poster[0]}:{poster[1]},setsar=1[poster]",
        ]
    )
    return [
        *argv,
        *("-filter_complex", graph),
        *_picture_output("[thumb]", out_dir / THUMBNAIL_NAME),
        *_picture_output("[poster]", out_dir / POSTER_NAME),
    ]


def picture_window(probe: ProbeResult, seconds: float = 2.0) -> tuple[float, int]:
    """Where to start looking for the picture, and how many frames to consider."""
    start = max(0.0, min(probe.duration / 3 - seconds / 2, probe.duration - seconds))
    frames = max(1, min(100, round((probe.fps or 25.0) * seconds)))
    return start, frames


def fit_width(width: int, height: int, max_width: int) -> tuple[int, int]:
    """The size scaled down (never up) to at most max_width, kept even."""
    if width <= max_width:
        return width, height
    return max_width, max(2, int(height * max_width / width / 2) * 2)


def _picture_output(label: str, path: Path) -> list[str]:
    return ["-map", label, "-frames:v", "1", "-update", "1", "-q:v", "3", str(path)]

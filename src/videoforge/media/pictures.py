"""Planning the pictures of a video (pure): `thumbnail.jpg` for the grid, `poster.jpg` for the
player and `preview.webp` (a short animated preview), all made by one ffmpeg that decodes only a
few seconds of the source.

The same run writes an 8x8 grey version of the chosen frame (`picture.gray`, 64 bytes), so the
processor can see a black or blank pick (`looks_blank`) and try another part of the video.
"""

from __future__ import annotations

from pathlib import Path

from videoforge.config import Settings
from videoforge.media.facts import ProbeResult
from videoforge.media.plan import DEINTERLACE, base_args
from videoforge.media.rung import Rung
from videoforge.media.tools import find_ffmpeg
from videoforge.storage.layout import POSTER_NAME, PREVIEW_NAME, THUMBNAIL_NAME

LUMA_NAME = "picture.gray"  # the picked frame as 8x8 grey pixels, for looks_blank
THUMBNAIL_WIDTH = 320
POSTER_MAX_WIDTH = 1280
PREVIEW_WIDTH = 320
PREVIEW_SECONDS = 3.0
PREVIEW_FPS = 10
WAVEFORM_SIZE = (1280, 720)  # the poster of an audio-only upload
WAVEFORM_COLOUR = "0x3ea6ff"
# Where to look for the picture, as parts of the duration, in the order tried.
PICTURE_POSITIONS = (1 / 3, 1 / 2, 2 / 3, 1 / 6)
# A pick is rejected when its mean luma is below DARK_LUMA (limited-range black is 16, full-range
# black 0) or its 8x8 block averages differ by less than FLAT_SPREAD (one flat colour).
DARK_LUMA = 24
FLAT_SPREAD = 6


def plan_pictures(
    probe: ProbeResult,
    rungs: list[Rung],
    settings: Settings,
    out_dir: Path,
    *,
    source: Path,
    ffmpeg: str | None = None,
    position: float = PICTURE_POSITIONS[0],
) -> list[str]:
    """argv of one ffmpeg writing, into out_dir, `thumbnail.jpg` (320 wide) and `poster.jpg`
    (the top rung's size, at most 1280 wide), and for a video also `preview.webp` and
    `picture.gray`.

    Video: the `thumbnail` filter picks the most representative frame of a two-second window
    starting at `position` of the duration; the preview is the three seconds from the same
    place. Audio only: the waveform, and no preview.
    """
    argv = base_args(ffmpeg or find_ffmpeg(settings))
    if not rungs:
        return [*argv, "-i", str(source), *_waveform(probe, out_dir)]
    start, frames = picture_window(probe, position=position)
    head = f"[0:{probe.video_index or 0}]"
    poster = fit_width(rungs[0].width, rungs[0].height, POSTER_MAX_WIDTH)
    thumb = fit_width(*poster, THUMBNAIL_WIDTH)
    preview = fit_width(rungs[0].width, rungs[0].height, PREVIEW_WIDTH)
    deinterlace = [DEINTERLACE] if probe.interlaced else []
    graph = ";".join(
        [
            head + ",".join([*deinterlace, "split=2[pick][moving]"]),
            f"[pick]thumbnail=n={frames},split=3[t0][p0][l0]",
            f"[t0]scale={thumb[0]}:{thumb[1]},setsar=1[thumb]",
            f"[p0]scale={poster[0]}:{poster[1]},setsar=1[poster]",
            "[l0]scale=8:8:flags=area,format=gray[luma]",
            f"[moving]setpts=PTS-STARTPTS,trim=duration={PREVIEW_SECONDS:g},fps={PREVIEW_FPS},"
            f"scale={preview[0]}:{preview[1]},setsar=1[preview]",
        ]
    )
    return [
        *argv,
        *("-ss", f"{start:.3f}", "-i", str(source)),
        *("-filter_complex", graph),
        *_picture_output("[thumb]", out_dir / THUMBNAIL_NAME),
        *_picture_output("[poster]", out_dir / POSTER_NAME),
        *("-map", "[luma]", "-frames:v", "1", "-f", "rawvideo", str(out_dir / LUMA_NAME)),
        *("-map", "[preview]", "-c:v", "libwebp_anim", "-lossless", "0", "-quality", "60"),
        *("-loop", "0", "-an", str(out_dir / PREVIEW_NAME)),
    ]


def _waveform(probe: ProbeResult, out_dir: Path) -> list[str]:
    audio = probe.default_audio
    size = "x".join(map(str, WAVEFORM_SIZE))
    thumb = fit_width(*WAVEFORM_SIZE, THUMBNAIL_WIDTH)
    graph = ";".join(
        [
            f"[0:{audio.index if audio else 0}]showwavespic=s={size}:colors={WAVEFORM_COLOUR},"
            "split=2[t0][p0]",
            f"[t0]scale={thumb[0]}:{thumb[1]},setsar=1[thumb]",
            f"[p0]scale={WAVEFORM_SIZE[0]}:{WAVEFORM_SIZE[1]},setsar=1[poster]",
        ]
    )
    return [
        *("-filter_complex", graph),
        *_picture_output("[thumb]", out_dir / THUMBNAIL_NAME),
        *_picture_output("[poster]", out_dir / POSTER_NAME),
    ]


def picture_window(
    probe: ProbeResult, seconds: float = 2.0, position: float = PICTURE_POSITIONS[0]
) -> tuple[float, int]:
    """Where to start looking for the picture, and how many frames to consider."""
    start = max(0.0, min(probe.duration * position - seconds / 2, probe.duration - seconds))
    frames = max(1, min(100, round((probe.fps or 25.0) * seconds)))
    return start, frames


def looks_blank(luma: bytes) -> bool:
    """Whether the 8x8 grey picture (`picture.gray`) is near black or one flat colour."""
    if not luma:
        return False
    return sum(luma) / len(luma) < DARK_LUMA or max(luma) - min(luma) < FLAT_SPREAD


def fit_width(width: int, height: int, max_width: int) -> tuple[int, int]:
    """The size scaled down (never up) to at most max_width, kept even."""
    if width <= max_width:
        return width, height
    return max_width, max(2, int(height * max_width / width / 2) * 2)


def _picture_output(label: str, path: Path) -> list[str]:
    return ["-map", label, "-frames:v", "1", "-update", "1", "-q:v", "3", str(path)]

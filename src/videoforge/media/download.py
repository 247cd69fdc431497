"""The MP4 download (pure): one rung and the audio, remuxed from the finished HLS renditions
into one faststart MP4 (`download.mp4`). Stream copy only, so it costs a few seconds of I/O."""

from __future__ import annotations

from pathlib import Path

from videoforge.media.plan import base_args
from videoforge.media.rung import Rung

MAX_DOWNLOAD_SHORT_SIDE = 1080


def download_rung(rungs: list[Rung], max_short_side: int = MAX_DOWNLOAD_SHORT_SIDE) -> Rung | None:
    """The highest rung whose short side is at most max_short_side (rungs are highest first);
    None for audio-only videos."""
    return next((r for r in rungs if min(r.width, r.height) <= max_short_side), None)


def plan_download(
    video_playlist: Path, audio_playlist: Path | None, dest: Path, *, ffmpeg: str
) -> list[str]:
    """argv of one ffmpeg joining a rung's HLS playlist (and the audio's) into dest."""
    argv = [*base_args(ffmpeg), "-i", str(video_playlist)]
    maps = ["-map", "0:v:0"]
    if audio_playlist is not None:
        argv += ["-i", str(audio_playlist)]
        maps += ["-map", "1:a:0"]
    return [*argv, *maps, "-c", "copy", "-movflags", "+faststart", str(dest)]

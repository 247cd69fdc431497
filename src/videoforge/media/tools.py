"""Finding the ffmpeg binary: FFMPEG_PATH when set, else the imageio-ffmpeg wheel's static build."""

from __future__ import annotations

from videoforge.config import Settings


def find_ffmpeg(settings: Settings) -> str:
    if settings.ffmpeg_path:
        return settings.ffmpeg_path
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())

"""Generate small test clips at test time with ffmpeg's lavfi sources (testsrc2 + sine)."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path


def make_clip(
    ffmpeg: str,
    dest: Path,
    *,
    seconds: float = 2.0,
    width: int = 320,
    height: int = 240,
    fps: float = 25,
    audio: bool = True,
    video: bool = True,
    video_args: Sequence[str] = ("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"),
    audio_args: Sequence[str] = ("-c:a", "aac", "-b:a", "64k"),
    extra_args: Sequence[str] = (),
) -> Path:
    """Write a clip of a moving test pattern (and a tone) to dest and return dest."""
    args = [ffmpeg, "-hide_banner", "-loglevel", "error", "-y"]
    if video:
        pattern = f"testsrc2=size={width}x{height}:rate={fps}:duration={seconds}"
        args += ["-f", "lavfi", "-i", pattern]
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds}"]
    if video:
        args += list(video_args)
    if audio:
        args += list(audio_args)
    args += [*extra_args, str(dest)]
    subprocess.run(args, check=True, capture_output=True, timeout=120)
    return dest


def with_rotation(ffmpeg: str, source: Path, dest: Path, degrees: int) -> Path:
    """Copy source to dest with a display matrix, as a phone writes it. `degrees` is
    counter-clockwise, as ffmpeg's `-display_rotation` counts."""
    args = [ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-display_rotation", str(degrees)]
    args += ["-i", str(source), "-c", "copy", str(dest)]
    subprocess.run(args, check=True, capture_output=True, timeout=120)
    return dest

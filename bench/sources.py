"""Generated benchmark sources: lavfi patterns of different character, encoded once like a
camera file (high bit rate H.264, long GOP, AAC) and kept for later runs.

Synthetic sources are fine for throughput; their quality scores mean little (TRANSCODING.md).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SourceSpec:
    name: str
    description: str
    video: str  # a lavfi graph; `{w}`, `{h}`, `{fps}` and `{d}` are filled in
    width: int
    height: int
    fps: int
    tone: int  # Hz of the sine audio
    sample_rate: int = 48000


# Grain over a test pattern (every frame differs, like a camera's noise) and a zooming fractal
# (fine detail everywhere, motion at 60 fps).
GRAINY_1080P30 = SourceSpec(
    name="grainy-1080p30",
    description="testsrc2 + temporal noise, 1920x1080 at 30 fps",
    video="testsrc2=s={w}x{h}:r={fps}:d={d},noise=alls=5:allf=t",
    width=1920,
    height=1080,
    fps=30,
    tone=440,
)
FRACTAL_720P60 = SourceSpec(
    name="fractal-720p60",
    description="mandelbrot zoom, 1280x720 at 60 fps",
    video="mandelbrot=s={w}x{h}:r={fps}:maxiter=300,trim=duration={d}",
    width=1280,
    height=720,
    fps=60,
    tone=220,
    sample_rate=44100,
)
SOURCES = {spec.name: spec for spec in (GRAINY_1080P30, FRACTAL_720P60)}


def frame_size(text: str) -> tuple[int, int]:
    """A `--size WxH` argument."""
    width, _, height = text.lower().partition("x")
    return int(width), int(height)


def make_source(
    ffmpeg: str,
    spec: SourceSpec,
    seconds: float,
    folder: Path,
    *,
    size: tuple[int, int] | None = None,
) -> Path:
    """The source as an MP4 in folder, made unless an earlier run left it there."""
    width, height = size or (spec.width, spec.height)
    dest = folder / f"{spec.name}-{width}x{height}-{seconds:g}s.mp4"
    if dest.is_file():
        return dest
    folder.mkdir(parents=True, exist_ok=True)
    video = spec.video.format(w=width, h=height, fps=spec.fps, d=seconds)
    audio = f"sine=f={spec.tone}:sample_rate={spec.sample_rate}:d={seconds}"
    partial = dest.with_suffix(".partial.mp4")
    subprocess.run(
        [
            ffmpeg,
            "-hide_banner",
            "-nostdin",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            video,
            "-f",
            "lavfi",
            "-i",
            audio,
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-crf",
            "20",
            "-g",
            str(spec.fps * 8),
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-b:a",
            "192k",
            "-shortest",
            str(partial),
        ],
        check=True,
    )
    partial.rename(dest)
    return dest

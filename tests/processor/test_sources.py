"""Awkward sources through the whole job: each ends ready, with the expected rungs, and every
rung's first segment decodes as 8-bit 4:2:0 H.264 at the rung's size."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.processor.conftest import Upload, decode_first_segment, segment_durations
from videoforge.media.probe import probe
from videoforge.testing.clips import make_clip, with_rotation

pytestmark = pytest.mark.slow

X264 = ("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p")
Recipe = Callable[[str, Path], Path]


def rotated_phone_video(ffmpeg: str, tmp: Path) -> Path:
    plain = make_clip(ffmpeg, tmp / "plain.mp4", width=480, height=270)
    return with_rotation(ffmpeg, plain, tmp / "phone.mp4", -90)


def odd_dimensions(ffmpeg: str, tmp: Path) -> Path:
    # testsrc2 rounds its size to even, so scale after it; 4:4:4 allows odd sizes.
    args = (
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv444p",
        "-vf",
        "scale=321:241",
    )
    return make_clip(ffmpeg, tmp / "odd.mp4", width=320, height=240, video_args=args)


def non_square_pixels(ffmpeg: str, tmp: Path) -> Path:
    args = (*X264, "-vf", "setsar=4/3")
    return make_clip(ffmpeg, tmp / "sar.mp4", width=240, height=180, video_args=args)


def sixty_fps(ffmpeg: str, tmp: Path) -> Path:
    return make_clip(ffmpeg, tmp / "60.mp4", width=640, height=360, fps=60, seconds=3)


def hevc_ten_bit(ffmpeg: str, tmp: Path) -> Path:
    args = ("-c:v", "libx265", "-preset", "ultrafast", "-pix_fmt", "yuv420p10le")
    return make_clip(ffmpeg, tmp / "hevc.mp4", video_args=args)


def vp9_webm(ffmpeg: str, tmp: Path) -> Path:
    args = ("-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8")
    return make_clip(ffmpeg, tmp / "vp9.webm", video_args=args, audio_args=("-c:a", "libopus"))


def av1(ffmpeg: str, tmp: Path) -> Path:
    args = ("-c:v", "libsvtav1", "-preset", "12", "-pix_fmt", "yuv420p")
    return make_clip(ffmpeg, tmp / "av1.mp4", video_args=args)


def interlaced(ffmpeg: str, tmp: Path) -> Path:
    args = (*X264, "-flags", "+ildct+ilme", "-x264opts", "tff=1")
    return make_clip(ffmpeg, tmp / "tff.mp4", video_args=args)


def under_a_second(ffmpeg: str, tmp: Path) -> Path:
    return make_clip(ffmpeg, tmp / "short.mp4", seconds=0.4)


def variable_frame_rate(ffmpeg: str, tmp: Path) -> Path:
    args = (*X264, "-vf", "setpts='if(lt(N,20),PTS,PTS*3)'", "-fps_mode", "vfr")
    return make_clip(ffmpeg, tmp / "vfr.mp4", audio=False, video_args=args)


def several_audio_tracks(ffmpeg: str, tmp: Path) -> Path:
    dest = tmp / "tracks.mkv"
    subprocess.run(
        [
            ffmpeg, "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=d=2:s=320x240",
            "-f", "lavfi", "-i", "sine=d=2", "-f", "lavfi", "-i", "sine=d=2:f=880:r=96000",
            "-map", "0", "-map", "1", "-map", "2", *X264, "-c:a", "flac",
            "-disposition:a:0", "0", "-disposition:a:1", "default", str(dest),
        ],
        check=True,
    )  # fmt: skip
    return dest


def compliant_h264(ffmpeg: str, tmp: Path) -> Path:
    """Keyframes every 2 s and a modest bit rate: the top rung is copied, not encoded."""
    args = (*X264, "-g", "50", "-b:v", "400k", "-maxrate", "400k", "-bufsize", "800k")
    return make_clip(ffmpeg, tmp / "ready.mp4", seconds=6, width=640, height=360, video_args=args)


CASES: dict[str, tuple[Recipe, list[tuple[str, int, int]]]] = {
    "rotated phone video": (rotated_phone_video, [("240p", 240, 426)]),
    "odd dimensions": (odd_dimensions, [("240p", 318, 240)]),
    "non-square pixels": (non_square_pixels, [("180p", 320, 180)]),
    "60 fps": (sixty_fps, [("360p", 640, 360), ("240p", 426, 240)]),
    "HEVC 10-bit": (hevc_ten_bit, [("240p", 320, 240)]),
    "VP9 in WebM": (vp9_webm, [("240p", 320, 240)]),
    "AV1": (av1, [("240p", 320, 240)]),
    "interlaced": (interlaced, [("240p", 320, 240)]),
    "under a second": (under_a_second, [("240p", 320, 240)]),
    "variable frame rate": (variable_frame_rate, [("240p", 320, 240)]),
    "several audio tracks": (several_audio_tracks, [("240p", 320, 240)]),
    "compliant H.264": (compliant_h264, [("360p", 640, 360), ("240p", 426, 240)]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_source(case: str, ffmpeg: str, tmp_path: Path, upload: Callable[..., Upload]) -> None:
    recipe, expected = CASES[case]
    source = recipe(ffmpeg, tmp_path)
    job = upload(source)
    job.run()

    video = job.video()
    assert video.status == "ready", video.error
    assert [(r["name"], r["width"], r["height"]) for r in video.renditions] == expected
    durations = []
    for name, width, height in expected:
        streams = decode_first_segment(ffmpeg, job, name, tmp_path)
        assert "h264" in streams and "yuv420p" in streams and f"{width}x{height}" in streams
        durations.append(segment_durations(job.text(f"hls/{name}/index.m3u8")))
    assert all(d == durations[0] for d in durations), durations  # keyframes aligned
    assert {"thumbnail.jpg", "poster.jpg"} <= set(job.stored())
    if case == "compliant H.264":  # copied: the top rung carries the source's own bit rate
        assert video.renditions[0]["bandwidth"] == probe(source).video_bit_rate

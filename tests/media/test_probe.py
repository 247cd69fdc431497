"""Probing real files made at test time, and the limits check."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from videoforge.config import Settings
from videoforge.media.checks import check_limits
from videoforge.media.errors import InputRejected, NotAVideo
from videoforge.media.probe import probe
from videoforge.testing.clips import make_clip, with_rotation

pytestmark = pytest.mark.slow

X264 = ("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p")


def test_landscape_clip_with_audio(small_clip: Path) -> None:
    result = probe(small_clip)
    assert result.duration == pytest.approx(2.0, abs=0.1)
    assert (result.video_codec, result.width, result.height) == ("h264", 320, 240)
    assert result.display_size == (320, 240)
    assert result.fps == pytest.approx(25.0)
    assert not result.variable_frame_rate and not result.interlaced
    assert (result.pix_fmt, result.bit_depth, result.rotation, result.sar) == (
        "yuv420p", 8, 0, (1, 1),
    )  # fmt: skip
    assert result.size_bytes == small_clip.stat().st_size and result.bit_rate
    assert result.video_index == 0 and result.frame_count == 50
    assert result.audio_codec == "aac" and result.audio_tracks[0].default
    assert "mp4" in result.container


def test_rotated_phone_video(ffmpeg: str, tmp_path: Path) -> None:
    plain = make_clip(ffmpeg, tmp_path / "plain.mp4", width=320, height=180, audio=False)
    rotated = with_rotation(ffmpeg, plain, tmp_path / "rotated.mp4", -90)  # 90 clockwise
    result = probe(rotated)
    assert result.rotation == 90
    assert (result.width, result.height) == (320, 180)
    assert result.display_size == (180, 320)


def test_non_square_pixels(ffmpeg: str, tmp_path: Path) -> None:
    clip = make_clip(
        ffmpeg, tmp_path / "sar.mp4", width=240, height=180, audio=False,
        video_args=(*X264, "-vf", "setsar=4/3"),
    )  # fmt: skip
    result = probe(clip)
    assert result.sar == (4, 3) and result.display_size == (320, 180)


def test_ten_bit_hevc(ffmpeg: str, tmp_path: Path) -> None:
    args = ("-c:v", "libx265", "-preset", "ultrafast", "-pix_fmt", "yuv420p10le")
    clip = make_clip(ffmpeg, tmp_path / "hevc.mp4", seconds=1, audio=False, video_args=args)
    result = probe(clip)
    assert (result.video_codec, result.bit_depth, result.pix_fmt) == ("hevc", 10, "yuv420p10le")


def test_interlaced(ffmpeg: str, tmp_path: Path) -> None:
    args = (*X264, "-flags", "+ildct+ilme", "-x264opts", "tff=1")
    clip = make_clip(ffmpeg, tmp_path / "i.mp4", seconds=1, audio=False, video_args=args)
    assert probe(clip).interlaced


def test_variable_frame_rate(ffmpeg: str, tmp_path: Path) -> None:
    args = (*X264, "-vf", "setpts='if(lt(N,20),PTS,PTS*3)'", "-fps_mode", "vfr")
    clip = make_clip(ffmpeg, tmp_path / "vfr.mp4", audio=False, video_args=args)
    assert probe(clip).variable_frame_rate


def test_several_audio_tracks_and_the_default_one(ffmpeg: str, tmp_path: Path) -> None:
    clip = tmp_path / "two.mp4"
    subprocess.run(
        [
            ffmpeg, "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=d=1:s=160x120",
            "-f", "lavfi", "-i", "sine=d=1", "-f", "lavfi", "-i", "sine=d=1:f=880",
            "-map", "0", "-map", "1", "-map", "2", *X264, "-c:a", "aac",
            "-disposition:a:0", "0", "-disposition:a:1", "default", str(clip),
        ],
        check=True,
    )  # fmt: skip
    result = probe(clip)
    assert [t.index for t in result.audio_tracks] == [1, 2]
    assert result.default_audio is not None and result.default_audio.index == 2


def test_audio_only(ffmpeg: str, tmp_path: Path) -> None:
    clip = make_clip(ffmpeg, tmp_path / "a.m4a", video=False)
    result = probe(clip)
    assert not result.has_video and result.display_size is None
    assert result.has_audio and result.duration == pytest.approx(2.0, abs=0.1)


def test_cover_art_is_not_taken_for_video(ffmpeg: str, tmp_path: Path) -> None:
    cover = make_clip(ffmpeg, tmp_path / "cover.png", seconds=0.04, audio=False,
                      video_args=("-frames:v", "1"))  # fmt: skip
    song = tmp_path / "song.mp3"
    subprocess.run(
        [
            ffmpeg, "-loglevel", "error", "-f", "lavfi", "-i", "sine=d=1", "-i", str(cover),
            "-map", "0", "-map", "1", "-c:a", "libmp3lame", "-c:v", "png",
            "-disposition:v", "attached_pic", str(song),
        ],
        check=True,
    )  # fmt: skip
    result = probe(song)
    assert not result.has_video and result.has_audio


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"hello, this is text\n" * 100, "not a video"),
    ],
)
def test_not_a_video(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "upload.mp4"
    path.write_bytes(content)
    with pytest.raises(NotAVideo, match=reason):
        probe(path)


def test_a_still_picture_is_not_a_video(ffmpeg: str, tmp_path: Path) -> None:
    picture = make_clip(ffmpeg, tmp_path / "p.jpg", seconds=0.04, audio=False,
                        video_args=("-frames:v", "1"))  # fmt: skip
    with pytest.raises(NotAVideo, match="picture"):
        probe(picture)


@pytest.mark.parametrize("faststart", [False, True])
def test_truncated_mp4(small_clip: Path, tmp_path: Path, ffmpeg: str, faststart: bool) -> None:
    source = small_clip
    if faststart:
        source = tmp_path / "fast.mp4"
        subprocess.run(
            [ffmpeg, "-loglevel", "error", "-i", str(small_clip), "-c", "copy",
             "-movflags", "+faststart", str(source)],
            check=True,
        )  # fmt: skip
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(source.read_bytes()[: source.stat().st_size // 3])
    with pytest.raises(NotAVideo):
        probe(cut)


def test_absurd_picture_size_is_refused_before_decoding(ffmpeg: str, tmp_path: Path) -> None:
    clip = make_clip(ffmpeg, tmp_path / "wide.mp4", width=8400, height=16, seconds=0.2,
                     audio=False)  # fmt: skip
    result = probe(clip)
    with pytest.raises(InputRejected, match="8400x16"):
        check_limits(result, Settings())

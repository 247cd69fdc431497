"""Plans for the pictures, seek previews and download (pure: argv and text, no ffmpeg run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.media.stubs import audio_only, video
from tests.media.test_plan import SETTINGS, SOURCE, graph, option
from videoforge.media.download import download_rung, plan_download
from videoforge.media.pictures import looks_blank, plan_pictures
from videoforge.media.storyboard import plan_storyboard, storyboard_layout, storyboard_vtt
from videoforge.processor.ladder import choose_rungs


def test_pictures_pick_a_representative_frame_a_third_of_the_way_in() -> None:
    probe = video(1920, 1080, duration=90.0)
    rungs = choose_rungs(probe, SETTINGS)
    argv = plan_pictures(probe, rungs, SETTINGS, Path("/out"), source=SOURCE, ffmpeg="ffmpeg")
    assert option(argv, "-ss") == "29.000"
    assert graph(argv) == (
        "[0:0]split=2[pick][moving];"
        "[pick]thumbnail=n=60,split=3[t0][p0][l0];"
        "[t0]scale=320:180,setsar=1[thumb];"
        "[p0]scale=1280:720,setsar=1[poster];"
        "[l0]scale=8:8:flags=area,format=gray[luma];"
        "[moving]setpts=PTS-STARTPTS,trim=duration=3,fps=10,scale=320:180,setsar=1[preview]"
    )
    outputs = [a for a in argv if a.startswith("/out/")]
    assert outputs == [
        "/out/thumbnail.jpg", "/out/poster.jpg", "/out/picture.gray", "/out/preview.webp",
    ]  # fmt: skip
    assert option(argv, "-c:v") == "libwebp_anim" and option(argv, "-loop") == "0"


def test_another_position_moves_the_window() -> None:
    probe = video(1280, 720, duration=60.0)
    argv = plan_pictures(
        probe, choose_rungs(probe, SETTINGS), SETTINGS, Path("/o"), source=SOURCE,
        ffmpeg="ffmpeg", position=2 / 3,
    )  # fmt: skip
    assert option(argv, "-ss") == "39.000"


def test_pictures_of_a_short_clip_start_at_zero() -> None:
    probe = video(320, 240, duration=0.5)
    argv = plan_pictures(probe, choose_rungs(probe, SETTINGS), SETTINGS, Path("/o"), source=SOURCE)
    assert option(argv, "-ss") == "0.000"


def test_pictures_of_audio_show_the_waveform_and_no_preview() -> None:
    argv = plan_pictures(audio_only(), [], SETTINGS, Path("/o"), source=SOURCE, ffmpeg="ffmpeg")
    assert graph(argv).startswith("[0:0]showwavespic=s=1280x720")
    assert "-ss" not in argv and "/o/preview.webp" not in argv


@pytest.mark.parametrize(
    ("luma", "blank"),
    [
        (bytes([16] * 64), True),  # limited-range black
        (bytes([0] * 63 + [60]), True),  # full-range black with a speck
        (bytes([200] * 64), True),  # one flat colour
        (bytes(range(40, 104)), False),  # a picture
        (b"", False),  # unknown: keep it
    ],
)
def test_blank_pictures_are_told_apart(luma: bytes, blank: bool) -> None:
    assert looks_blank(luma) is blank


def test_storyboard_has_at_most_100_tiles() -> None:
    short = storyboard_layout(61.0, 426, 240)
    assert (short.interval, short.count, short.columns, short.rows) == (1, 61, 10, 7)
    assert (short.tile_width, short.tile_height) == (160, 90)
    long = storyboard_layout(3 * 3600.0, 240, 426)
    assert (long.interval, long.count, long.rows) == (108, 100, 10)
    assert (long.tile_width, long.tile_height) == (160, 284)
    tiny = storyboard_layout(0.4, 320, 240)
    assert (tiny.count, tiny.columns, tiny.rows) == (1, 1, 1)


def test_storyboard_plan_and_map() -> None:
    layout = storyboard_layout(12.5, 640, 360)
    argv = plan_storyboard(layout, Path("/h/240p/index.m3u8"), Path("/o/s.jpg"), ffmpeg="ffmpeg")
    assert option(argv, "-vf") == "fps=1/1:eof_action=pass,scale=160:90,setsar=1,tile=10x2"
    vtt = storyboard_vtt(layout, 12.5)
    assert vtt.startswith("WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nstoryboard.jpg#xywh=0,0,160,90")
    assert "00:00:10.000 --> 00:00:11.000\nstoryboard.jpg#xywh=0,90,160,90" in vtt
    assert vtt.rstrip().endswith("00:00:12.000 --> 00:00:12.500\nstoryboard.jpg#xywh=320,90,160,90")
    assert vtt.count("#xywh=") == 13


def test_download_is_the_highest_rung_up_to_1080p_copied_with_faststart() -> None:
    rungs = choose_rungs(video(3840, 2160, video_bit_rate=40_000_000), SETTINGS)
    chosen = download_rung(rungs)
    assert rungs[0].name == "2160p" and chosen is not None and chosen.name == "1080p"
    portrait = choose_rungs(video(1080, 1920), SETTINGS)
    assert download_rung(portrait) == portrait[0]
    assert download_rung([]) is None
    argv = plan_download(
        Path("/h/1080p/index.m3u8"), Path("/h/audio/index.m3u8"), Path("/o/d.mp4"), ffmpeg="ff"
    )
    assert [argv[i + 1] for i, a in enumerate(argv) if a == "-map"] == ["0:v:0", "1:a:0"]
    assert option(argv, "-c") == "copy" and option(argv, "-movflags") == "+faststart"
    silent = plan_download(Path("/h/240p/index.m3u8"), None, Path("/o/d.mp4"), ffmpeg="ff")
    assert "1:a:0" not in silent

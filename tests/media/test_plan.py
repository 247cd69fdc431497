"""The ffmpeg plans (pure): argv from stub probe results, no ffmpeg run."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.media.stubs import audio_only, video
from videoforge.config import Settings
from videoforge.media.facts import AudioTrack, ProbeResult
from videoforge.media.h264 import level_for
from videoforge.media.plan import plan_hls, var_stream_map
from videoforge.processor.ladder import choose_rungs

SETTINGS = Settings(x264_preset="veryfast", keyframe_seconds=2, segment_seconds=4)
OUT = Path("/out/hls")
SOURCE = Path("/in/source.mp4")


def plan(probe: ProbeResult, settings: Settings = SETTINGS) -> list[str]:
    rungs = choose_rungs(probe, settings)
    return plan_hls(probe, rungs, settings, OUT, source=SOURCE, ffmpeg="ffmpeg")


def option(argv: list[str], name: str) -> str:
    """The value after the (only) occurrence of an option."""
    assert argv.count(name) == 1, f"{name} given {argv.count(name)} times"
    return argv[argv.index(name) + 1]


def graph(argv: list[str]) -> str:
    return option(argv, "-filter_complex")


def test_landscape_720p_decodes_once_and_encodes_each_rung() -> None:
    argv = plan(video(1280, 720))
    assert argv[0] == "ffmpeg" and option(argv, "-i") == str(SOURCE)
    assert graph(argv) == (
        "[0:0]split=4[s0][s1][s2][s3];"
        "[s0]scale=1280:720,setsar=1,format=yuv420p[v0];"
        "[s1]scale=852:480,setsar=1,format=yuv420p[v1];"
        "[s2]scale=640:360,setsar=1,format=yuv420p[v2];"
        "[s3]scale=426:240,setsar=1,format=yuv420p[v3]"
    )
    assert [argv[i + 1] for i, a in enumerate(argv) if a == "-map"] == [
        "[v0]", "[v1]", "[v2]", "[v3]", "0:1",
    ]  # fmt: skip
    assert option(argv, "-c:v") == "libx264" and option(argv, "-preset") == "veryfast"
    assert option(argv, "-maxrate:v:0") == "3040000" and option(argv, "-bufsize:v:0") == "6080000"
    assert option(argv, "-level:v:0") == "3.1" and option(argv, "-profile:v:3") == "high"


def test_keyframes_are_forced_on_a_time_grid_with_matching_gop() -> None:
    argv = plan(video(1280, 720, fps=25.0))
    assert option(argv, "-force_key_frames:v") == "expr:gte(t,n_forced*2)"
    assert option(argv, "-sc_threshold:v") == "0"
    assert option(argv, "-g:v:0") == option(argv, "-keyint_min:v:0") == "50"
    assert option(argv, "-flags:v") == "+cgop"


def test_hls_muxer_writes_fmp4_event_playlists_and_a_master() -> None:
    argv = plan(video(1280, 720))
    assert option(argv, "-f") == "hls"
    assert option(argv, "-hls_time") == "4"
    assert option(argv, "-hls_playlist_type") == "event"
    assert option(argv, "-hls_segment_type") == "fmp4"
    assert "%v" in option(argv, "-hls_fmp4_init_filename")
    assert option(argv, "-hls_segment_filename") == "/out/hls/%v/seg_%05d.m4s"
    assert option(argv, "-master_pl_name") == "master.m3u8"
    assert option(argv, "-var_stream_map") == (
        "v:0,agroup:audio,name:720p v:1,agroup:audio,name:480p v:2,agroup:audio,name:360p "
        "v:3,agroup:audio,name:240p a:0,agroup:audio,default:yes,name:audio"
    )
    assert argv[-1] == "/out/hls/%v/index.m3u8"
    assert option(argv, "-progress") == "pipe:1" and "-nostats" in argv


def test_audio_is_encoded_once_as_stereo_aac() -> None:
    argv = plan(video(1280, 720))
    assert option(argv, "-c:a") == "aac" and option(argv, "-ac") == "2"
    assert "-ar" not in argv  # 48 kHz is kept


def test_odd_sample_rates_are_resampled() -> None:
    track = AudioTrack(index=1, codec="pcm_s24le", channels=6, sample_rate=96000, default=True)
    argv = plan(video(1280, 720, audio_tracks=(track,)))
    assert option(argv, "-ar") == "48000"


def test_the_default_audio_track_is_chosen() -> None:
    tracks = (
        AudioTrack(index=1, codec="aac", channels=2, sample_rate=48000),
        AudioTrack(index=2, codec="ac3", channels=6, sample_rate=48000, default=True),
    )
    argv = plan(video(640, 360, audio_tracks=tracks))
    assert "0:2" in argv and "0:1" not in argv


def test_no_audio_means_no_audio_group() -> None:
    argv = plan(video(640, 360, audio_tracks=()))
    assert "-c:a" not in argv
    assert option(argv, "-var_stream_map") == "v:0,name:360p v:1,name:240p"


def test_single_variant_uses_a_plain_init_name() -> None:
    argv = plan(video(320, 240, audio_tracks=()))
    assert option(argv, "-hls_fmp4_init_filename") == "init.mp4"
    assert graph(argv) == "[0:0]scale=320:240,setsar=1,format=yuv420p[v0]"


def test_portrait_is_scaled_by_its_short_side() -> None:
    assert "[s0]scale=1080:1920," in graph(plan(video(1080, 1920)))


def test_odd_dimensions_are_scaled_to_even_ones() -> None:
    assert graph(plan(video(641, 361))).startswith("[0:0]split=2[s0][s1];[s0]scale=638:360,")


def test_60fps_keeps_60_at_720p_and_halves_below() -> None:
    argv = plan(video(1280, 720, fps=60.0))
    rungs = graph(argv).split(";")
    assert "fps=" not in rungs[1]
    assert rungs[2].startswith("[s1]fps=30,scale=852:480")
    assert option(argv, "-g:v:0") == "120" and option(argv, "-g:v:1") == "60"
    assert option(argv, "-level:v:0") == "3.2"


def test_anamorphic_source_is_scaled_to_square_pixels() -> None:
    # 720x480 NTSC widescreen, SAR 32:27: shown as 853x480.
    assert graph(plan(video(720, 480, sar=(32, 27)))).split(";")[1] == (
        "[s0]scale=852:480,setsar=1,format=yuv420p[v0]"
    )


def test_rotated_source_is_planned_on_display_size_and_left_to_autorotate() -> None:
    argv = plan(video(1280, 720, rotation=90))
    assert "[s0]scale=720:1280," in graph(argv)
    assert "-noautorotate" not in argv and "transpose" not in graph(argv)


def test_ten_bit_source_is_encoded_as_8_bit_420() -> None:
    argv = plan(video(1920, 1080, pix_fmt="yuv420p10le", bit_depth=10, video_codec="hevc"))
    assert graph(argv).count("format=yuv420p[") == 5


def test_interlaced_source_is_deinterlaced_once_before_split() -> None:
    argv = plan(video(720, 576, interlaced=True, fps=25.0))
    assert graph(argv).startswith("[0:0]bwdif=mode=send_frame:deint=interlaced,split=")


def test_video_stream_is_taken_by_its_container_index() -> None:
    assert graph(plan(video(320, 240, video_index=2))).startswith("[0:2]")


def test_threads_only_when_configured() -> None:
    assert "-threads" not in plan(video(640, 360))
    assert option(plan(video(640, 360), Settings(ffmpeg_threads=2)), "-threads") == "2"


def test_audio_only_source_gets_one_audio_variant() -> None:
    probe = audio_only()
    argv = plan_hls(probe, [], SETTINGS, OUT, source=SOURCE, ffmpeg="ffmpeg")
    assert "-filter_complex" not in argv and "-c:v" not in argv
    assert option(argv, "-var_stream_map") == "a:0,name:audio"
    assert option(argv, "-map") == "0:0"


def test_nothing_to_encode_is_refused() -> None:
    silent_picture_less = audio_only(audio_tracks=())
    with pytest.raises(ValueError, match="nothing to encode"):
        plan_hls(silent_picture_less, [], SETTINGS, OUT, source=SOURCE, ffmpeg="ffmpeg")
    assert var_stream_map([], True) == "a:0,name:audio"


def test_levels() -> None:
    assert level_for(426, 240, 30, 520_000) == "3.0"
    assert level_for(1280, 720, 30, 3_040_000) == "3.1"
    assert level_for(1920, 1080, 30, 6_220_000) == "4.0"
    assert level_for(1080, 1920, 30, 6_220_000) == "4.0"
    assert level_for(1920, 1080, 60, 9_400_000) == "4.2"
    assert level_for(3840, 2160, 30, 19_900_000) == "5.1"
    assert level_for(3840, 2160, 60, 30_000_000) == "5.2"


def test_compliant_h264_top_rung_is_copied_and_the_others_follow_its_keyframes() -> None:
    probe = video(1280, 720, fps=25.0, profile="High", video_bit_rate=2_000_000, keyframe_gap=2.0)
    rungs = choose_rungs(probe, SETTINGS)
    assert rungs[0].copy and not any(r.copy for r in rungs[1:])
    argv = plan_hls(probe, rungs, SETTINGS, OUT, source=SOURCE, ffmpeg="ffmpeg")
    assert graph(argv).startswith("[0:0]split=3[s1][s2][s3];[s1]scale=852:480,")
    maps = [argv[i + 1] for i, a in enumerate(argv) if a == "-map"]
    assert maps == ["0:0", "[v1]", "[v2]", "[v3]", "0:1"]
    assert option(argv, "-c:v:0") == "copy" and "-maxrate:v:0" not in argv
    assert option(argv, "-force_key_frames:v:1") == "source"
    assert "-force_key_frames:v" not in argv
    assert rungs[0].rendition().bandwidth == 2_000_000


def test_a_lone_copied_rung_needs_no_filter_graph() -> None:
    probe = video(320, 240, fps=25.0, video_bit_rate=300_000, keyframe_gap=2.0, audio_tracks=())
    argv = plan(probe)
    assert "-filter_complex" not in argv and option(argv, "-c:v:0") == "copy"

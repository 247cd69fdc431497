"""The ladder (pure): rung sizes, frame rates and bit-rate caps from stub probe results."""

from __future__ import annotations

from fractions import Fraction

import pytest

from tests.media.stubs import audio_only, video
from videoforge.config import Settings
from videoforge.processor.ladder import CAPS_AT_30FPS, bitrate_cap, capped_fps, choose_rungs

SETTINGS = Settings()


def sizes(probe_result: object) -> list[tuple[str, int, int]]:
    return [(r.name, r.width, r.height) for r in choose_rungs(probe_result, SETTINGS)]  # type: ignore[arg-type]


def test_landscape_1080p_gets_every_rung_up_to_its_own_height() -> None:
    assert sizes(video(1920, 1080)) == [
        ("1080p", 1920, 1080),
        ("720p", 1280, 720),
        ("480p", 852, 480),
        ("360p", 640, 360),
        ("240p", 426, 240),
    ]


def test_portrait_keeps_its_orientation_and_is_measured_by_the_short_side() -> None:
    assert sizes(video(1080, 1920))[:3] == [
        ("1080p", 1080, 1920),
        ("720p", 720, 1280),
        ("480p", 480, 852),
    ]


def test_rotated_source_is_planned_on_its_display_size() -> None:
    assert sizes(video(1280, 720, rotation=90))[0] == ("720p", 720, 1280)


def test_anamorphic_source_is_planned_with_square_pixels() -> None:
    # 720x576 PAL widescreen: SAR 64:45 shows as 1024x576.
    assert sizes(video(720, 576, sar=(64, 45)))[0] == ("480p", 852, 480)


def test_never_upscales_a_source_smaller_than_the_lowest_rung() -> None:
    assert sizes(video(177, 99)) == [("98p", 174, 98)]


def test_odd_dimensions_give_even_rungs() -> None:
    for _, width, height in sizes(video(1279, 719)):
        assert width % 2 == 0 and height % 2 == 0
    assert sizes(video(1279, 719))[0] == ("480p", 852, 480)


def test_audio_only_has_no_video_rungs() -> None:
    assert choose_rungs(audio_only(), SETTINGS) == []


def test_frame_rate_is_capped_at_30_below_720p_and_halved_when_it_can_be() -> None:
    rungs = {r.name: r for r in choose_rungs(video(1920, 1080, fps=60.0), SETTINGS)}
    assert rungs["1080p"].fps_limit is None and rungs["1080p"].fps == 60.0
    assert rungs["720p"].fps_limit is None
    assert rungs["480p"].fps_limit == Fraction(30) and rungs["480p"].fps == 30.0


@pytest.mark.parametrize(
    ("fps", "limit", "expected"),
    [
        (60000 / 1001, 30.0, Fraction(30000, 1001)),
        (50.0, 30.0, Fraction(25)),
        (40.0, 30.0, Fraction(30)),
        (120.0, 60.0, Fraction(60)),
        (120.0, 30.0, Fraction(30)),
        (30.0, 30.0, None),
        (None, 30.0, None),
    ],
)
def test_capped_fps(fps: float | None, limit: float, expected: Fraction | None) -> None:
    assert capped_fps(fps, limit) == expected


def test_caps_follow_the_30fps_table_and_grow_with_frame_rate() -> None:
    plenty = video(3840, 2160, video_bit_rate=100_000_000)
    assert bitrate_cap(720, 30.0, plenty) == CAPS_AT_30FPS[720]
    at_60 = bitrate_cap(720, 60.0, plenty)
    assert 1.4 * CAPS_AT_30FPS[720] < at_60 < 1.6 * CAPS_AT_30FPS[720]


def test_cap_never_exceeds_what_the_source_carries() -> None:
    thin = video(1920, 1080, video_bit_rate=2_000_000)
    assert bitrate_cap(1080, 30.0, thin) == 2_000_000
    # HEVC bits are worth more H.264 bits.
    assert (
        bitrate_cap(1080, 30.0, video(1920, 1080, video_codec="hevc", video_bit_rate=2_000_000))
        == 3_000_000
    )


def test_capped_crf_buffer_is_twice_the_cap() -> None:
    for rung in choose_rungs(video(1920, 1080), SETTINGS):
        assert rung.bufsize == 2 * rung.maxrate and rung.crf > 0


def test_renditions_record_name_size_bandwidth_fps_and_playlist() -> None:
    top = choose_rungs(video(1280, 720), SETTINGS)[0]
    assert top.rendition().to_json() == {
        "name": "720p",
        "width": 1280,
        "height": 720,
        "bandwidth": top.maxrate,
        "fps": 30,
        "playlist": "hls/720p/index.m3u8",
    }


def test_configured_ladder_is_respected() -> None:
    settings = Settings(ladder=[720, 360])
    rungs = choose_rungs(video(1920, 1080), settings)
    assert [r.name for r in rungs] == ["720p", "360p"]


COPYABLE = {"fps": 25.0, "video_bit_rate": 2_000_000, "keyframe_gap": 2.0}


def test_compliant_source_top_rung_is_copied() -> None:
    assert choose_rungs(video(1280, 720, **COPYABLE), SETTINGS)[0].copy


@pytest.mark.parametrize(
    "changes",
    [
        {"video_codec": "hevc"},
        {"pix_fmt": "yuv420p10le", "bit_depth": 10},
        {"profile": "High 4:4:4 Predictive"},
        {"interlaced": True},
        {"sar": (4, 3)},
        {"rotation": 90},
        {"variable_frame_rate": True},
        {"keyframe_gap": None},
        {"keyframe_gap": 10.0},
        {"video_bit_rate": 9_000_000},
        {"fps": 50.0},  # lower rungs change rate, so keyframe flags cannot be followed
        {"width": 1279},  # odd: the top rung is not the source's size
    ],
)
def test_noncompliant_sources_are_encoded(changes: dict[str, object]) -> None:
    fields = {**COPYABLE, **changes}
    width = int(fields.pop("width", 1280))  # type: ignore[call-overload]
    assert not choose_rungs(video(width, 720, **fields), SETTINGS)[0].copy

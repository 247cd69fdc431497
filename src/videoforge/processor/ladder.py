"""Choosing the HLS ladder for a source (pure: probe result and settings in, rungs out).

Rules:
- Rungs are `settings.ladder` heights measured on the SHORT side of the display size (SAR and
  rotation applied), so a portrait 1080x1920 source gives 1080x1920, 720x1280, ... and keeps its
  orientation. Never upscale: a source smaller than the lowest rung gets one rung at its own
  size. Dimensions are even (4:2:0 needs it).
- Frame rate: rungs below 720p get at most 30 fps, the others at most 60. A rate over the limit
  is halved while that stays near the limit (60 -> 30, 50 -> 25, 59.94 -> 29.97), else set to it.
- Bit rate: capped CRF. The cap starts from PeerTube's 30 fps figures (240p 0.52 ... 2160p
  19.9 Mbit/s), scales with frame rate as (fps / 30) ** 0.6 (x1.52 at 60 fps, x0.88 at 24),
  and never exceeds what the source carries (its video bit rate, times 1.5 for HEVC/VP9 and
  2 for AV1, whose bits go further than H.264's), though never below a quarter of the cap so
  keyframes keep room. The VBV buffer is twice the cap.
- Stream copy: when the source already is what the top rung would be (H.264 8-bit 4:2:0,
  progressive, square pixels, upright, constant rate, keyframes at most a segment apart, within
  the cap), the top rung is the source's own stream, copied, and the other rungs take their
  keyframes where the source has them. That saves about half the work.
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction

from videoforge.config import Settings
from videoforge.media.facts import ProbeResult
from videoforge.media.rung import Rung

CRF = 23
# Short side -> bit/s at 30 fps (PeerTube's defaults).
CAPS_AT_30FPS = {
    240: 520_000,
    360: 1_040_000,
    480: 1_470_000,
    720: 3_040_000,
    1080: 6_220_000,
    1440: 10_000_000,
    2160: 19_900_000,
}
HIGH_RATE_FROM = 720  # rungs at or above this short side may keep up to 60 fps
# How many H.264 bits one bit of the source's codec is worth at the same quality.
CODEC_EFFICIENCY = {"hevc": 1.5, "vp9": 1.5, "av1": 2.0}


def choose_rungs(probe: ProbeResult, settings: Settings) -> list[Rung]:
    """The rungs to encode, highest first; empty for audio-only sources."""
    size = probe.display_size
    if size is None:
        return []
    width, height = size
    short = min(width, height)
    heights = [h for h in settings.ladder if h <= short] or [_even(short)]
    rungs = [_rung(probe, width, height, rung) for rung in heights]
    if can_copy(probe, rungs, settings):
        carried = probe.video_bit_rate or rungs[0].maxrate
        rungs[0] = dataclasses.replace(rungs[0], copy=True, maxrate=carried, bufsize=2 * carried)
    return rungs


def _rung(probe: ProbeResult, width: int, height: int, short_side: int) -> Rung:
    scale = short_side / min(width, height)
    size = (_even(width * scale), _even(height * scale))
    limit = 60.0 if short_side >= HIGH_RATE_FROM else 30.0
    fps_limit = capped_fps(probe.fps, limit)
    fps = float(fps_limit) if fps_limit else probe.fps
    maxrate = bitrate_cap(short_side, fps or 30.0, probe)
    return Rung(
        name=f"{short_side}p",
        width=size[0],
        height=size[1],
        fps=fps,
        fps_limit=fps_limit,
        maxrate=maxrate,
        bufsize=2 * maxrate,
        crf=CRF,
    )


COPYABLE_PROFILES = {"Constrained Baseline", "Main", "High"}


def can_copy(probe: ProbeResult, rungs: list[Rung], settings: Settings) -> bool:
    """Whether the top rung can be the source's own video stream (see the module's doc)."""
    top = rungs[0]
    fps = probe.fps or 0.0
    compliant = (
        probe.video_codec == "h264"
        and probe.pix_fmt == "yuv420p"
        and probe.profile in COPYABLE_PROFILES
        and not probe.interlaced
        and probe.sar in ((1, 1), (0, 1))
        and probe.rotation == 0
        and not probe.variable_frame_rate
        and 0 < fps <= 60.5
    )
    # Lower rungs take keyframes from the decoded frames' flags, which a rate change would drop.
    same_frames = all(r.fps_limit is None for r in rungs)
    same_size = (top.width, top.height) == (probe.width, probe.height)
    gap = probe.keyframe_gap
    aligned = gap is not None and gap <= settings.segment_seconds + 0.01
    cap = cap_at_30fps(min(top.width, top.height)) * _fps_factor(fps)
    within_cap = probe.video_bit_rate is not None and probe.video_bit_rate <= cap
    return compliant and same_frames and same_size and aligned and within_cap


def capped_fps(fps: float | None, limit: float) -> Fraction | None:
    """The lower rate to convert to, or None when the source's rate is within the limit."""
    if fps is None or fps <= limit * 1.01:
        return None
    rate = Fraction(fps).limit_denominator(1001)
    while rate > limit * 1.01 and rate / 2 >= limit * 0.75:
        rate /= 2
    return rate if rate <= limit * 1.01 else Fraction(limit).limit_denominator(1001)


def bitrate_cap(short_side: int, fps: float, probe: ProbeResult) -> int:
    """The maxrate of a rung, in bit/s."""
    cap = cap_at_30fps(short_side) * _fps_factor(fps)
    source = probe.video_bit_rate
    if source:
        carried = source * CODEC_EFFICIENCY.get(probe.video_codec or "", 1.0)
        cap = min(cap, max(carried, cap / 4))
    return int(round(cap, -3))


def _fps_factor(fps: float) -> float:
    factor: float = (fps / 30) ** 0.6  # float ** float is typed Any
    return min(max(factor, 0.5), 1.6)


def cap_at_30fps(short_side: int) -> float:
    """From the table; between its rows by pixel count, beyond its ends in proportion to it."""
    known = sorted(CAPS_AT_30FPS)
    if short_side in CAPS_AT_30FPS:
        return CAPS_AT_30FPS[short_side]
    lower = max((h for h in known if h < short_side), default=None)
    upper = min((h for h in known if h > short_side), default=None)
    if lower is None or upper is None:
        edge = known[0] if lower is None else known[-1]
        return CAPS_AT_30FPS[edge] * (short_side / edge) ** 2
    span = (short_side**2 - lower**2) / (upper**2 - lower**2)
    return CAPS_AT_30FPS[lower] + span * (CAPS_AT_30FPS[upper] - CAPS_AT_30FPS[lower])


def _even(value: float) -> int:
    """Rounded down to even, so a rung is never larger than its source."""
    return max(2, int(value / 2 + 1e-6) * 2)

"""Refusing inputs that cannot be processed sensibly, with a reason a person understands.

Stated sizes are checked before anything is decoded: a small file can claim a huge picture
(a decompression bomb) or a duration of days, and would tie up a worker for nothing.
"""

from __future__ import annotations

import math

from videoforge.config import Settings
from videoforge.media.errors import InputRejected
from videoforge.media.facts import ProbeResult
from videoforge.media.limits import MAX_FPS, MAX_PIXELS, MAX_SIDE, within_picture_limits


class TooLong(InputRejected):
    """The video is longer than the configured maximum duration."""


def check_limits(probe: ProbeResult, settings: Settings) -> None:
    """Raise InputRejected when the probed file is outside what VideoForge processes."""
    duration = probe.duration
    if not math.isfinite(duration) or duration <= 0:
        raise InputRejected("The file does not say how long it is, so it cannot be played.")
    check_duration(duration, settings)
    if not probe.has_video:
        return
    width, height = probe.width or 0, probe.height or 0
    if width <= 0 or height <= 0:
        raise InputRejected("The video does not state a picture size, so it cannot be read.")
    if not within_picture_limits(width, height):
        raise InputRejected(
            f"The picture is {width}x{height} pixels; the largest accepted is "
            f"{MAX_SIDE} pixels a side and {MAX_PIXELS // 1_000_000} megapixels."
        )
    if probe.fps is not None and probe.fps > MAX_FPS:
        raise InputRejected(
            f"The video states {probe.fps:.0f} frames per second, which cannot be right."
        )


def check_duration(duration: float, settings: Settings) -> None:
    """The maximum-duration rule, at upload and at processing: raise TooLong past it."""
    if duration > settings.max_duration_seconds:
        raise TooLong(
            f"The video is {_hours(duration)} long; the limit here is "
            f"{_hours(settings.max_duration_seconds)}."
        )


def _hours(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} seconds"
    if seconds < 3600:
        return f"{seconds / 60:.0f} minutes"
    return f"{seconds / 3600:.1f} hours"

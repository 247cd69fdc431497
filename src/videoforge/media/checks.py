"""Refusing inputs that cannot be processed sensibly, with a reason a person understands.

Stated sizes are checked before anything is decoded: a small file can claim a huge picture
(a decompression bomb) or a duration of days, and would tie up a worker for nothing.
"""

from __future__ import annotations

import math

from videoforge.config import Settings
from videoforge.media.probe import ProbeResult
from videoforge.worker.base import PermanentJobError

MAX_SIDE = 8192  # pixels, either side
MAX_PIXELS = 8192 * 4320  # a little over 8K UHD
MAX_FPS = 1000.0  # beyond this the stated rate is nonsense, not a high-speed camera


def check_limits(probe: ProbeResult, settings: Settings) -> None:
    """Raise PermanentJobError when the probed file is outside what VideoForge processes."""
    duration = probe.duration
    if not math.isfinite(duration) or duration <= 0:
        raise PermanentJobError("The file does not say how long it is, so it cannot be played.")
    if duration > settings.max_duration_seconds:
        raise PermanentJobError(
            f"The video is {_hours(duration)} long; the limit here is "
            f"{_hours(settings.max_duration_seconds)}."
        )
    if not probe.has_video:
        return
    width, height = probe.width or 0, probe.height or 0
    if width <= 0 or height <= 0:
        raise PermanentJobError("The video does not state a picture size, so it cannot be read.")
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
        raise PermanentJobError(
            f"The picture is {width}x{height} pixels; the largest accepted is "
            f"{MAX_SIDE} pixels a side and {MAX_PIXELS // 1_000_000} megapixels."
        )
    if probe.fps is not None and probe.fps > MAX_FPS:
        raise PermanentJobError(
            f"The video states {probe.fps:.0f} frames per second, which cannot be right."
        )


def _hours(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} seconds"
    if seconds < 3600:
        return f"{seconds / 60:.0f} minutes"
    return f"{seconds / 3600:.1f} hours"

"""H.264 High profile levels: the lowest level a rung fits, so players know they can decode it."""

from __future__ import annotations

import math

PROFILE = "high"

# (level, max frame size in macroblocks, max macroblocks per second, max bit rate in bit/s for
# High profile) from the H.264 spec's Table A-1; High's bit rate is 1.25x Main's.
_LEVELS = (
    ("3.0", 1_620, 40_500, 12_500_000),
    ("3.1", 3_600, 108_000, 17_500_000),
    ("3.2", 5_120, 216_000, 25_000_000),
    ("4.0", 8_192, 245_760, 25_000_000),
    ("4.1", 8_192, 245_760, 62_500_000),
    ("4.2", 8_704, 522_240, 62_500_000),
    ("5.0", 22_080, 589_824, 168_750_000),
    ("5.1", 36_864, 983_040, 300_000_000),
    ("5.2", 36_864, 2_073_600, 300_000_000),
    ("6.0", 139_264, 4_177_920, 300_000_000),
    ("6.1", 139_264, 8_355_840, 600_000_000),
    ("6.2", 139_264, 16_711_680, 960_000_000),
)


def level_for(width: int, height: int, fps: float, maxrate: int) -> str:
    """The lowest level (3.0 at least) that allows this picture size, frame rate and bit rate."""
    wide, high = math.ceil(width / 16), math.ceil(height / 16)
    frame = wide * high
    for level, max_frame, max_rate, max_bits in _LEVELS:
        side_fits = max(wide, high) ** 2 <= 8 * max_frame
        if frame <= max_frame and side_fits and frame * fps <= max_rate and maxrate <= max_bits:
            return level
    return _LEVELS[-1][0]

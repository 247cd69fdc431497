"""The largest pictures VideoForge reads: checked on the stated size before anything is decoded
(checks.py) and before the probe decodes a frame (pyav_probe.py)."""

from __future__ import annotations

MAX_SIDE = 8192  # pixels, either side
MAX_PIXELS = 8192 * 4320  # a little over 8K UHD
MAX_FPS = 1000.0  # beyond this the stated rate is nonsense, not a high-speed camera


def within_picture_limits(width: int, height: int) -> bool:
    return 0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE and width * height <= MAX_PIXELS

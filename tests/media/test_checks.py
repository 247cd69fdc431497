"""The limits check on stub probe results."""

from __future__ import annotations

from typing import Any

import pytest

from tests.media.stubs import video
from videoforge.config import Settings
from videoforge.media.checks import check_limits
from videoforge.media.errors import InputRejected


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"duration": 7 * 3600.0}, "7.0 hours long"),
        ({"duration": 0.0}, "does not say how long"),
        ({"duration": float("nan")}, "does not say how long"),
        ({"width": 20000, "height": 20000}, "20000x20000"),
        ({"width": 8000, "height": 8000}, "megapixels"),
        ({"width": 0}, "picture size"),
        ({"fps": 90000.0}, "frames per second"),
    ],
)
def test_limits(changes: dict[str, Any], reason: str) -> None:
    with pytest.raises(InputRejected, match=reason):
        check_limits(video(**changes), Settings())


def test_within_limits() -> None:
    check_limits(video(3840, 2160, duration=3600.0), Settings())

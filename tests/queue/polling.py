"""Wait for a state instead of sleeping a guessed amount (no timing assumptions in tests)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def eventually(probe: Callable[[], T], timeout: float = 15, interval: float = 0.02) -> T:
    """Call `probe` until it returns something truthy; return that. Fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not reached within {timeout} s: {probe}")
        time.sleep(interval)

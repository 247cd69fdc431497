"""The retry decision: capped exponential backoff with jitter, then the dead-letter queue."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from videoforge.worker.retry import DEAD_LETTER, RetryPolicy, decide_retry


def test_delay_doubles_per_attempt() -> None:
    delays = [
        decide_retry(n, max_receives=10, base_seconds=5, max_seconds=1000, rand=lambda: 1.0)
        for n in (1, 2, 3, 4)
    ]

    assert all(d.retry for d in delays)
    assert [d.delay_seconds for d in delays] == [5, 10, 20, 40]


def test_delay_is_capped() -> None:
    decision = decide_retry(9, max_receives=10, base_seconds=5, max_seconds=60, rand=lambda: 1.0)

    assert decision.delay_seconds == 60


def test_jitter_takes_up_to_half_the_delay() -> None:
    no_luck = decide_retry(3, max_receives=10, base_seconds=5, max_seconds=1000, rand=lambda: 0.0)

    assert no_luck.delay_seconds == 10  # half of 20


def test_dead_letter_once_receives_are_used_up() -> None:
    assert decide_retry(3, max_receives=3, base_seconds=5, max_seconds=60) == DEAD_LETTER
    assert decide_retry(4, max_receives=3, base_seconds=5, max_seconds=60) == DEAD_LETTER
    assert decide_retry(2, max_receives=3, base_seconds=5, max_seconds=60).retry


def test_single_receive_never_retries() -> None:
    assert RetryPolicy(max_receives=1, base_seconds=5, max_seconds=60).decide(1) == DEAD_LETTER


@given(
    receive_count=st.integers(min_value=1, max_value=10_000),
    base=st.floats(min_value=0, max_value=1e4),
    cap=st.floats(min_value=0, max_value=1e5),
    luck=st.floats(min_value=0, max_value=1, exclude_max=True),
)
def test_delay_stays_within_bounds(
    receive_count: int, base: float, cap: float, luck: float
) -> None:
    decision = decide_retry(receive_count, 10_001, base, cap, rand=lambda: luck)

    assert decision.retry
    assert min(cap, base) / 2 <= decision.delay_seconds * (1 + 1e-9)
    assert decision.delay_seconds <= cap * (1 + 1e-9)

"""When a job attempt fails: try again later (capped exponential backoff with jitter), or give up.

A pure decision, kept apart from the loop so it can be tested on its own.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RetryDecision:
    retry: bool
    delay_seconds: float = 0.0


DEAD_LETTER = RetryDecision(retry=False)


@dataclass(frozen=True)
class RetryPolicy:
    max_receives: int
    base_seconds: float
    max_seconds: float

    def decide(
        self, receive_count: int, rand: Callable[[], float] = random.random
    ) -> RetryDecision:
        return decide_retry(
            receive_count, self.max_receives, self.base_seconds, self.max_seconds, rand
        )


def decide_retry(
    receive_count: int,
    max_receives: int,
    base_seconds: float,
    max_seconds: float,
    rand: Callable[[], float] = random.random,
) -> RetryDecision:
    """Decide after the `receive_count`-th delivery of a message failed.

    The delay doubles with each attempt from `base_seconds`, capped at `max_seconds`; half of
    it is random ("equal jitter") so that jobs which failed together do not retry together.
    `rand` returns a float in [0, 1) and is a parameter so tests can pin it.
    """
    if receive_count >= max_receives:
        return DEAD_LETTER
    exponent = max(receive_count - 1, 0)
    # min() before the power would overflow on absurd counts; cap the exponent instead.
    ceiling = min(max_seconds, base_seconds * 2 ** min(exponent, 60))
    return RetryDecision(retry=True, delay_seconds=ceiling / 2 + rand() * ceiling / 2)

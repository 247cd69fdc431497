"""The contract between the worker loop (queue plumbing) and what it runs (the processor)."""

from __future__ import annotations

import threading
from typing import Any, Protocol


class PermanentJobError(Exception):
    """The input can never succeed (not a video, corrupt, too large): fail now, never retry.

    The message is shown to the user as the reason, so write it for a person.
    """


class JobHandler(Protocol):
    def run(self, body: dict[str, Any], attempt: int, stop: threading.Event) -> None:
        """Do the job. `stop` is set when the lease is lost, the job cancelled or the process
        stops: return promptly (raise) when it is. Must be safe to run again on redelivery."""
        ...

    def retrying(self, body: dict[str, Any], error: str, delay_seconds: float) -> None:
        """The attempt failed and the job will be tried again after delay_seconds."""
        ...

    def give_up(self, body: dict[str, Any], error: str, *, dead_lettered: bool) -> None:
        """The job failed for good (permanent error, or moved to the dead-letter queue)."""
        ...

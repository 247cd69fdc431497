"""Running a job's queue messages by hand, one at a time and in any order: how the split-job
tests make workers' interleavings happen deterministically."""

from __future__ import annotations

import threading
from typing import Any

from videoforge.context import Context
from videoforge.processor.tasks import ProcessVideo


def take_all(ctx: Context) -> list[dict[str, Any]]:
    """Every queued message's body, taken off the queue."""
    bodies = []
    while messages := ctx.queue.receive(60, max_messages=10):
        for message in messages:
            ctx.queue.delete(message.receipt)
            bodies.append(message.body)
    return bodies


def run(ctx: Context, body: dict[str, Any]) -> None:
    """One message, run as a worker would on its first attempt."""
    ProcessVideo(ctx).run(body, attempt=1, stop=threading.Event())

"""How long a task waits on the real job queue (SqlQueue on SQLite), for the chunk simulation.

A worker thread polls as worker/loop.py does: receive one message, or wait the poll interval
when there is none. Two figures:
- idle: from `send` until an idle worker has received it (messages sent at evenly spread
  moments of its poll cycle, so the mean is not luck);
- taking: receive + delete of a message already waiting, as a busy worker does between tasks.
"""

from __future__ import annotations

import statistics
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from videoforge.db import make_engine, migrate
from videoforge.queue.sql import SqlQueue

VISIBILITY_SECONDS = 60.0


@dataclass(frozen=True)
class QueueLatency:
    idle: float  # seconds, mean
    taking: float  # seconds, mean
    poll_seconds: float


def measure(work_dir: Path, poll_seconds: float, samples: int = 6) -> QueueLatency:
    work_dir.mkdir(parents=True, exist_ok=True)
    database = work_dir / "queue.sqlite"
    database.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{database}")
    migrate(engine)
    queue = SqlQueue(engine, name="bench", max_receives=5)
    try:
        return QueueLatency(
            idle=_idle(queue, poll_seconds, samples),
            taking=_taking(queue, samples * 4),
            poll_seconds=poll_seconds,
        )
    finally:
        engine.dispose()


def _idle(queue: SqlQueue, poll_seconds: float, samples: int) -> float:
    received: list[float] = []
    stop = threading.Event()

    def poll() -> None:  # worker/loop.py's _work, minus the job
        while not stop.is_set():
            messages = queue.receive(VISIBILITY_SECONDS, max_messages=1)
            if not messages:
                stop.wait(poll_seconds)
                continue
            for message in messages:
                received.append(time.monotonic() - float(message.body["sent"]))
                queue.delete(message.receipt)

    worker = threading.Thread(target=poll, name="bench-queue-poller")
    worker.start()
    try:
        for sample in range(samples):
            time.sleep(poll_seconds * (1 + sample / samples))  # a different phase each time
            queue.send({"sent": time.monotonic()})
            deadline = time.monotonic() + poll_seconds * 3 + 5
            while len(received) <= sample and time.monotonic() < deadline:
                time.sleep(0.005)
    finally:
        stop.set()
        worker.join()
    if len(received) < samples:
        raise RuntimeError("the polling worker did not receive every message")
    return statistics.fmean(received)


def _taking(queue: SqlQueue, samples: int) -> float:
    for _ in range(samples):
        queue.send({"sent": time.monotonic()})
    times = []
    for _ in range(samples):
        started = time.monotonic()
        (message,) = queue.receive(VISIBILITY_SECONDS, max_messages=1)
        queue.delete(message.receipt)
        times.append(time.monotonic() - started)
    return statistics.fmean(times)

"""WorkerPool on a real SqlQueue (SQLite) with a scripted in-test handler."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.queue.polling import eventually
from videoforge.config import Settings, load_settings
from videoforge.db import Base, make_engine
from videoforge.queue.base import JobQueue
from videoforge.queue.sql import SqlQueue
from videoforge.worker.base import PermanentJobError
from videoforge.worker.loop import INTERRUPTED, WorkerPool

Behaviour = Callable[[int, threading.Event], None]


def succeed(attempt: int, stop: threading.Event) -> None:
    pass


def fail(attempt: int, stop: threading.Event) -> None:
    raise RuntimeError(f"transcoder crashed on attempt {attempt}")


def wait_for_stop(attempt: int, stop: threading.Event) -> None:
    if not stop.wait(30):
        raise AssertionError("the stop flag was never set")
    raise InterruptedError("stopped")


@dataclass
class ScriptedHandler:
    """Runs `behaviour` and records every call the pool makes."""

    behaviour: Behaviour
    attempts: list[int] = field(default_factory=list)
    stops: list[threading.Event] = field(default_factory=list)
    retries: list[tuple[str, float]] = field(default_factory=list)
    give_ups: list[tuple[str, bool]] = field(default_factory=list)
    running: threading.Event = field(default_factory=threading.Event)

    def run(self, body: dict[str, Any], attempt: int, stop: threading.Event) -> None:
        self.attempts.append(attempt)
        self.stops.append(stop)
        self.running.set()
        self.behaviour(attempt, stop)

    def retrying(self, body: dict[str, Any], error: str, delay_seconds: float) -> None:
        self.retries.append((error, delay_seconds))

    def give_up(self, body: dict[str, Any], error: str, *, dead_lettered: bool) -> None:
        self.give_ups.append((error, dead_lettered))


@dataclass
class WorkerCtx:
    settings: Settings
    queue: JobQueue


class ControlledHeartbeat:
    """A queue whose lease extensions the test can hold back (a stalled heartbeat) and count."""

    def __init__(self, queue: JobQueue) -> None:
        self.queue = queue
        self.beating = threading.Event()
        self.beating.set()
        self.extended = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.queue, name)

    def extend(self, receipt: str, visibility_timeout: float) -> bool:
        if not self.beating.is_set():
            return True  # pretend: the lease is left to run out
        kept = self.queue.extend(receipt, visibility_timeout)
        self.extended += kept
        return kept


@pytest.fixture
def queue(tmp_path: Path) -> Iterator[SqlQueue]:
    engine = make_engine(f"sqlite:///{tmp_path / 'queue.db'}")
    Base.metadata.create_all(engine)
    yield SqlQueue(engine, name="jobs", max_receives=3)
    engine.dispose()


def pool_for(tmp_path: Path, queue: Any, handler: ScriptedHandler, **overrides: Any) -> WorkerPool:
    defaults: dict[str, Any] = {
        "queue_poll_seconds": 0.05,
        "queue_visibility_timeout_seconds": 30,
        "retry_base_seconds": 0.05,
        "retry_max_seconds": 0.2,
    }
    settings = load_settings(data_dir=tmp_path / "var", **(defaults | overrides))
    return WorkerPool(WorkerCtx(settings, queue), handler)


@pytest.fixture
def running(tmp_path: Path, queue: SqlQueue) -> Iterator[Callable[..., WorkerPool]]:
    """Start pools that are stopped at the end of the test, whatever happens."""
    pools: list[WorkerPool] = []

    def start(handler: ScriptedHandler, on: Any = queue, **overrides: Any) -> WorkerPool:
        pool = pool_for(tmp_path, on, handler, **overrides)
        pools.append(pool)
        pool.start()
        return pool

    yield start
    for pool in pools:
        pool.stop(timeout=10)


def settled(queue: SqlQueue) -> bool:
    depth = queue.depth()
    return depth["visible"] == depth["in_flight"] == depth["delayed"] == 0


def test_success_deletes_the_message(queue: SqlQueue, running: Callable[..., WorkerPool]) -> None:
    handler = ScriptedHandler(succeed)
    queue.send({"jobId": "j1"})
    running(handler)

    eventually(lambda: settled(queue))

    assert handler.attempts == [1]
    assert (handler.retries, handler.give_ups) == ([], [])
    assert queue.depth()["dead"] == 0


def test_transient_failures_are_retried_with_backoff(
    queue: SqlQueue, running: Callable[..., WorkerPool]
) -> None:
    def flaky(attempt: int, stop: threading.Event) -> None:
        if attempt < 3:
            fail(attempt, stop)

    handler = ScriptedHandler(flaky)
    queue.send({"jobId": "j1"})
    running(handler)

    eventually(lambda: handler.attempts == [1, 2, 3] and settled(queue))

    assert [error for error, _ in handler.retries] == [
        "RuntimeError: transcoder crashed on attempt 1",
        "RuntimeError: transcoder crashed on attempt 2",
    ]
    assert all(0 < delay <= 0.2 for _, delay in handler.retries)
    assert handler.give_ups == []


def test_permanent_error_gives_up_without_retrying(
    queue: SqlQueue, running: Callable[..., WorkerPool]
) -> None:
    def not_a_video(attempt: int, stop: threading.Event) -> None:
        raise PermanentJobError("The file is not a video.")

    handler = ScriptedHandler(not_a_video)
    queue.send({"jobId": "j1"})
    running(handler)

    eventually(lambda: handler.give_ups and settled(queue))

    assert handler.give_ups == [("The file is not a video.", False)]
    assert handler.attempts == [1]
    assert handler.retries == []
    assert queue.depth()["dead"] == 0


def test_always_failing_job_is_dead_lettered(
    queue: SqlQueue, running: Callable[..., WorkerPool]
) -> None:
    handler = ScriptedHandler(fail)
    queue.send({"jobId": "j1"})
    running(handler)

    eventually(lambda: handler.give_ups)

    assert handler.attempts == [1, 2, 3]
    assert len(handler.retries) == 2
    assert handler.give_ups == [("RuntimeError: transcoder crashed on attempt 3", True)]
    [dead] = queue.list_dead()
    assert dead.last_error == "RuntimeError: transcoder crashed on attempt 3"


def test_lost_lease_sets_the_stop_flag_and_leaves_the_message_alone(
    queue: SqlQueue, running: Callable[..., WorkerPool]
) -> None:
    stalled = ControlledHeartbeat(queue)
    stalled.beating.clear()
    handler = ScriptedHandler(wait_for_stop)
    queue.send({"jobId": "j1"})
    pool = running(handler, on=stalled, queue_visibility_timeout_seconds=0.3)
    assert handler.running.wait(10)

    # The lease runs out under the running job and another receiver takes the message.
    [taken] = eventually(lambda: queue.receive(60))
    stalled.beating.set()

    assert handler.stops[0].wait(10)
    eventually(lambda: pool.running_jobs == 0)
    assert queue.extend(taken.receipt, 60)  # not deleted, not released: the new holder has it
    assert queue.depth()["in_flight"] == 1
    assert (handler.retries, handler.give_ups) == ([], [])
    assert handler.attempts == [1]


def test_stop_releases_an_interrupted_job_for_immediate_redelivery(
    tmp_path: Path, queue: SqlQueue
) -> None:
    handler = ScriptedHandler(wait_for_stop)
    message_id = queue.send({"jobId": "j1"})
    pool = pool_for(tmp_path, queue, handler)
    pool.start()
    assert handler.running.wait(10)

    pool.stop(timeout=10)

    assert handler.stops[0].is_set()
    assert handler.retries == [(INTERRUPTED, 0)]
    [again] = queue.receive(60)
    assert (again.id, again.receive_count) == (message_id, 2)


def test_lease_is_extended_while_a_long_job_runs(
    queue: SqlQueue, running: Callable[..., WorkerPool]
) -> None:
    counted = ControlledHeartbeat(queue)

    def long_job(attempt: int, stop: threading.Event) -> None:
        # Outlive the lease several times over: run until the heartbeat has extended it 4 times.
        eventually(lambda: counted.extended >= 4 or stop.is_set())

    handler = ScriptedHandler(long_job)
    queue.send({"jobId": "j1"})
    running(handler, on=counted, queue_visibility_timeout_seconds=1.0, worker_concurrency=2)

    eventually(lambda: settled(queue) and handler.attempts)

    assert handler.attempts == [1]
    assert not handler.stops[0].is_set()
    assert (handler.retries, handler.give_ups) == ([], [])

"""The scaling signal: backlog per worker, as JSON (/api/scaling) and Prometheus (/api/metrics).

The original scaled its workers on "visible messages / in-service instances" with a target of 5.
Queue depths come from the queue itself (database or SQS). Worker processes are counted from
the `workers` table, where each process keeps a row fresh while it runs (`WorkerPresence`):
the database is the one thing every process of a split deployment shares, on any machine.
"""

from __future__ import annotations

import logging
import math
import os
import socket
import threading
from datetime import timedelta
from typing import cast

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse
from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.engine import Engine

from videoforge.api_model import ApiModel
from videoforge.config import Settings
from videoforge.db import WorkerProcess, new_id, utcnow
from videoforge.deps import CtxDep
from videoforge.errors import ServiceUnavailable

log = logging.getLogger(__name__)

_workers = cast(Table, WorkerProcess.__table__)
# A worker that missed this many heartbeats in a row counts as gone.
MISSED_HEARTBEATS = 3
# Rows of workers that died without saying goodbye are removed after this long.
FORGET_AFTER = timedelta(hours=1)
PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class WorkerPresence:
    """Keeps this process's row in `workers` fresh while its worker pool runs."""

    def __init__(self, engine: Engine, concurrency: int, interval_seconds: float) -> None:
        self.engine = engine
        self.concurrency = concurrency
        self.interval = interval_seconds
        self.id = new_id()
        self._stopping = threading.Event()
        self._thread = threading.Thread(
            target=self._beat, name="videoforge-worker-presence", daemon=True
        )

    def start(self) -> None:
        self._report()  # counted from the first moment, not one interval later
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(self.interval)
        try:
            with self.engine.begin() as conn:
                conn.execute(delete(_workers).where(_workers.c.id == self.id))
        except Exception:
            log.warning("could not remove this worker's heartbeat row", exc_info=True)

    def _beat(self) -> None:
        while not self._stopping.wait(self.interval):
            self._report()

    def _report(self) -> None:
        now = utcnow()
        try:
            with self.engine.begin() as conn:
                fresh = conn.execute(
                    update(_workers).where(_workers.c.id == self.id).values(last_seen=now)
                )
                if fresh.rowcount == 0:  # first beat, or the row was forgotten meanwhile
                    conn.execute(
                        insert(_workers).values(
                            id=self.id,
                            host=socket.gethostname()[:255],
                            pid=os.getpid(),
                            concurrency=self.concurrency,
                            started_at=now,
                            last_seen=now,
                        )
                    )
                conn.execute(delete(_workers).where(_workers.c.last_seen < now - FORGET_AFTER))
        except Exception:
            log.warning("could not report this worker's heartbeat", exc_info=True)


class ScalingSignal(ApiModel):
    """What a target-tracking scaler needs; `backlog_per_worker` is the tracked metric."""

    visible: int
    in_flight: int
    delayed: int
    dead: int
    workers: int
    worker_slots: int
    backlog_per_worker: float
    target: float
    min_workers: int
    max_workers: int
    desired_workers: int


def running_workers(engine: Engine, settings: Settings) -> tuple[int, int]:
    """(worker processes alive, jobs they can run at once)."""
    since = utcnow() - timedelta(seconds=settings.worker_heartbeat_seconds * MISSED_HEARTBEATS)
    query = select(func.count(), func.coalesce(func.sum(_workers.c.concurrency), 0)).where(
        _workers.c.last_seen >= since
    )
    with engine.connect() as conn:
        processes, slots = conn.execute(query).one()
    return int(processes), int(slots)


def scaling_signal(
    depth: dict[str, int], workers: int, slots: int, settings: Settings
) -> ScalingSignal:
    visible = depth["visible"]
    target = settings.scaling_target_backlog
    # With no worker yet, the whole backlog counts as one worker's, so a scaler starts one.
    backlog = visible / max(workers, 1)
    desired = min(
        max(math.ceil(visible / target), settings.scaling_min_workers),
        settings.scaling_max_workers,
    )
    return ScalingSignal(
        visible=visible,
        in_flight=depth["in_flight"],
        delayed=depth["delayed"],
        dead=depth["dead"],
        workers=workers,
        worker_slots=slots,
        backlog_per_worker=round(backlog, 3),
        target=target,
        min_workers=settings.scaling_min_workers,
        max_workers=settings.scaling_max_workers,
        desired_workers=desired,
    )


def prometheus_text(signal: ScalingSignal) -> str:
    """The signal in Prometheus' text exposition format (version 0.0.4)."""
    lines: list[str] = []

    def gauge(name: str, help_text: str, samples: list[tuple[str, float]]) -> None:
        lines.append(f"# HELP videoforge_{name} {help_text}")
        lines.append(f"# TYPE videoforge_{name} gauge")
        lines.extend(f"videoforge_{name}{labels} {value:g}" for labels, value in samples)

    states = ("visible", "in_flight", "delayed", "dead")
    gauge(
        "queue_messages",
        "Messages in the job queue by state (dead: in the dead-letter queue).",
        [(f'{{state="{state}"}}', getattr(signal, state)) for state in states],
    )
    gauge("workers_running", "Worker processes with a recent heartbeat.", [("", signal.workers)])
    gauge("worker_slots", "Jobs the running workers can run at once.", [("", signal.worker_slots)])
    gauge(
        "backlog_per_worker",
        "Visible messages per running worker process (the target-tracking metric).",
        [("", signal.backlog_per_worker)],
    )
    gauge("backlog_target", "Backlog per worker to keep.", [("", signal.target)])
    gauge(
        "desired_workers",
        "Worker processes the backlog calls for, within the configured bounds.",
        [("", signal.desired_workers)],
    )
    return "\n".join(lines) + "\n"


router = APIRouter(tags=["health"])


def _current(ctx: CtxDep) -> ScalingSignal:
    try:
        depth = ctx.queue.depth()
        workers, slots = running_workers(ctx.engine, ctx.settings)
    except Exception as exc:
        raise ServiceUnavailable(f"The job queue or the database did not answer: {exc}") from exc
    return scaling_signal(depth, workers, slots, ctx.settings)


@router.get("/api/scaling", response_model=ScalingSignal)
def scaling(ctx: CtxDep) -> ScalingSignal:
    """Backlog per worker and the worker count it calls for (target tracking, as the original)."""
    return _current(ctx)


@router.get("/api/metrics", response_class=PlainTextResponse)
def metrics(ctx: CtxDep) -> PlainTextResponse:
    """The same signal for Prometheus (and KEDA or anything that reads it)."""
    return PlainTextResponse(prometheus_text(_current(ctx)), media_type=PROMETHEUS_CONTENT_TYPE)

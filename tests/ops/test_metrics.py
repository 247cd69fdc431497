"""The scaling signal: worker heartbeats in the database, backlog per worker, both endpoints."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from videoforge.config import Settings
from videoforge.context import Context
from videoforge.db import WorkerProcess, make_engine, migrate, utcnow
from videoforge.doctor import diagnose
from videoforge.metrics import (
    MISSED_HEARTBEATS,
    WorkerPresence,
    running_workers,
    scaling_signal,
)

EMPTY = {"visible": 0, "in_flight": 0, "delayed": 0, "dead": 0}


@pytest.mark.parametrize(
    ("visible", "workers", "backlog", "desired"),
    [
        (12, 2, 6.0, 3),  # ceil(12 / 5) = 3
        (10, 2, 5.0, 2),  # on target
        (100, 3, 33.333, 3),  # capped at the maximum
        (0, 3, 0.0, 1),  # never below the minimum
        (7, 0, 7.0, 2),  # no worker yet: the whole backlog is the first one's
    ],
)
def test_target_tracking(
    settings: Settings, visible: int, workers: int, backlog: float, desired: int
) -> None:
    signal = scaling_signal({**EMPTY, "visible": visible}, workers, workers * 2, settings)
    assert signal.backlog_per_worker == backlog
    assert signal.desired_workers == desired
    assert (signal.target, signal.min_workers, signal.max_workers) == (5.0, 1, 3)


def test_bounds_come_from_settings(settings: Settings) -> None:
    wide = settings.model_copy(
        update={"scaling_target_backlog": 2.0, "scaling_min_workers": 0, "scaling_max_workers": 10}
    )
    assert scaling_signal(EMPTY, 0, 0, wide).desired_workers == 0
    assert scaling_signal({**EMPTY, "visible": 9}, 1, 1, wide).desired_workers == 5


def test_workers_are_counted_while_their_heartbeat_is_fresh(ctx: Context) -> None:
    first = WorkerPresence(ctx.engine, concurrency=2, interval_seconds=60)
    second = WorkerPresence(ctx.engine, concurrency=1, interval_seconds=60)
    assert running_workers(ctx.engine, ctx.settings) == (0, 0)
    first.start()
    second.start()
    assert running_workers(ctx.engine, ctx.settings) == (2, 3)

    # A worker that stopped beating (its machine died) no longer counts.
    missed = timedelta(seconds=ctx.settings.worker_heartbeat_seconds * (MISSED_HEARTBEATS + 1))
    with ctx.engine.begin() as conn:
        conn.execute(
            update(WorkerProcess)
            .where(WorkerProcess.id == second.id)
            .values(last_seen=utcnow() - missed)
        )
    assert running_workers(ctx.engine, ctx.settings) == (1, 2)

    first.stop()  # a clean stop takes the row away at once
    second.stop()
    assert running_workers(ctx.engine, ctx.settings) == (0, 0)


def test_scaling_endpoint(client: TestClient) -> None:
    ctx: Context = client.app.state.ctx  # type: ignore[attr-defined]
    for n in range(11):
        ctx.queue.send({"jobId": f"job-{n}"})
    ctx.queue.receive(visibility_timeout=60)
    presence = WorkerPresence(ctx.engine, concurrency=2, interval_seconds=60)
    presence.start()
    try:
        answer = client.get("/api/scaling")
    finally:
        presence.stop()
    assert answer.status_code == 200
    assert answer.json() == {
        "visible": 10,
        "inFlight": 1,
        "delayed": 0,
        "dead": 0,
        "workers": 1,
        "workerSlots": 2,
        "backlogPerWorker": 10.0,
        "target": 5.0,
        "minWorkers": 1,
        "maxWorkers": 3,
        "desiredWorkers": 2,
    }


SAMPLE = re.compile(r'^videoforge_[a-z_]+(\{state="[a-z_]+"\})? -?[0-9.e+]+$')


def test_prometheus_metrics(client: TestClient) -> None:
    ctx: Context = client.app.state.ctx  # type: ignore[attr-defined]
    for n in range(3):
        ctx.queue.send({"jobId": f"job-{n}"})
    answer = client.get("/api/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain; version=0.0.4")
    lines = answer.text.splitlines()
    samples = dict(line.rsplit(" ", 1) for line in lines if not line.startswith("#"))
    assert all(SAMPLE.match(line) for line in lines if not line.startswith("#"))
    assert samples['videoforge_queue_messages{state="visible"}'] == "3"
    assert samples['videoforge_queue_messages{state="dead"}'] == "0"
    assert samples["videoforge_workers_running"] == "0"
    assert samples["videoforge_backlog_per_worker"] == "3"
    assert samples["videoforge_desired_workers"] == "1"
    for name in ("queue_messages", "workers_running", "backlog_per_worker"):
        assert f"# TYPE videoforge_{name} gauge" in lines


def test_heartbeats_and_schema_check_on_postgresql(
    empty_postgres_url: str, settings: Settings
) -> None:
    postgres_url = empty_postgres_url
    on_postgres = settings.model_copy(update={"database_url": postgres_url})
    engine = make_engine(postgres_url)
    try:
        migrate(engine)
        presence = WorkerPresence(engine, concurrency=3, interval_seconds=60)
        presence.start()
        assert running_workers(engine, on_postgres) == (1, 3)
        presence.stop()
        assert running_workers(engine, on_postgres) == (0, 0)
    finally:
        engine.dispose()
    findings = {f.check: f for f in diagnose(on_postgres)}
    assert findings["database"].ok and findings["schema"].ok and findings["queue"].ok

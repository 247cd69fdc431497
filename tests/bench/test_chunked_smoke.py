"""The chunked benchmark on a tiny source (no timing assertions: the numbers of a 6-second
320x240 run mean nothing, but every row and number must be there), and its simulation's
arithmetic."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench.chunk_sim import CostModel, makespan, predict, wall_on
from bench.chunked import (
    bench,
    favoured_table,
    fit_model,
    main,
    measured_table,
    predict_run,
    simulation_table,
    validate,
)
from bench.queue_latency import QueueLatency

from videoforge.config import Settings
from videoforge.media.chunks import ChunkFloor


def test_makespan_takes_tasks_in_order_on_the_first_free_worker() -> None:
    assert makespan([4, 1, 1, 1, 1], 1, 0.0) == 8
    assert makespan([4, 1, 1, 1, 1], 2, 0.0) == 4
    assert makespan([1, 1, 1, 1], 2, 0.5) == 3
    assert predict(1.0, [2, 2], 3, queue_latency=0.0, final_step=0.25) == 2.25
    assert makespan([1, 1, 1, 1], 2, 0.0, idle_latency=0.5) == 2.5  # each worker's first poll


def test_a_task_runs_on_the_cores_it_can_keep_busy() -> None:
    assert wall_on(8.0, 2, 1.6) == 5.0  # measured on 2 cores, kept 1.6 busy
    assert wall_on(8.0, 1, 1.6) == 8.0  # one core: all its CPU seconds in turn
    assert wall_on(8.0, 4, 1.6) == 5.0  # more cores than it uses change nothing


def test_cost_model_charges_what_chunks_cost_beyond_one_task() -> None:
    # One task: 60 s of video in 60 s. Chunked: six 10-s chunks of 11 s, audio 1 s.
    model = CostModel.fit(60.0, 60.0, [11.0] * 6, 1.0, final_step=0.0, queue_latency=0.0)
    assert model.per_chunk == pytest.approx(7 / 6)
    assert model.per_video_second == pytest.approx((66 - 7) / 60)
    assert model.cpu_overhead(60.0, 2, 10) == pytest.approx(66 / 59)
    assert model.simulate(60.0, 2, 10, 6) == pytest.approx(1.0 + 11.0)  # audio, then a chunk
    # The plan's floor: 10 minutes in 16 chunks, not 10 of 60 s.
    floor = ChunkFloor(16, 20)
    per_video = model.per_video_second * 600
    assert model.cpu_overhead(600.0, 2, 60, floor) == pytest.approx(1 + 16 * (7 / 6) / per_video)
    best = model.favoured_chunk(3600.0, 2, 8)
    two_cores = CostModel.fit(
        60.0, 60.0, [11.0] * 6, 1.0, final_step=0.0, queue_latency=0.0,
        chunk_walls=[6.875] * 6, cores=2,
    )  # fmt: skip
    assert two_cores.parallelism == pytest.approx(1.6)
    # A per-chunk cost measured apart replaces the one fitted (never below nothing).
    apart = CostModel.fit(
        60.0, 60.0, [11.0] * 6, 1.0, final_step=0.0, queue_latency=0.0, per_chunk=2.0
    )
    assert apart.per_chunk == 2.0 and apart.per_video_second == pytest.approx((66 - 12) / 60)
    assert CostModel.fit(60.0, 60.0, [9.0] * 6, 1.0, final_step=0, queue_latency=0).per_chunk == 0
    assert two_cores.chunk_seconds([10.0]) == pytest.approx([6.875])
    assert best is not None and model.cpu_overhead(3600.0, 2, best[0]) <= 1.05


@pytest.mark.slow
def test_every_run_is_measured(ffmpeg: str, tmp_path: Path) -> None:
    settings = Settings(x264_preset="ultrafast")
    one, runs, rungs, duration = bench(
        ffmpeg, settings, tmp_path, seconds=6, chunk_seconds=2, cores=2, size=(320, 240)
    )
    assert duration == pytest.approx(6, abs=0.1)
    assert [r.name for r in rungs] == ["240p"]
    assert [(r.workers, r.threads) for r in runs] == [(1, 2), (2, 1)]
    for run in [one, *runs]:
        assert run.wall > 0 and run.cpu > 0
        assert 0 < (run.first_playable or 0) <= run.wall
        assert 0.5 < (run.top_vs_source or 0) <= 1
    for run in runs:
        assert [t.name for t in run.tasks] == ["audio", "0", "1", "2"]
        assert all(t.wall > 0 for t in run.tasks) and predict_run(runs[0], run.workers, 1) > 0
        assert 0.5 < run.ssim["240p"] <= 1
    assert len({t.worker for t in runs[1].tasks}) == 2  # two processes took tasks

    queue = QueueLatency(idle=0.5, taking=0.002, poll_seconds=1.0)
    model = fit_model(one, runs, duration, queue)
    assert model.cores == 2 and model.parallelism > 0
    assert validate(runs).measured == runs[1].wall and validate(runs).predicted > 0
    assert measured_table(one, runs, rungs).row_count == 3
    assert simulation_table(one, runs, model).row_count == 2 + 4  # measured 1, 2; simulated
    assert favoured_table(model, settings.segment_seconds, ChunkFloor()).row_count == 3


@pytest.mark.slow
def test_command_line_run_prints_the_tables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--minutes", "0.1", "--size", "320x240", "--chunk-seconds", "2", "--probe-seconds", "4"]
    code = main([*args, "--preset", "ultrafast", "--work-dir", str(tmp_path), "--width", "200"])
    assert code == 0
    printed = capsys.readouterr().out
    for title in ("One task vs chunked", "Simulated workers", "Chunk length the simulation"):
        assert title in printed
    assert "chunked, 2 workers" in printed and "3 h" in printed
    assert "Check: the 2-worker run predicted from the 1-worker run only" in printed
    assert "Favoured chunk length, the rule: of the candidates" in printed
    assert "real queue (SQLite, poll" in printed
    assert (
        "CPU-s per chunk (measured apart: a 4-s source as one task and as 10-s chunks)" in printed
    )

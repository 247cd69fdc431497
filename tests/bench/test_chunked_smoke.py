"""The chunked benchmark on a tiny source (no timing assertions: the numbers of a 6-second
320x240 run mean nothing, but every row and number must be there), and its simulation's
arithmetic."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench.chunk_sim import CostModel, makespan, predict
from bench.chunked import bench, favoured_table, main, measured_table, simulation_table

from videoforge.config import Settings


def test_makespan_takes_tasks_in_order_on_the_first_free_worker() -> None:
    assert makespan([4, 1, 1, 1, 1], 1, 0.0) == 8
    assert makespan([4, 1, 1, 1, 1], 2, 0.0) == 4
    assert makespan([1, 1, 1, 1], 2, 0.5) == 3
    assert predict(1.0, [2, 2], 3, queue_latency=0.0, final_step=0.25) == 2.25


def test_cost_model_charges_what_chunks_cost_beyond_one_task() -> None:
    # One task: 60 s of video in 60 s. Chunked: six 10-s chunks of 11 s, audio 1 s.
    model = CostModel.fit(60.0, 60.0, [11.0] * 6, 1.0, final_step=0.0, queue_latency=0.0)
    assert model.per_chunk == pytest.approx(7 / 6)
    assert model.per_video_second == pytest.approx((66 - 7) / 60)
    assert model.cpu_overhead(60.0, 2, 10) == pytest.approx(66 / 59)
    assert model.simulate(60.0, 2, 10, 6) == pytest.approx(1.0 + 11.0)  # audio, then a chunk
    best = model.favoured_chunk(3600.0, 2, 8)
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
    for run in runs:
        assert [t.name for t in run.tasks] == ["audio", "0", "1", "2"]
        assert all(t.wall > 0 for t in run.tasks) and run.predicted() > 0
        assert 0.5 < run.ssim["240p"] <= 1
    assert len({t.worker for t in runs[1].tasks}) == 2  # two processes took tasks

    single = runs[0]
    model = CostModel.fit(
        one.wall, duration, single.chunk_walls, single.audio or 0.0,
        final_step=single.final_step, queue_latency=single.queue_latency,
    )  # fmt: skip
    assert measured_table(one, runs, rungs).row_count == 3
    assert simulation_table(one, runs, model).row_count == 2 + 4  # measured 1, 2; simulated
    assert favoured_table(model, settings.segment_seconds).row_count == 3


@pytest.mark.slow
def test_command_line_run_prints_the_tables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--minutes", "0.1", "--size", "320x240", "--chunk-seconds", "2"]
    code = main([*args, "--preset", "ultrafast", "--work-dir", str(tmp_path), "--width", "200"])
    assert code == 0
    printed = capsys.readouterr().out
    for title in ("One task vs chunked", "Simulated workers", "Chunk length the simulation"):
        assert title in printed
    assert "chunked, 2 workers" in printed and "3 h" in printed

"""The transcoding benchmark's code on a tiny source (no timing assertions: the numbers of a
2-second 320x240 run mean nothing, but every row and number must be there)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bench.report import rung_table, summary_table, targets, targets_table
from bench.sources import FRACTAL_720P60, GRAINY_1080P30
from bench.transcode import bench_source, main

from videoforge.config import Settings

pytestmark = pytest.mark.slow


def test_every_way_is_measured(ffmpeg: str, tmp_path: Path) -> None:
    settings = Settings(x264_preset="ultrafast")
    result = bench_source(
        ffmpeg, GRAINY_1080P30, settings, tmp_path, seconds=2, size=(320, 240), every=5
    )
    assert list(result.ways) == ["videoforge", "naive", "handwritten"]
    assert [r["name"] for r in result.rungs] == ["240p"]
    for way in result.ways.values():
        assert way.wall > 0 and way.cpu > 0
        assert set(way.bitrate) == {"240p", "audio"} and min(way.bitrate.values()) > 0
        assert set(way.quality) == {"240p"} and 0 < way.quality["240p"] <= 100
    assert 0 < (result.ways["videoforge"].first_playable or 0) <= result.ways["videoforge"].wall
    assert set(result.ways["naive"].steps) == {"audio", "240p"}

    assert rung_table(result).row_count == 2  # 240p and audio
    assert summary_table(result).row_count == 3
    assert [t.what for t in targets(result)] == [
        "wall vs naive", "VMAF vs naive (worst rung)", "wall vs hand-written", "first playable",
    ]  # fmt: skip
    assert targets_table([result]).row_count == 4


def test_command_line_run_writes_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bench.json"
    code = main(
        [
            *("--duration", "1", "--size", "320x240", "--preset", "ultrafast"),
            *("--metric", "ssim", "--work-dir", str(tmp_path), "--json", str(out)),
            *("--width", "200"),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "Targets (issue 3)" in printed and "fractal-720p60" in printed
    numbers = json.loads(out.read_text())
    assert [r["name"] for r in numbers] == [GRAINY_1080P30.name, FRACTAL_720P60.name]
    for result in numbers:
        assert result["metric"] == "ssim"
        for way in result["ways"].values():
            assert way["wall"] > 0 and 0 < way["quality"]["240p"] <= 1

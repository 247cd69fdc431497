"""The chaos benchmark's code on tiny clips: one round of each kind, each kill aimed at the middle
of the upload (no timing assertions; what is checked is what survived the kills)."""

from __future__ import annotations

import pytest
from bench.chaos import (
    COLUMNS,
    ChaosOptions,
    ChaosResult,
    chaos_table,
    describe_round,
    run_chaos,
)
from bench.chaos_audit import Orphans
from bench.chaos_rounds import RoundResult
from rich.console import Console

pytestmark = pytest.mark.slow

OPTIONS = ChaosOptions(
    rounds=3,  # one of each kind
    seed=3,
    upload_seconds=1.0,
    upload_clip_seconds=2.0,
    transcode_clip_seconds=3.0,
    tus_chunks=1,  # one PATCH, so that the kill lands inside it
    upload_kill_window=(0.4, 0.8),
)


@pytest.fixture(scope="module")
def chaos(tmp_path_factory: pytest.TempPathFactory, session_ffmpeg: str) -> ChaosResult:
    work_dir = tmp_path_factory.mktemp("chaos")
    return run_chaos(work_dir, session_ffmpeg, OPTIONS, Console(quiet=True))


def round_of(chaos: ChaosResult, kind: str) -> RoundResult:
    [found] = [r for r in chaos.rounds if r.kind == kind]
    return found


def test_one_table_row_per_round_kind_and_a_total(chaos: ChaosResult) -> None:
    assert sorted(r.kind for r in chaos.rounds) == ["form", "transcode", "tus"]
    table = chaos_table(chaos)
    assert [c.header for c in table.columns] == list(COLUMNS)
    assert table.row_count == 4
    kinds = [str(cell) for cell in table.columns[0].cells]
    assert sorted(kinds[:3]) == ["form", "transcode", "tus"] and kinds[3] == "all"
    assert list(table.columns[1].cells) == ["1", "1", "1", "3"]
    for result in chaos.rounds:
        assert result.seconds > 0
        if result.kind != "transcode":
            low, high = OPTIONS.upload_kill_window
            assert (
                low * OPTIONS.upload_seconds <= result.kill_after <= high * OPTIONS.upload_seconds
            )
    assert chaos.problems_after_stop == []  # the undisturbed calibration video is whole


@pytest.mark.parametrize("kind", ["form", "transcode"])
def test_form_uploads_and_transcodes_lose_nothing(chaos: ChaosResult, kind: str) -> None:
    result = round_of(chaos, kind)
    what = describe_round(result)
    assert result.lost == [] and result.corrupt == [], what
    assert result.orphans == Orphans(), what  # rows, objects, ffmpeg processes
    assert not (chaos.after_stop.rows or chaos.after_stop.processes), chaos.after_stop


def test_a_tus_upload_killed_mid_patch_resumes_byte_identical(chaos: ChaosResult) -> None:
    result = round_of(chaos, "tus")
    assert result.lost == [] and result.corrupt == [], describe_round(result)
    assert result.orphans == Orphans(), describe_round(result)

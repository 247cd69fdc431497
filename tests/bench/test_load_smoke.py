"""The load benchmark's code on tiny settings (no timing assertions: a few seconds on a shared
machine mean nothing, but every row must be there and no request may fail)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bench.limits import INSTALL_HINT, nginx_binary
from bench.load import MIX_KINDS, SERVERS, main

pytestmark = pytest.mark.slow


def test_short_run_has_every_row_and_no_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if nginx_binary() is None:
        pytest.skip(INSTALL_HINT)
    out = tmp_path / "load.json"
    code = main(
        [
            *("--seconds", "2", "--users", "2", "--mix-users", "3", "--mix-seconds", "4"),
            *("--uploaders", "1", "--videos", "1", "--accounts", "2"),
            *("--work-dir", str(tmp_path), "--json", str(out)),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    for row in [*(f"segment alone: {s}" for s in SERVERS), *(f"mix: {k}" for k in MIX_KINDS)]:
        assert row in printed

    figures = json.loads(out.read_text())
    assert figures["segment_bytes"] > 0
    *segment_runs, mix = figures["runs"]  # one mix: one users count
    assert [run["server"] for run in segment_runs] == SERVERS
    assert mix["server"] == "videoforge" and mix["users"] == 3
    for run in segment_runs:
        assert list(run["kinds"]) == ["segment"]
        assert run["total"]["requests"] > 0 and run["total"]["errors"] == {}
    assert set(mix["kinds"]) == set(MIX_KINDS)
    for name, kind in mix["kinds"].items():
        assert kind["requests"] > 0, name
        assert kind["errors"] == {}, (name, kind["errors"])  # not even a 4xx or a 429

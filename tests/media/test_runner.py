"""Running ffmpeg: progress, errors, stopping, time limits; ffmpeg never outlives a run."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from videoforge.media.runner import FfmpegError, FfmpegStopped, FfmpegTimeout, run_ffmpeg

pytestmark = pytest.mark.slow


def realtime(ffmpeg: str, seconds: float) -> list[str]:
    """A command that takes about `seconds` (the input is read at its own pace)."""
    return [
        ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-progress", "pipe:1",
        "-nostats", "-re", "-f", "lavfi", "-i", f"testsrc2=size=160x120:rate=25:duration={seconds}",
        "-f", "null", "-",
    ]  # fmt: skip


def children() -> list[int]:
    """Live (not zombie) ffmpeg child processes of this test process (other tests' fixtures,
    such as servers, may be children too)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                command = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0")[0]
            except OSError:
                continue
            if b"ffmpeg" not in command:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == os.getpid() and fields[0] != "Z":
                found.append(int(entry))
    return found


def test_progress_is_reported_and_reaches_the_end(ffmpeg: str) -> None:
    reports: list[tuple[float, float | None]] = []
    run_ffmpeg(realtime(ffmpeg, 1.5), duration=1.5, on_progress=lambda p, e: reports.append((p, e)))
    assert reports, "no progress reported"
    percents = [p for p, _ in reports]
    assert percents == sorted(percents) and all(0 <= p <= 100 for p in percents)
    assert percents[-1] >= 90
    assert any(eta is not None and eta >= 0 for _, eta in reports)


def test_failure_carries_command_and_stderr(ffmpeg: str, tmp_path: Path) -> None:
    argv = [ffmpeg, "-hide_banner", "-i", str(tmp_path / "missing.mp4"), "-f", "null", "-"]
    with pytest.raises(FfmpegError) as caught:
        run_ffmpeg(argv)
    error = caught.value
    assert error.returncode not in (0, None) and error.command == argv
    assert "No such file" in error.stderr_tail and "No such file" in str(error)
    assert "missing.mp4" in error.details


def test_stop_flag_terminates_ffmpeg(ffmpeg: str) -> None:
    stop = threading.Event()
    threading.Timer(0.5, stop.set).start()
    with pytest.raises(FfmpegStopped):
        run_ffmpeg(realtime(ffmpeg, 60), duration=60, stop=stop)
    assert children() == []


def test_an_error_raised_by_the_progress_callback_stops_ffmpeg(ffmpeg: str) -> None:
    class Cancelled(Exception):
        pass

    def cancel(percent: float, eta: float | None) -> None:
        raise Cancelled

    with pytest.raises(Cancelled):
        run_ffmpeg(realtime(ffmpeg, 60), duration=60, on_progress=cancel)
    assert children() == []


def test_time_limit(ffmpeg: str) -> None:
    with pytest.raises(FfmpegTimeout):
        run_ffmpeg(realtime(ffmpeg, 60), timeout=0.5)
    assert children() == []

"""Running one planned ffmpeg command: progress, stopping, a time limit and typed errors.

ffmpeg writes `-progress pipe:1` blocks (key=value lines ending in `progress=continue|end`) to
stdout; a thread reads them and another drains stderr (keeping its tail), so neither pipe can
fill and stall ffmpeg. The calling thread watches the stop flag and the clock, and calls
`on_progress` itself, so an exception raised there (say, "the job was cancelled") stops ffmpeg
and reaches the caller unchanged.
"""

from __future__ import annotations

import collections
import ctypes
import logging
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO

from videoforge.media.errors import MediaError

log = logging.getLogger(__name__)

ProgressCallback = Callable[[float, float | None], None]  # (percent 0..100, eta seconds)

STDERR_TAIL_LINES = 40
PROGRESS_INTERVAL = 0.5  # seconds between on_progress calls, at most
GRACE_SECONDS = 5.0  # after SIGTERM, before SIGKILL


class FfmpegError(MediaError):
    """ffmpeg failed (worth another attempt, unless the caller knows the input is at fault).
    `str()` is one readable line; the command and stderr tail are kept."""

    def __init__(self, summary: str, command: list[str], returncode: int | None, stderr: str):
        super().__init__(summary)
        self.summary = summary
        self.command = command
        self.returncode = returncode
        self.stderr_tail = stderr

    @property
    def details(self) -> str:
        """For logs: the command and what ffmpeg said last."""
        command = subprocess.list2cmdline(self.command)
        return f"{self.summary}\ncommand: {command}\n{self.stderr_tail}"


class FfmpegTimeout(FfmpegError):
    """ffmpeg ran longer than its time limit and was killed."""


class FfmpegStopped(Exception):
    """The stop flag was set; ffmpeg was terminated."""


@dataclass
class _Progress:
    """The latest progress block, shared between the reader thread and the caller."""

    out_time: float = 0.0  # seconds of output written
    speed: float | None = None  # x real time
    updated: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


def encode_timeout(duration: float) -> float:
    """A generous limit that only catches a hung ffmpeg: 10 minutes plus 20x the duration."""
    return 600.0 + 20.0 * max(duration, 0.0)


def run_ffmpeg(
    argv: list[str],
    *,
    duration: float | None = None,
    on_progress: ProgressCallback | None = None,
    stop: threading.Event | None = None,
    timeout: float | None = None,
) -> None:
    """Run argv to completion. Raises FfmpegError (FfmpegTimeout), FfmpegStopped, or whatever
    on_progress raised; ffmpeg is never left running behind any of them."""
    stop = stop or threading.Event()
    deadline = None if timeout is None else time.monotonic() + timeout
    process = subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_die_with_parent(),
    )
    assert process.stdout is not None and process.stderr is not None
    progress = _Progress()
    tail: collections.deque[str] = collections.deque(maxlen=STDERR_TAIL_LINES)
    readers = [
        _thread(_read_progress, process.stdout, progress),
        _thread(_drain, process.stderr, tail),
    ]
    try:
        _supervise(argv, process, progress, duration, on_progress, stop, deadline)
    except BaseException:
        _terminate(process)
        raise
    finally:
        for reader in readers:
            reader.join(timeout=GRACE_SECONDS)
    if process.returncode != 0:
        stderr = "\n".join(tail)
        raise FfmpegError(_summary(process.returncode, tail), argv, process.returncode, stderr)
    final = _take(progress, duration) if on_progress and duration else None
    if on_progress and final:
        on_progress(*final)


def _supervise(
    argv: list[str],
    process: subprocess.Popen[bytes],
    progress: _Progress,
    duration: float | None,
    on_progress: ProgressCallback | None,
    stop: threading.Event,
    deadline: float | None,
) -> None:
    last_report = 0.0
    while process.poll() is None:
        if stop.wait(0.1):
            raise FfmpegStopped("stopped on request")
        now = time.monotonic()
        if deadline is not None and now > deadline:
            raise FfmpegTimeout("ffmpeg took too long and was stopped", argv, None, "")
        if on_progress and duration and now - last_report >= PROGRESS_INTERVAL:
            report = _take(progress, duration)
            if report is not None:
                last_report = now
                on_progress(*report)


def _take(progress: _Progress, duration: float) -> tuple[float, float | None] | None:
    with progress.lock:
        if not progress.updated:
            return None
        progress.updated = False
        done, speed = progress.out_time, progress.speed
    percent = max(0.0, min(100.0, 100.0 * done / duration))
    eta = (duration - done) / speed if speed and speed > 0 else None
    return percent, (max(0.0, eta) if eta is not None else None)


def _read_progress(stream: IO[bytes], progress: _Progress) -> None:
    block: dict[str, str] = {}
    for raw in _lines(stream):
        key, _, value = raw.partition("=")
        block[key.strip()] = value.strip()
        if key == "progress":
            _update(progress, block)
            block = {}


def _update(progress: _Progress, block: dict[str, str]) -> None:
    try:
        out_time = int(block.get("out_time_us", "")) / 1e6
    except ValueError:  # "N/A" before the first frame is written
        return
    try:
        speed: float | None = float(block.get("speed", "").rstrip("x"))
    except ValueError:
        speed = None
    with progress.lock:
        progress.out_time, progress.speed, progress.updated = out_time, speed, True


def _drain(stream: IO[bytes], tail: collections.deque[str]) -> None:
    for line in _lines(stream):
        if line:
            tail.append(line)


def _lines(stream: IO[bytes]) -> Iterable[str]:
    with stream:
        for raw in stream:
            yield raw.decode("utf-8", "replace").rstrip()


def _thread(target: Callable[..., None], *args: object) -> threading.Thread:
    thread = threading.Thread(target=target, args=args, name="ffmpeg-pipe", daemon=True)
    thread.start()
    return thread


def _terminate(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM (ffmpeg closes its files), then SIGKILL if it does not go."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _summary(returncode: int, tail: Iterable[str]) -> str:
    lines = [line for line in tail if line.strip()]
    said = lines[-1] if lines else "no error message"
    if returncode < 0:
        return f"ffmpeg was killed by signal {-returncode}: {said}"
    return f"ffmpeg failed (exit code {returncode}): {said}"


def _die_with_parent() -> Callable[[], None] | None:
    """A preexec_fn that has the kernel SIGKILL ffmpeg when the thread that started it dies
    (Linux only), so a crashed worker leaves no orphan encoding on. prctl is looked up here, in
    the parent, so the child between fork and exec only makes the one system call."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    pr_set_pdeathsig = 1

    def set_death_signal() -> None:
        prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)

    return set_death_signal

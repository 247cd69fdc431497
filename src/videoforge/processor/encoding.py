"""Running one encode for a task: progress written at most once a second, a cancelled job
stopping it, and ffmpeg's failures sorted into worth-retrying and not (a damaged input)."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable

from videoforge.media.runner import FfmpegError, encode_timeout, run_ffmpeg
from videoforge.worker.base import PermanentJobError

log = logging.getLogger(__name__)

DAMAGED = "The video could not be decoded; the file seems damaged. Try exporting it again."
PROGRESS_WRITE_SECONDS = 1.0
# What ffmpeg says when the input itself is at fault, so retrying cannot help.
_BAD_INPUT = re.compile(
    r"Invalid data found when processing input|moov atom not found|Error while decoding|"
    r"corrupt|Invalid NAL unit|no frame!|End of file",
    re.IGNORECASE,
)


class JobCancelled(Exception):
    """The job's row says it is no longer active (cancelled by its owner, video deleted)."""


def encode(
    argv: list[str],
    duration: float,
    progress: Callable[[float, float | None], bool],
    stop: threading.Event,
    what: str,
) -> None:
    """Run ffmpeg; `progress(percent, eta)` is written now and then and returns False once
    the work is no longer wanted (JobCancelled)."""
    last_write = 0.0

    def on_progress(percent: float, eta: float | None) -> None:
        nonlocal last_write
        if time.monotonic() - last_write < PROGRESS_WRITE_SECONDS:
            return
        last_write = time.monotonic()
        if not progress(percent, eta):
            raise JobCancelled

    try:
        run_ffmpeg(
            argv,
            duration=duration,
            on_progress=on_progress,
            stop=stop,
            timeout=encode_timeout(duration),
        )
    except FfmpegError as exc:
        log.warning("%s: encoding failed\n%s", what, exc.details)
        if _BAD_INPUT.search(exc.stderr_tail):
            raise PermanentJobError(DAMAGED) from exc
        raise


_ERROR_CLASS = re.compile(r"^[A-Z]\w*(Error|Exception|Timeout|Stopped): ")


def readable(error: str) -> str:
    """The worker loop's `ClassName: message` without the class name, on one short line."""
    text = _ERROR_CLASS.sub("", error.strip()).splitlines()[0] if error.strip() else ""
    text = text or "an unexpected error"
    return text if len(text) <= 300 else text[:297] + "..."

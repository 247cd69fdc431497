"""Watchable while it transcodes: the store holds a playable master (every rung's first
segment) while the job is still processing, on local disk and on a store without local files
(segments uploaded as ffmpeg writes them). Progress and time left are reported meanwhile."""

from __future__ import annotations

import dataclasses
import threading
import time
from pathlib import Path

import pytest

from tests.processor.conftest import Upload, add_upload
from tests.processor.test_process_video import RemoteStore
from videoforge.context import Context
from videoforge.media.runner import FfmpegStopped
from videoforge.processor.tasks import ProcessVideo
from videoforge.streaming.playback import check_playback
from videoforge.testing.clips import make_clip

pytestmark = pytest.mark.slow


@dataclasses.dataclass
class Seen:
    playable_while_processing: bool = False
    eta_while_processing: bool = False
    errors: list[BaseException] = dataclasses.field(default_factory=list)


def watch(ctx: Context, job: Upload, stop: threading.Event) -> Seen:
    """Run the job in a thread; poll the store and the rows until the video plays mid-encode
    and an ETA has been reported, then stop the job (its end is covered elsewhere)."""
    seen = Seen()

    def target() -> None:
        try:
            ProcessVideo(ctx).run(job.body, attempt=1, stop=stop)
        except BaseException as exc:
            seen.errors.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    deadline = time.monotonic() + 120
    while thread.is_alive() and time.monotonic() < deadline:
        video, row = job.video(), job.job()
        if video.status == "processing" and row.status == "processing":
            seen.eta_while_processing |= row.eta_seconds is not None and row.progress < 100
            seen.playable_while_processing |= check_playback(ctx.store, video).playable
        if seen.playable_while_processing and seen.eta_while_processing:
            break
        time.sleep(0.1)
    stop.set()
    thread.join(60)
    assert not thread.is_alive()
    return seen


def slow(ctx: Context) -> Context:
    return dataclasses.replace(
        ctx, settings=ctx.settings.model_copy(update={"x264_preset": "slow"})
    )


@pytest.fixture(scope="module")
def long_clip(tmp_path_factory: pytest.TempPathFactory, session_ffmpeg: str) -> Path:
    folder = tmp_path_factory.mktemp("watchable")
    return make_clip(session_ffmpeg, folder / "long.mp4", seconds=20, width=960, height=540)


@pytest.mark.parametrize("store", ["local", "remote"])
def test_playable_before_the_encode_ends(
    ctx: Context, long_clip: Path, tmp_path: Path, store: str
) -> None:
    job_ctx = slow(ctx)
    if store == "remote":
        job_ctx = dataclasses.replace(job_ctx, store=RemoteStore(tmp_path / "remote"))
    job = add_upload(job_ctx, long_clip)
    seen = watch(job_ctx, job, threading.Event())

    assert seen.playable_while_processing, seen.errors
    assert seen.eta_while_processing
    assert len(seen.errors) == 1 and isinstance(seen.errors[0], FfmpegStopped)
    prefix = f"videos/{job.video_id}/hls/"
    keys = {o.key.removeprefix(prefix) for o in job_ctx.store.list(prefix)}
    assert {"master.m3u8", "480p/index.m3u8", "240p/seg_00001.m4s", "audio/index.m3u8"} <= keys
    assert not any(key.endswith(".tmp") for key in keys)

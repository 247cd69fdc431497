"""ProcessVideo end to end on tiny generated clips, with real ffmpeg, SQLite and a local store."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.processor.conftest import Upload, decode_first_segment, segment_durations
from videoforge.context import Context
from videoforge.db import Job
from videoforge.media.runner import FfmpegStopped
from videoforge.processor.tasks import ProcessVideo
from videoforge.storage import LocalStore
from videoforge.testing.clips import make_clip
from videoforge.worker.base import PermanentJobError

pytestmark = pytest.mark.slow

MakeUpload = Callable[..., Upload]


def test_landscape_clip_becomes_an_hls_ladder(
    ctx: Context, ffmpeg: str, tmp_path: Path, upload: MakeUpload
) -> None:
    source = make_clip(ffmpeg, tmp_path / "landscape.mp4", seconds=6, width=640, height=360)
    job = upload(source)
    job.run()

    row, video = job.job(), job.video()
    assert (row.status, row.progress, row.attempts) == ("ready", 100.0, 1)
    assert row.started_at and row.finished_at and row.error is None
    assert (video.status, video.width, video.height) == ("ready", 640, 360)
    assert (video.video_codec, video.audio_codec) == ("h264", "aac")
    assert video.duration == pytest.approx(6.0, abs=0.1)
    assert [r["name"] for r in video.renditions] == ["360p", "240p"]
    assert video.renditions[1] == {  # 0.52 Mbit/s at 30 fps, x0.896 at 25
        "name": "240p", "width": 426, "height": 240, "bandwidth": 466_000, "fps": 25,
        "playlist": "hls/240p/index.m3u8",
    }  # fmt: skip

    master = job.text("hls/master.m3u8")
    assert "360p/index.m3u8" in master and "240p/index.m3u8" in master
    assert 'TYPE=AUDIO,GROUP-ID="group_audio"' in master and 'URI="audio/index.m3u8"' in master
    assert "RESOLUTION=640x360" in master and "RESOLUTION=426x240" in master
    assert master.count("#EXT-X-STREAM-INF") == 2  # no audio-only variant

    durations = {name: segment_durations(job.text(f"hls/{name}/index.m3u8")) for name in
                 ("360p", "240p", "audio")}  # fmt: skip
    assert durations["360p"] == durations["240p"] == [2.0, 2.0, 2.0]  # keyframes aligned
    assert sum(durations["audio"]) == pytest.approx(6.0, abs=0.1)
    for name in ("360p", "240p", "audio"):
        playlist = job.text(f"hls/{name}/index.m3u8")
        assert "#EXT-X-ENDLIST" in playlist and "seg_00001.m4s" in playlist
        streams = decode_first_segment(ffmpeg, job, name, tmp_path)
        if name != "audio":
            assert "h264" in streams and "yuv420p" in streams
    assert {"thumbnail.jpg", "poster.jpg"} <= set(job.stored())
    assert job.read("thumbnail.jpg")[:2] == b"\xff\xd8"
    assert not (ctx.settings.work_dir / job.job_id).exists()


def test_portrait_clip_without_audio(
    ctx: Context, ffmpeg: str, tmp_path: Path, upload: MakeUpload
) -> None:
    source = make_clip(ffmpeg, tmp_path / "portrait.mp4", width=360, height=640, audio=False)
    job = upload(source)
    job.run()

    video = job.video()
    assert video.status == "ready" and video.audio_codec is None
    assert [(r["name"], r["width"], r["height"]) for r in video.renditions] == [
        ("360p", 360, 640), ("240p", 240, 426),
    ]  # fmt: skip
    master = job.text("hls/master.m3u8")
    assert "RESOLUTION=360x640" in master and "TYPE=AUDIO" not in master
    assert not any(key.startswith("hls/audio/") for key in job.stored())
    assert "360x640" in decode_first_segment(ffmpeg, job, "360p", tmp_path)


def test_audio_only_upload(ctx: Context, ffmpeg: str, tmp_path: Path, upload: MakeUpload) -> None:
    job = upload(make_clip(ffmpeg, tmp_path / "song.m4a", video=False))
    job.run()
    video = job.video()
    assert video.status == "ready" and video.video_codec is None
    assert [r["name"] for r in video.renditions] == ["audio"]
    assert "audio/index.m3u8" in job.text("hls/master.m3u8")
    assert {"thumbnail.jpg", "poster.jpg"} <= set(job.stored())


def test_not_a_video_fails_permanently_with_a_clear_reason(
    ctx: Context, tmp_path: Path, upload: MakeUpload
) -> None:
    notes = tmp_path / "notes.mp4"
    notes.write_text("shopping list: milk, eggs\n" * 50)
    job = upload(notes)
    with pytest.raises(PermanentJobError) as caught:
        job.run()
    assert str(caught.value) == "This file is not a video or audio file we can read."

    ProcessVideo(ctx).give_up(job.body, str(caught.value), dead_lettered=False)
    row, video = job.job(), job.video()
    assert (row.status, row.error) == ("failed", str(caught.value))
    assert (video.status, video.error) == ("failed", str(caught.value))
    assert not (ctx.settings.work_dir / job.job_id).exists()


def test_truncated_file_fails_permanently(
    small_clip: Path, tmp_path: Path, upload: MakeUpload
) -> None:
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(small_clip.read_bytes()[:20_000])
    job = upload(cut)
    with pytest.raises(PermanentJobError, match=r"not a video|incomplete"):
        job.run()


def test_too_long_a_video_is_refused(ctx: Context, small_clip: Path, upload: MakeUpload) -> None:
    strict = dataclasses.replace(
        ctx, settings=ctx.settings.model_copy(update={"max_duration_seconds": 1.0})
    )
    job = upload(small_clip)
    with pytest.raises(PermanentJobError, match="2 seconds long; the limit here is 1 seconds"):
        ProcessVideo(strict).run(job.body, attempt=1, stop=threading.Event())


def test_redelivered_job_replaces_its_outputs(
    ctx: Context, small_clip: Path, upload: MakeUpload
) -> None:
    job = upload(small_clip)
    job.run()
    first = sorted(job.stored("hls"))

    job.run()  # redelivered after it finished: nothing happens
    assert job.job().attempts == 1

    # Redelivered after a crash mid-way: the job is still "processing", with stale files.
    with ctx.sessions() as session:
        row = session.get(Job, job.job_id)
        assert row is not None
        row.status = "processing"
        session.commit()
    ctx.store.put_stream(f"videos/{job.video_id}/hls/999p/seg_00009.m4s", [b"stale"])
    job.run()
    assert sorted(job.stored("hls")) == first
    assert job.job().status == "ready" and job.job().attempts == 2


class RemoteStore(LocalStore):
    """A store that is not local disk (like S3): no local paths, so the job downloads its source
    and uploads its outputs."""

    def local_path(self, key: str) -> Path | None:
        return None


def test_store_without_local_paths(
    ctx: Context, small_clip: Path, tmp_path: Path, upload: MakeUpload
) -> None:
    remote = dataclasses.replace(ctx, store=RemoteStore(tmp_path / "remote"))
    job = upload(small_clip)
    remote.store.put_file(job.video().source_key, small_clip)
    ProcessVideo(remote).run(job.body, attempt=1, stop=threading.Event())
    keys = [o.key for o in remote.store.list(f"videos/{job.video_id}/")]
    assert f"videos/{job.video_id}/hls/master.m3u8" in keys
    assert f"videos/{job.video_id}/hls/240p/seg_00001.m4s" in keys
    assert f"videos/{job.video_id}/poster.jpg" in keys
    assert not any(key.endswith(".tmp") for key in keys)
    assert job.job().status == "ready"


def _slow(ctx: Context) -> Context:
    """Encodes slowly enough that there is time to interrupt it."""
    return dataclasses.replace(
        ctx, settings=ctx.settings.model_copy(update={"x264_preset": "slow"})
    )


def _run_in_thread(
    ctx: Context, job: Upload, stop: threading.Event
) -> tuple[list[BaseException], threading.Thread]:
    """Start the job in a thread; return once its encode has reported progress."""
    errors: list[BaseException] = []

    def target() -> None:
        try:
            ProcessVideo(ctx).run(job.body, attempt=1, stop=stop)
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    deadline = time.monotonic() + 60
    while job.job().progress <= 0 and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert thread.is_alive(), f"finished before it could be interrupted: {errors}"
    return errors, thread


@pytest.fixture
def long_clip(ffmpeg: str, tmp_path: Path) -> Path:
    return make_clip(ffmpeg, tmp_path / "long.mp4", seconds=30, width=640, height=480)


def test_owner_cancel_stops_ffmpeg_and_removes_outputs(
    ctx: Context, long_clip: Path, upload: MakeUpload
) -> None:
    job = upload(long_clip)
    errors, thread = _run_in_thread(_slow(ctx), job, threading.Event())
    with ctx.sessions() as session:
        row = session.get(Job, job.job_id)
        assert row is not None
        row.status = "cancelled"
        session.commit()
    thread.join(30)
    assert not thread.is_alive() and errors == []
    assert job.job().status == "cancelled"
    assert job.stored("hls") == [] and "poster.jpg" not in job.stored()


def test_stop_flag_interrupts_the_encode(ctx: Context, long_clip: Path, upload: MakeUpload) -> None:
    job = upload(long_clip)
    stop = threading.Event()
    errors, thread = _run_in_thread(_slow(ctx), job, stop)
    stop.set()
    thread.join(30)
    assert not thread.is_alive()
    assert len(errors) == 1 and isinstance(errors[0], FfmpegStopped)
    assert job.job().status == "processing"  # the worker loop decides: retry or release

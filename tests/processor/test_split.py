"""A long video's job split into chunk and audio tasks (threshold set low: a 7-s clip, 1-s
segments, 2-s chunks), run message by message out of order, against the one-process encode."""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import pytest

from tests.media.test_chunks import _playlist, _segment_pts
from tests.processor.conftest import Upload, add_upload
from tests.processor.messages import run, take_all
from videoforge.config import Settings, load_settings
from videoforge.context import Context, build_context
from videoforge.db import JobTask, User
from videoforge.jobs import service
from videoforge.jobs.queueing import requeue_job
from videoforge.jobs.tasks import AUDIO_INDEX, ready_parts
from videoforge.media import hls
from videoforge.media.plan import plan_hls
from videoforge.media.probe import probe
from videoforge.media.rung import AUDIO_NAME
from videoforge.media.runner import run_ffmpeg
from videoforge.processor import stitching
from videoforge.processor.ladder import choose_rungs
from videoforge.processor.recipe import Recipe
from videoforge.processor.tasks import ProcessVideo
from videoforge.storage import ObjectStore
from videoforge.storage.layout import PLAYLIST_NAME, VideoFiles
from videoforge.testing.clips import make_clip
from videoforge.worker.base import PermanentJobError

pytestmark = pytest.mark.slow

RUNGS = ["240p", "144p"]


@pytest.fixture
def split_ctx(tmp_path: Path) -> Iterator[Context]:
    settings = load_settings(
        data_dir=tmp_path / "var", x264_preset="ultrafast", keyframe_seconds=1,
        segment_seconds=1, ladder=[240, 144], chunk_threshold_seconds=4, chunk_seconds=2,
    )  # fmt: skip
    context = build_context(settings)
    yield context
    context.close()


@pytest.fixture
def clip(tmp_path: Path, ffmpeg: str) -> Path:
    return make_clip(ffmpeg, tmp_path / "long.mp4", seconds=7, fps=25)


def plan(ctx: Context, clip: Path, chunks: int = 4) -> tuple[Upload, dict[int, dict[str, Any]]]:
    """Upload and run the job's first message; the task messages by index (audio: -1)."""
    job = add_upload(ctx, clip)
    run(ctx, job.body)
    sent = take_all(ctx)
    assert [b["kind"] for b in sent] == ["audio", *["chunk"] * chunks]
    assert [b["index"] for b in sent] == [-1, *range(chunks)]  # the audio, then from the start
    return job, {b["index"]: b for b in sent}


def hls_dir(ctx: Context, job: Upload) -> Path:
    folder = ctx.store.local_path(VideoFiles(job.video_id).hls_folder)
    assert folder is not None
    return folder


def finish(ctx: Context) -> None:
    (final,) = take_all(ctx)
    assert final["kind"] == "finish"
    run(ctx, final)


def whole_encode(ctx: Context, clip: Path, out: Path) -> Path:
    settings = ctx.settings
    facts = probe(clip)
    out.mkdir()
    run_ffmpeg(plan_hls(facts, choose_rungs(facts, settings), settings, out, source=clip))
    return out


def test_split_video_matches_the_one_process_encode(
    split_ctx: Context, clip: Path, tmp_path: Path, ffmpeg: str
) -> None:
    ctx = split_ctx
    job, tasks = plan(ctx, clip)
    for index in (3, -1, 1, 0, 2):  # any order
        run(ctx, tasks[index])
    run(ctx, tasks[2])  # a message delivered twice changes nothing
    finish(ctx)

    row = job.job()
    assert (row.status, row.progress, job.video().status) == ("ready", 100.0, "ready")
    stitched, whole = hls_dir(ctx, job), whole_encode(ctx, clip, tmp_path / "whole")
    for name in [*RUNGS, AUDIO_NAME]:
        ours, theirs = _playlist(stitched, name), _playlist(whole, name)
        assert [s.uri for s in ours.segments] == [s.uri for s in theirs.segments], name
        assert sum(s.duration for s in ours.segments) == pytest.approx(
            sum(s.duration for s in theirs.segments), abs=1e-6
        )
    for name in RUNGS:  # the same frames at the same times, no gap or overlap at the joins
        ours_pts = _segment_pts(stitched, name, tmp_path)
        theirs_pts = _segment_pts(whole, name, tmp_path)
        assert [len(s) for s in ours_pts] == [len(s) for s in theirs_pts], name
        flat = [t for segment in ours_pts for t in segment]
        assert flat == pytest.approx([t for s in theirs_pts for t in s], abs=0.001), name
    master = str(stitched / "master.m3u8")
    decoded = subprocess.run(
        [ffmpeg, "-v", "error", "-i", master, "-map", "0", "-f", "null", "-"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert decoded.returncode == 0 and decoded.stderr == ""
    stored = job.stored()
    assert not [key for key in stored if key.startswith("parts/")]  # removed once stitched
    assert {"download.mp4", "storyboard.jpg", "thumbnail.jpg"} <= set(stored)
    with ctx.sessions() as session:
        user = session.query(User).one()
        out = service.get_job(session, user, job.job_id)
    assert [(t.kind, t.index, t.status, t.attempts) for t in out.tasks] == [
        ("audio", -1, "ready", 1), *[("chunk", i, "ready", 1) for i in range(4)],
    ]  # fmt: skip
    assert [(t.start_seconds, t.end_seconds) for t in out.tasks[1:]] == [
        (0, 2), (2, 4), (4, 6), (6, pytest.approx(7.0, abs=0.05)),
    ]  # fmt: skip


def test_a_stitched_segment_that_does_not_decode_fails_the_job(
    split_ctx: Context, clip: Path
) -> None:
    """Every part is stored, then the last 240p segment (chunk 3's) is damaged in the store:
    the final step checks the stitched ladder as the one-task path does, and the job fails
    with the rendition named instead of turning ready."""
    ctx = split_ctx
    job, tasks = plan(ctx, clip)
    for index in (-1, 0, 1, 2, 3):
        run(ctx, tasks[index])
    last = sorted((hls_dir(ctx, job) / "240p").glob("seg_*.m4s"))[-1]
    last.write_bytes(b"\x00\x00\x00\x10moof" + b"\xff" * 4000)
    (final,) = take_all(ctx)
    with pytest.raises(PermanentJobError, match="the 240p rendition does not decode") as caught:
        run(ctx, final)

    ProcessVideo(ctx).give_up(final, str(caught.value), dead_lettered=False)  # as the worker does
    row, video = job.job(), job.video()
    assert (row.status, video.status) == ("failed", "failed")
    assert row.error == str(caught.value)
    growing = job.text(f"hls/240p/{PLAYLIST_NAME}")
    assert "#EXT-X-ENDLIST" not in growing  # the damaged ladder was not published as VOD
    assert "download.mp4" not in job.stored()


def test_playable_from_the_start_once_chunk_0_is_stored(split_ctx: Context, clip: Path) -> None:
    ctx = split_ctx
    job, tasks = plan(ctx, clip)
    run(ctx, tasks[2])
    run(ctx, tasks[-1])
    assert "hls/master.m3u8" not in job.stored()  # chunk 0 is missing: nothing to play yet
    run(ctx, tasks[0])
    early = job.text(f"hls/240p/{PLAYLIST_NAME}")
    assert "#EXT-X-PLAYLIST-TYPE:EVENT" in early and "#EXT-X-ENDLIST" not in early
    assert early.count(".m4s") == 2  # chunk 0's segments, not chunk 2's
    assert "hls/master.m3u8" in job.stored()
    run(ctx, tasks[1])  # 0, 1, 2 contiguous now
    assert job.text(f"hls/240p/{PLAYLIST_NAME}").count(".m4s") == 6
    assert job.job().status == "processing" and 0 < job.job().progress < 100


def test_a_dead_chunk_fails_the_job_and_a_retry_runs_only_what_is_missing(
    split_ctx: Context, clip: Path
) -> None:
    ctx = split_ctx
    job, tasks = plan(ctx, clip)
    for index in (-1, 0, 2, 3):
        run(ctx, tasks[index])
    handler = ProcessVideo(ctx)
    handler.retrying(tasks[1], "RuntimeError: disk full", 1)
    assert job.job().status == "processing"  # the other tasks carry on
    handler.give_up(tasks[1], "RuntimeError: disk full", dead_lettered=True)
    row = job.job()
    assert row.status == "failed" and row.error is not None
    assert row.error.startswith("Part 2 (2-4 s): Processing failed after several attempts")

    with ctx.sessions() as session:
        requeue_job(session, ctx.queue, session.get(type(row), job.job_id))  # the owner's retry
    run(ctx, take_all(ctx)[0])
    (again,) = take_all(ctx)  # only the missing chunk
    assert (again["kind"], again["index"]) == ("chunk", 1)
    run(ctx, again)
    finish(ctx)
    assert job.job().status == "ready"
    with ctx.sessions() as session:
        attempts = {t.index: t.attempts for t in session.query(JobTask)}
    assert attempts == {-1: 1, 0: 1, 1: 1, 2: 1, 3: 1}


def test_cancelling_the_job_cancels_its_pending_chunks(split_ctx: Context, clip: Path) -> None:
    ctx = split_ctx
    job, tasks = plan(ctx, clip)
    run(ctx, tasks[0])
    with ctx.sessions() as session:
        service.cancel_job(session, session.query(User).one(), job.job_id)
    for index in (-1, 1, 2, 3):
        run(ctx, tasks[index])  # their messages find the job cancelled
    with ctx.sessions() as session:
        statuses = {t.index: t.status for t in session.query(JobTask)}
    assert statuses == {-1: "cancelled", 0: "ready", 1: "cancelled", 2: "cancelled", 3: "cancelled"}
    assert not take_all(ctx)  # no final step
    assert job.job().status == "cancelled"


def test_short_videos_stay_one_task(split_ctx: Context, ffmpeg: str, tmp_path: Path) -> None:
    short = make_clip(ffmpeg, tmp_path / "short.mp4", seconds=3)
    job = add_upload(split_ctx, short)
    run(split_ctx, job.body)
    assert job.job().status == "ready" and not take_all(split_ctx)


@pytest.mark.parametrize("name", ["chunk_seconds", "chunk_min_seconds"])
def test_settings_refuse_chunks_shorter_than_a_segment(name: str) -> None:
    with pytest.raises(ValueError, match=f"{name} must be at least segment_seconds"):
        Settings.model_validate({"segment_seconds": 4, "keyframe_seconds": 2, name: 2})


class CountingStore:
    """The store, with the keys read through it noted down (the small files are opened)."""

    def __init__(self, store: ObjectStore) -> None:
        self.store = store
        self.opened: list[str] = []

    def open(self, key: str) -> BinaryIO:
        self.opened.append(key)
        return self.store.open(key)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


def published_texts(job: Upload, paths: Iterable[str]) -> dict[str, str]:
    return {path: job.text(f"hls/{path}") for path in paths}


@pytest.mark.parametrize(
    "order", [[-1, 0, 1, 2, 3, 4, 5, 6], [4, -1, 1, 0, 6, 2, 3, 5]], ids=["in order", "any order"]
)
def test_each_handoff_reads_only_what_is_new(
    split_ctx: Context, ffmpeg: str, tmp_path: Path, order: list[int]
) -> None:
    """Seven chunks: a handoff reads the published playlists, chunk 0's master, the audio
    part and the parts of the chunks it adds, never again those of the chunks published
    before; what it publishes is what rebuilding from every part gives."""
    ctx = split_ctx
    job, tasks = plan(ctx, make_clip(ffmpeg, tmp_path / "13s.mp4", seconds=13, fps=25), chunks=7)
    recipe = Recipe.from_json(tasks[0]["recipe"])
    files, rungs = VideoFiles(job.video_id), len(recipe.rung_names)
    counting = CountingStore(ctx.store)
    ctx.store = counting  # type: ignore[assignment]
    grown = 0
    for index in order:
        before = job.job().published_chunks
        counting.opened.clear()
        run(ctx, tasks[index])
        reached = job.job().published_chunks
        added = reached - before
        # Each rung's playlist and the master, of each added chunk and the published ones;
        # chunk 0's master; the audio's playlist and master.
        assert len(counting.opened) <= (rungs + 1) * (added + 1) + 3, counting.opened
        old_parts = [files.chunk_part(recipe.encode_id, i) for i in range(1, before)]
        assert not [key for key in counting.opened if key.startswith(tuple(old_parts))]
        if added == 0:
            assert counting.opened == []
            continue
        grown += before > 0
        done = ready_parts(ctx.sessions, job.job_id, recipe.encode_id)
        rebuilt = stitching.playlists(counting.store, files, recipe, done)
        assert rebuilt is not None
        assert published_texts(job, rebuilt) == rebuilt
    assert grown >= 2  # handoffs grew what was published, not only the first one
    (final,) = take_all(ctx)
    assert final["kind"] == "finish"


@pytest.mark.parametrize("damage", ["shortened", "removed"])
def test_published_playlists_that_do_not_fit_are_rebuilt_from_every_part(
    split_ctx: Context, clip: Path, damage: str
) -> None:
    """A writer stopped halfway: the 144p playlist lists only chunk 0 (or is gone) though two
    chunks are recorded as published. The next handoff publishes what every part gives."""
    ctx = split_ctx
    job, tasks = plan(ctx, clip)
    for index in (-1, 0, 1):
        run(ctx, tasks[index])
    assert job.job().published_chunks == 2
    recipe = Recipe.from_json(tasks[0]["recipe"])
    files = VideoFiles(job.video_id)
    path = f"144p/{PLAYLIST_NAME}"
    if damage == "removed":
        (hls_dir(ctx, job) / path).unlink()
    else:
        early = stitching.playlists(ctx.store, files, recipe, {AUDIO_INDEX, 0})
        assert early is not None
        ctx.store.put_stream(files.hls_file(path), [early[path].encode()])

    run(ctx, tasks[2])
    rebuilt = stitching.playlists(ctx.store, files, recipe, {AUDIO_INDEX, 0, 1, 2})
    assert rebuilt is not None
    assert published_texts(job, rebuilt) == rebuilt
    assert job.text(f"hls/{path}").count(".m4s") == 6  # chunks 0, 1 and 2


@dataclass(frozen=True)
class Written:
    path: str  # in the HLS folder
    text: str
    chunk_0_ready: bool
    missing: list[str]  # files the playlist names that the store did not hold yet


class RecordingStore:
    """The store, with every playlist written into the video's HLS folder noted down."""

    def __init__(self, ctx: Context, job: Upload, encode_id: str) -> None:
        self.store, self.ctx, self.job, self.encode_id = ctx.store, ctx, job, encode_id
        self.files = VideoFiles(job.video_id)
        self.written: list[Written] = []

    def put_stream(self, key: str, chunks: Iterable[bytes]) -> int:
        data = b"".join(chunks)
        if key.startswith(self.files.hls_prefix) and key.endswith(".m3u8"):
            path = key.removeprefix(self.files.hls_prefix)
            ready = 0 in ready_parts(self.ctx.sessions, self.job.job_id, self.encode_id)
            text = data.decode()
            folder = path.rpartition("/")[0]
            named = [] if path == "master.m3u8" else hls.media_uris(text)
            missing = [uri for uri in named if not self._stored(f"{folder}/{uri}")]
            self.written.append(Written(path, text, ready, missing))
        return self.store.put_stream(key, [data])

    def _stored(self, path: str) -> bool:
        try:
            return self.store.stat(self.files.hls_file(path)).size > 0
        except FileNotFoundError:
            return False

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


def test_chunk_0_publishes_the_start_before_it_is_done(split_ctx: Context, clip: Path) -> None:
    """The audio done, chunk 0 publishes growing playlists of what it has written while it
    runs (here at least its last pass, before it is marked ready), each naming only stored
    files, the audio no further than the video; then the handoff lists the whole chunk."""
    ctx = split_ctx
    job, tasks = plan(ctx, clip)
    run(ctx, tasks[-1])
    assert "hls/master.m3u8" not in job.stored()
    recording = RecordingStore(ctx, job, Recipe.from_json(tasks[0]["recipe"]).encode_id)
    ctx.store = recording  # type: ignore[assignment]
    run(ctx, tasks[0])
    early = [w for w in recording.written if not w.chunk_0_ready]
    paths = {w.path for w in early}
    assert paths == {f"{name}/{PLAYLIST_NAME}" for name in [*RUNGS, AUDIO_NAME]} | {"master.m3u8"}
    assert all(w.missing == [] for w in recording.written)
    for w in early:
        if w.path != "master.m3u8":
            assert "#EXT-X-PLAYLIST-TYPE:EVENT" in w.text and "#EXT-X-ENDLIST" not in w.text
    # The master only after the media playlists it names.
    first_master = next(i for i, w in enumerate(early) if w.path == "master.m3u8")
    assert {w.path for w in early[:first_master]} >= {f"{name}/{PLAYLIST_NAME}" for name in RUNGS}
    assert job.text(f"hls/240p/{PLAYLIST_NAME}").count(".m4s") == 2  # then the whole chunk 0
    assert job.job().published_chunks == 1


def test_a_start_that_waits_for_the_audio_publishes_nothing(split_ctx: Context, clip: Path) -> None:
    """Chunk 0 done before the audio began: nothing is playable (no audio yet); the audio's
    handoff publishes chunk 0 whole."""
    ctx = split_ctx
    job, tasks = plan(ctx, clip)
    run(ctx, tasks[0])
    assert "hls/master.m3u8" not in job.stored()
    run(ctx, tasks[-1])
    assert job.text(f"hls/240p/{PLAYLIST_NAME}").count(".m4s") == 2

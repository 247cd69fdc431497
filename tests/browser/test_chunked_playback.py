"""hls.js plays a split video across its chunk joins: once stitched (VOD), and while the chunks
are still being encoded (EVENT playlists growing under the player).

A 10-s clip with the project's 2-s segments, split above 4 s into 4-s chunks: 0-4, 4-8, 8-10,
so the joins are at 4 s and 8 s. The server runs no worker: this test is the worker, running
the job's messages one at a time (as tests/processor/test_split.py does), so what the player
sees at each moment is known. Every hls.js error event (fatal or not: a gap it skipped over is
reported too) is recorded from the moment the player exists; the page fixture fails the test on
console errors and failed media requests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page

from tests.browser.conftest import NewPage
from tests.browser.helpers import Mailbox, api_account, current_time
from tests.browser.test_sharing import upload
from tests.processor.messages import run, take_all
from videoforge.config import load_settings
from videoforge.context import Context, build_context
from videoforge.testing.clips import make_clip
from videoforge.testing.server import ServerProcess

pytestmark = pytest.mark.slow

SECONDS = 10
JOINS = (4.0, 8.0)
CHUNKING = {"chunk_threshold_seconds": "4", "chunk_seconds": "4", "x264_preset": "ultrafast"}
# Every hls.js error event, kept on the page (set before loadSource's requests can answer).
RECORD_HLS_ERRORS = """
window.__hlsErrors = [];
Object.defineProperty(window, '__vfPlayer', {
  configurable: true,
  get() { return this.__vfPlayerHooked; },
  set(player) {
    player.on('hlsError', (_, d) => window.__hlsErrors.push(
      `${d.type} ${d.details}${d.fatal ? ' (fatal)' : ''}`));
    this.__vfPlayerHooked = player;
  },
});
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """Every role but the processor (this module runs the job's messages itself)."""
    data_dir = tmp_path_factory.mktemp("chunked") / "var"
    env = {f"VIDEOFORGE_{name.upper()}": value for name, value in CHUNKING.items()}
    env["VIDEOFORGE_ROLES"] = "gateway,auth,gallery,streaming"
    with ServerProcess(data_dir, env) as running:
        yield running


@pytest.fixture(scope="module")
def mailbox(server: ServerProcess) -> Mailbox:
    return Mailbox(server.data_dir / "mail")


@pytest.fixture(scope="module")
def worker(server: ServerProcess) -> Iterator[Context]:
    """The processor role's context in this process: the server's database, store and queue."""
    context = build_context(load_settings(data_dir=server.data_dir, **CHUNKING))
    yield context
    context.close()


@pytest.fixture(scope="module")
def client(server: ServerProcess, mailbox: Mailbox) -> Iterator[httpx.Client]:
    signed_in = api_account(server, mailbox, "splitter")
    yield signed_in
    signed_in.close()


@pytest.fixture(scope="module")
def long_clip(session_ffmpeg: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("chunked-clip") / "long.mp4"
    return make_clip(session_ffmpeg, dest, seconds=SECONDS, width=640, height=360)


def plan(ctx: Context, client: httpx.Client, clip: Path) -> tuple[str, dict[int, dict[str, Any]]]:
    """Upload, run the job's first message; the video's id and its tasks by index (audio: -1)."""
    video = upload(client, clip, "Three chunks", "public")
    (first,) = take_all(ctx)
    run(ctx, first)
    tasks = {body["index"]: body for body in take_all(ctx)}
    assert sorted(tasks) == [-1, 0, 1, 2]
    return video["id"], tasks


def finish(ctx: Context) -> None:
    (final,) = take_all(ctx)
    assert final["kind"] == "finish"
    run(ctx, final)


def open_and_play(page: Page, video_id: str) -> None:
    page.add_init_script(RECORD_HLS_ERRORS)
    page.goto(f"/watch/{video_id}")
    page.wait_for_function("() => document.querySelector('video')?.readyState >= 1")
    page.evaluate("() => { const v = document.querySelector('video'); v.muted = true; v.play(); }")


def wait_past(page: Page, seconds: float) -> None:
    page.wait_for_function(
        "t => document.querySelector('video').currentTime > t", arg=seconds, timeout=60_000
    )


def buffered(page: Page) -> list[list[float]]:
    ranges: list[list[float]] = page.evaluate(
        "() => { const b = document.querySelector('video').buffered;"
        " return Array.from({length: b.length}, (_, i) => [b.start(i), b.end(i)]); }"
    )
    return ranges


def hls_errors(page: Page) -> list[str]:
    errors: list[str] = page.evaluate("window.__hlsErrors")
    return errors


def assert_played_across_the_joins(page: Page) -> None:
    wait_past(page, JOINS[-1] + 0.5)
    assert page.evaluate("Boolean(window.__vfPlayerHooked)")  # errors were being recorded
    assert hls_errors(page) == []
    (only,) = buffered(page)  # one range: no gap at a join, audio and video alike
    assert only[0] < 0.1 and only[1] > JOINS[-1] + 0.5, only
    assert page.evaluate("document.querySelector('video').error") is None


def test_the_stitched_video_plays_across_its_joins(
    new_page: NewPage, worker: Context, client: httpx.Client, long_clip: Path
) -> None:
    video_id, tasks = plan(worker, client, long_clip)
    for index in (-1, 0, 1, 2):
        run(worker, tasks[index])
    finish(worker)
    assert client.get(f"/api/gallery/videos/{video_id}").json()["status"] == "ready"

    page = new_page(viewport={"width": 1366, "height": 800})
    open_and_play(page, video_id)
    # Fetched ahead of playback, the whole video is buffered as one range before the first join.
    page.wait_for_function(
        "d => { const b = document.querySelector('video').buffered;"
        " return b.length === 1 && b.end(0) > d - 0.5; }",
        arg=SECONDS,
    )
    assert current_time(page) < JOINS[0]
    assert_played_across_the_joins(page)


def test_playing_while_the_chunks_are_encoded(
    new_page: NewPage, worker: Context, client: httpx.Client, long_clip: Path
) -> None:
    video_id, tasks = plan(worker, client, long_clip)
    run(worker, tasks[-1])
    run(worker, tasks[0])  # the playlists list chunk 0 (EVENT): the video plays from its start
    page = new_page(viewport={"width": 1366, "height": 800})
    open_and_play(page, video_id)
    wait_past(page, 0.5)
    assert page.evaluate("window.__vfPlayer.levels.some(level => level.details?.live)")
    run(worker, tasks[1])  # the playlists grow under the player, past the first join
    wait_past(page, JOINS[0] + 0.5)
    run(worker, tasks[2])
    finish(worker)  # the VOD playlists replace the growing ones
    assert client.get(f"/api/gallery/videos/{video_id}").json()["status"] == "ready"
    assert_played_across_the_joins(page)

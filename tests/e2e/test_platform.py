"""End to end against the real server process: register, upload, transcode, play every rung.

Also: a private video stays invisible to another account, and a server killed with SIGKILL in
the middle of a job still ends with that job ready, once.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest

from videoforge.testing.api import decode, sign_in, upload, wait_for_job
from videoforge.testing.clips import make_clip
from videoforge.testing.leftovers import hls_problems
from videoforge.testing.server import FAST_ENV, ServerProcess

pytestmark = pytest.mark.slow


def test_upload_transcode_and_play_every_rendition(tmp_path: Path, ffmpeg: str) -> None:
    clip = make_clip(ffmpeg, tmp_path / "holiday.mp4", seconds=4, width=1280, height=720, fps=30)
    with ServerProcess(tmp_path / "var", FAST_ENV) as server:
        base = server.url
        alice = sign_in(base, "alice")
        video = upload(base, alice, clip)
        job = wait_for_job(base, alice, video["jobId"], {"ready", "failed"})
        assert job["status"] == "ready", job
        assert job["progress"] == 100

        stream = httpx.get(f"{base}/api/stream/{video['id']}", headers=alice).json()
        names = [q["quality"] for q in stream["qualities"] if q["quality"] != "auto"]
        assert names[:3] == ["720p", "480p", "360p"]
        master_url = urljoin(base, stream["masterUrl"])
        master = httpx.get(master_url).text
        assert master.count("#EXT-X-STREAM-INF") == len(names)
        for name in names:
            quality = httpx.get(
                f"{base}/api/stream/{video['id']}", params={"quality": name}, headers=alice
            ).json()
            decode(ffmpeg, urljoin(base, quality["streamUrl"]))

        listed = httpx.get(f"{base}/api/gallery/videos").json()
        assert [v["id"] for v in listed["videos"]] == [video["id"]]
        thumb = httpx.get(urljoin(base, listed["videos"][0]["thumbnailUrl"]))
        assert thumb.headers["content-type"] == "image/jpeg"


def test_private_video_is_invisible_to_others(
    tmp_path: Path, ffmpeg: str, small_clip: Path
) -> None:
    with ServerProcess(tmp_path / "var", FAST_ENV) as server:
        base = server.url
        alice, bob = sign_in(base, "alice"), sign_in(base, "bob")
        video = upload(base, alice, small_clip, visibility="private")
        wait_for_job(base, alice, video["jobId"], {"ready"})
        for headers in (bob, {}):
            assert (
                httpx.get(f"{base}/api/gallery/videos/{video['id']}", headers=headers).status_code
                == 404
            )
            assert httpx.get(f"{base}/api/stream/{video['id']}", headers=headers).status_code == 404
            listed = httpx.get(f"{base}/api/gallery/videos", headers=headers).json()
            assert listed["pagination"]["total"] == 0
        # The owner's signed link works; the same token on a made-up path of another video does not.
        stream = httpx.get(f"{base}/api/stream/{video['id']}", headers=alice).json()
        assert httpx.get(urljoin(base, stream["masterUrl"])).status_code == 200
        forged = stream["masterUrl"].replace(video["id"], "0" * 32)
        assert httpx.get(urljoin(base, forged)).status_code == 403


def test_job_survives_sigkill_of_the_server(tmp_path: Path, ffmpeg: str) -> None:
    clip = make_clip(ffmpeg, tmp_path / "long.mp4", seconds=12, width=1280, height=720, fps=30)
    # A slower preset so the job is surely still running when the server dies.
    env = {**FAST_ENV, "VIDEOFORGE_X264_PRESET": "veryfast"}
    data_dir = tmp_path / "var"
    server = ServerProcess(data_dir, env).start()
    try:
        alice = sign_in(server.url, "alice")
        video = upload(server.url, alice, clip)
        running = wait_for_job(server.url, alice, video["jobId"], {"processing", "ready"})
        assert running["status"] == "processing", (
            "the job finished before the kill; use a longer clip"
        )
        server.kill()
    finally:
        server.stop()

    with ServerProcess(data_dir, env) as restarted:
        job = wait_for_job(restarted.url, alice, video["jobId"], {"ready", "failed"})
        assert job["status"] == "ready", job
        assert job["attempts"] == 2
        ready = httpx.get(f"{restarted.url}/api/gallery/videos/{video['id']}", headers=alice).json()
        assert ready["status"] == "ready"
        # One set of outputs: each rung's playlist lists each segment once, and every file in the
        # rung's folder is referenced (nothing left over from the killed attempt).
        assert hls_problems(data_dir / "store" / "videos" / video["id"] / "hls") == []

"""A long video split into chunk tasks in the split topology (PostgreSQL, S3, SQS, two workers
with a disk each): one worker SIGKILLed mid-job costs at most its one chunk, and the stitched
video plays from the gateway."""

from __future__ import annotations

import signal
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest

from videoforge.media import hls
from videoforge.testing.api import decode, sign_in, upload, wait_for_job, wait_until
from videoforge.testing.clips import make_clip
from videoforge.testing.topology import split

pytestmark = pytest.mark.slow

SPLIT_ENV = {
    "VIDEOFORGE_CHUNK_THRESHOLD_SECONDS": "4",
    "VIDEOFORGE_CHUNK_SECONDS": "2",
    "VIDEOFORGE_SEGMENT_SECONDS": "1",
    "VIDEOFORGE_KEYFRAME_SECONDS": "1",
    "VIDEOFORGE_LADDER": "360,240",
    "VIDEOFORGE_WORKER_CONCURRENCY": "1",  # one chunk per worker at a time
}


def test_chunks_survive_a_killed_worker(
    tmp_path: Path, postgres_admin_url: str, session_ffmpeg: str
) -> None:
    clip = make_clip(session_ffmpeg, tmp_path / "long.mp4", seconds=12, width=640, height=360)
    with split(tmp_path / "topo", postgres_admin_url, env=SPLIT_ENV) as topo:
        base = topo.url
        alice = sign_in(base, "alice")
        video = upload(base, alice, clip)
        job_url = f"{base}/api/jobs/{video['jobId']}"

        def chunk_running() -> bool:
            tasks = httpx.get(job_url, headers=alice).json()["tasks"]
            return any(t["kind"] == "chunk" and t["status"] == "processing" for t in tasks)

        assert wait_until(chunk_running, timeout=90), topo.logs()
        victim = topo.workers[0].process
        assert victim is not None
        victim.send_signal(signal.SIGKILL)  # no grace: its lease runs out, its chunk comes back

        job = wait_for_job(base, alice, video["jobId"], {"ready", "failed", "cancelled"}, 240)
        assert job["status"] == "ready", f"{job}\n{topo.logs()}"
        tasks = job["tasks"]
        chunks = [t for t in tasks if t["kind"] == "chunk"]
        assert [t["index"] for t in chunks] == list(range(6))
        assert [(t["startSeconds"], t["endSeconds"]) for t in chunks[:2]] == [(0, 2), (2, 4)]
        assert all(t["status"] == "ready" for t in tasks)
        # Every task ran once, but for at most the one the killed worker held.
        assert sum(t["attempts"] for t in tasks) <= len(tasks) + 1
        assert topo.sqs_depth() == {"queue": 0, "dlq": 0}

        stream = httpx.get(f"{base}/api/stream/{video['id']}", headers=alice).json()
        master_url = urljoin(base, stream["masterUrl"])
        master = httpx.get(master_url, follow_redirects=True).text
        for uri in hls.parse_master(master).playlist_uris:
            media_url = urljoin(master_url, uri)
            playlist = httpx.get(media_url, follow_redirects=True).text
            assert "#EXT-X-ENDLIST" in playlist and "DISCONTINUITY" not in playlist
            decode(session_ffmpeg, media_url)
        keys = [o.key for o in topo.store.list(f"videos/{video['id']}/")]
        assert not [k for k in keys if "/parts/" in k]
        assert any(k.endswith("/download.mp4") for k in keys)

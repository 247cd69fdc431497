"""One end-to-end scenario, run against both supported topologies: all-in-one (`videoforge
serve` on SQLite and local disk) and split (four role processes and two workers on PostgreSQL,
S3 and SQS). Clients only ever talk to the gateway, so the behaviour must be the same."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest
from sqlalchemy import create_engine, text

from videoforge.db import alembic_config
from videoforge.media import hls
from videoforge.testing.api import decode, sign_in, wait_for_job
from videoforge.testing.clips import make_clip
from videoforge.testing.topology import SplitTopology, Topology, all_in_one

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory, session_ffmpeg: str) -> Path:
    path = tmp_path_factory.mktemp("topology") / "holiday trip.mp4"
    return make_clip(session_ffmpeg, path, seconds=3, width=640, height=360, fps=25)


# -- the scenario -------------------------------------------------------------------------


def tus_upload(base: str, auth: dict[str, str], clip: Path, **metadata: str) -> str:
    """Upload with tus in two PATCHes, asking the server for the offset in between, as a
    client resuming after a dropped connection does. Returns the new video's id."""
    data = clip.read_bytes()
    meta = {"filename": clip.name, "filetype": "video/mp4", **metadata}
    encoded = ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in meta.items())
    tus = {**auth, "Tus-Resumable": "1.0.0"}
    created = httpx.post(
        f"{base}/api/gallery/uploads/",
        headers={**tus, "Upload-Length": str(len(data)), "Upload-Metadata": encoded},
    )
    assert created.status_code == 201, created.text
    location = created.headers["location"]
    assert location.startswith(base), f"tus Location {location} bypasses the gateway {base}"
    patch = {**tus, "Content-Type": "application/offset+octet-stream"}
    half = len(data) // 2
    first = httpx.patch(location, headers={**patch, "Upload-Offset": "0"}, content=data[:half])
    assert first.status_code == 204, first.text
    offset = int(httpx.head(location, headers=tus).headers["upload-offset"])
    assert offset == half
    last = httpx.patch(
        location, headers={**patch, "Upload-Offset": str(offset)}, content=data[offset:]
    )
    assert last.status_code == 204, last.text
    return last.headers["video-id"]


def stored(topo: Topology, video_id: str) -> list[str]:
    return sorted(obj.key for obj in topo.store.list(f"videos/{video_id}"))


def scenario(
    topo: Topology, clip: Path, ffmpeg: str, on_uploaded: Callable[[str], None] | None = None
) -> None:
    base = topo.url
    alice, bob = sign_in(base, "alice"), sign_in(base, "bob")

    video_id = tus_upload(base, alice, clip, title="Holiday", visibility="private")
    if on_uploaded:
        on_uploaded(video_id)
    video = httpx.get(f"{base}/api/gallery/videos/{video_id}", headers=alice).json()
    job = wait_for_job(base, alice, video["jobId"], {"ready", "failed", "cancelled"}, timeout=90)
    assert job["status"] == "ready", f"{job}\n{topo.logs()}"
    assert job["progress"] == 100

    stream = httpx.get(f"{base}/api/stream/{video_id}", headers=alice)
    assert stream.status_code == 200, stream.text
    names = [q["quality"] for q in stream.json()["qualities"] if q["quality"] != "auto"]
    assert names[:2] == ["360p", "240p"]
    master_url = urljoin(base, stream.json()["masterUrl"])
    master = httpx.get(master_url)
    assert master.status_code == 200
    assert master.headers["content-type"] == "application/vnd.apple.mpegurl"
    playlists = hls.parse_master(master.text).playlist_uris
    assert len(playlists) >= len(names)
    for uri in playlists:
        media_url = urljoin(master_url, uri)
        decode(ffmpeg, media_url)
        first = hls.first_segment_uri(httpx.get(media_url).text)
        assert first is not None
        segment = httpx.get(urljoin(media_url, first))
        if topo.media_redirects_to:  # the bytes come from the bucket, not through the app
            assert segment.status_code == 307, segment.text
            assert segment.headers["location"].startswith(topo.media_redirects_to)
            assert segment.headers["cache-control"].startswith("private")
        else:
            assert segment.status_code == 200
        fetched = httpx.get(urljoin(media_url, first), follow_redirects=True)
        assert fetched.headers["content-type"] == "video/iso.segment"
    keys = stored(topo, video_id)
    assert f"videos/{video_id}/hls/master.m3u8" in keys
    assert sum(key.endswith(".m4s") for key in keys) >= len(playlists)
    assert f"videos/{video_id}/thumbnail.jpg" in keys

    # Private: nobody else sees it, listed or by id, playing or not.
    for other in (bob, {}):
        assert httpx.get(f"{base}/api/gallery/videos/{video_id}", headers=other).status_code == 404
        assert httpx.get(f"{base}/api/stream/{video_id}", headers=other).status_code == 404
        listed = httpx.get(f"{base}/api/gallery/videos", headers=other).json()
        assert listed["pagination"]["total"] == 0
    assert httpx.delete(f"{base}/api/gallery/videos/{video_id}", headers=bob).status_code == 404

    # Deleting removes the row and every stored file.
    assert httpx.delete(f"{base}/api/gallery/videos/{video_id}", headers=alice).status_code == 204
    assert httpx.get(f"{base}/api/gallery/videos/{video_id}", headers=alice).status_code == 404
    assert stored(topo, video_id) == []


# -- the two topologies -------------------------------------------------------------------


def test_all_in_one(tmp_path: Path, clip: Path, session_ffmpeg: str) -> None:
    with all_in_one(tmp_path) as topo:
        scenario(topo, clip, session_ffmpeg)


def test_split_on_postgresql_s3_and_sqs(
    split_topology: SplitTopology, clip: Path, session_ffmpeg: str
) -> None:
    topo = split_topology
    # Three `db upgrade` processes started together all queued on the migration lock (held by
    # the harness until all three waited), then all succeeded, leaving one head revision.
    race = topo.upgrades
    assert race is not None
    assert race.waiting == 3
    assert [run.returncode for run in race.results] == [0, 0, 0], [r.stdout for r in race.results]
    assert_schema_at_head(topo.database_url)
    for name, server in topo.servers.items():
        ready = httpx.get(f"{server.url}/api/ready")
        assert ready.status_code == 200, f"{name}: {ready.text}"

    def job_waits_on_sqs(video_id: str) -> None:
        # With the workers paused, the job's message is on SQS (not in the database queue) and
        # the video's row is in PostgreSQL.
        assert topo.sqs_depth() == {"queue": 1, "dlq": 0}
        assert topo.count_rows("queue_messages") == 0
        assert topo.count_rows("videos") == 1
        topo.resume_workers()

    topo.pause_workers()
    scenario(topo, clip, session_ffmpeg, on_uploaded=job_waits_on_sqs)
    assert topo.sqs_depth() == {"queue": 0, "dlq": 0}  # taken, done and deleted
    assert topo.count_rows("videos") == 0


def assert_schema_at_head(database_url: str) -> None:
    from alembic.script import ScriptDirectory

    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            head = ScriptDirectory.from_config(alembic_config(conn)).get_current_head()
            versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars()
            assert list(versions) == [head]
    finally:
        engine.dispose()

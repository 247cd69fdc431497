"""Pictures, seek previews and the MP4 download, made by the job and served by streaming."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import bearer
from tests.processor.conftest import Upload
from videoforge.app import create_app
from videoforge.config import Settings
from videoforge.context import Context
from videoforge.db import User, Video
from videoforge.media.probe import probe
from videoforge.streaming.media import download_name
from videoforge.testing.clips import make_clip

pytestmark = pytest.mark.slow

MakeUpload = Callable[..., Upload]


@pytest.fixture
def streaming(settings: Settings, ctx: Context) -> Iterator[TestClient]:
    only = settings.model_copy(update={"roles": ["streaming"]})
    with TestClient(create_app(only, context=ctx)) as client:
        yield client


def grey_8x8(ffmpeg: str, picture: Path) -> bytes:
    """The picture shrunk to 8x8 grey pixels, decoded independently of the job."""
    return subprocess.run(
        [ffmpeg, "-v", "error", "-i", str(picture), "-vf", "scale=8:8:flags=area,format=gray",
         "-f", "rawvideo", "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip


def test_job_makes_storyboard_preview_and_download(
    ctx: Context, ffmpeg: str, tmp_path: Path, upload: MakeUpload, streaming: TestClient
) -> None:
    source = make_clip(ffmpeg, tmp_path / "clip.mp4", seconds=5, width=640, height=360)
    job = upload(source)
    job.run()
    assert job.video().status == "ready"
    stored = set(job.stored())
    assert {"storyboard.jpg", "storyboard.vtt", "preview.webp", "download.mp4"} <= stored

    vtt = job.text("storyboard.vtt")
    assert vtt.startswith("WEBVTT") and vtt.count("storyboard.jpg#xywh=") == 5
    assert re.search(r"00:00:04.000 --> 00:00:05.000\nstoryboard.jpg#xywh=640,0,160,90", vtt)
    sprite, preview = tmp_path / "s.jpg", tmp_path / "p.webp"
    sprite.write_bytes(job.read("storyboard.jpg"))
    preview.write_bytes(job.read("preview.webp"))
    assert (probe_size(ffmpeg, sprite)) == "800x90"
    assert job.read("preview.webp")[8:12] == b"WEBP" and "320x180" in probe_size(ffmpeg, preview)

    download = tmp_path / "download.mp4"
    data = job.read("download.mp4")
    download.write_bytes(data)
    assert data.index(b"moov") < data.index(b"mdat")  # faststart: playable while downloading
    facts = probe(download)
    assert (facts.width, facts.height, facts.audio_codec) == (640, 360, "aac")
    assert facts.duration == pytest.approx(5.0, abs=0.2)

    with ctx.sessions() as session:
        owner = session.get(User, job.video().user_id)
        assert owner is not None
        token = ctx.tokens.issue_access(owner)
    resp = streaming.get(f"/api/stream/{job.video_id}/download", follow_redirects=False)
    assert resp.status_code == 307
    location = resp.headers["location"]
    assert location.startswith(f"/media/{job.video_id}/") and "/download.mp4?name=" in location
    served = streaming.get(location)
    assert served.status_code == 200 and served.content == data
    assert served.headers["content-type"] == "video/mp4"
    title = job.video().title
    assert served.headers["content-disposition"] == f'attachment; filename="{title}.mp4"'

    set_video(ctx, job.video_id, status="processing")
    resp = streaming.get(f"/api/stream/{job.video_id}/download")
    assert resp.status_code == 409 and resp.json()["error"]["code"] == "not_ready"
    set_video(ctx, job.video_id, status="ready", visibility="private")
    assert streaming.get(f"/api/stream/{job.video_id}/download").status_code == 404
    owned = streaming.get(
        f"/api/stream/{job.video_id}/download", headers=bearer(token), follow_redirects=False
    )
    assert owned.status_code == 307


def test_a_black_stretch_is_not_chosen_for_the_poster(
    ffmpeg: str, tmp_path: Path, upload: MakeUpload
) -> None:
    black_start = "drawbox=x=0:y=0:w=iw:h=ih:color=black:t=fill:enable='lt(t,3.6)'"
    args = ("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-vf", black_start)
    source = make_clip(ffmpeg, tmp_path / "dark.mp4", seconds=6, video_args=args)
    job = upload(source)
    job.run()
    for name in ("poster.jpg", "thumbnail.jpg"):
        picture = tmp_path / name
        picture.write_bytes(job.read(name))
        grey = grey_8x8(ffmpeg, picture)
        assert sum(grey) / len(grey) > 40, name


def test_audio_only_has_no_download(
    ffmpeg: str, tmp_path: Path, upload: MakeUpload, streaming: TestClient
) -> None:
    job = upload(make_clip(ffmpeg, tmp_path / "song.m4a", video=False))
    job.run()
    assert not {"download.mp4", "storyboard.jpg", "preview.webp"} & set(job.stored())
    resp = streaming.get(f"/api/stream/{job.video_id}/download")
    assert resp.status_code == 404


def probe_size(ffmpeg: str, path: Path) -> str:
    said = subprocess.run([ffmpeg, "-hide_banner", "-i", str(path)], capture_output=True, text=True)
    found = re.search(r"Video: .*?(\d+x\d+)", said.stderr)
    assert found is not None, said.stderr
    return found[1]


def set_video(ctx: Context, video_id: str, **values: str) -> None:
    with ctx.sessions() as session:
        video = session.get(Video, video_id)
        assert video is not None
        for key, value in values.items():
            setattr(video, key, value)
        session.commit()


def test_download_names_are_safe() -> None:
    assert download_name('My "trip"/../2024: day 1') == "My trip..2024 day 1.mp4"
    assert download_name(None) == download_name("///") == "video.mp4"

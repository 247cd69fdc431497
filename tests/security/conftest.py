"""The whole API with three people (owner, another user, an administrator) and the owner's
private video with its job, playlist and pictures in the store, a caption track and a comment,
and the owner's private playlist holding it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from tests.conftest import bearer, register
from videoforge.auth import service
from videoforge.context import Context
from videoforge.db import Caption, Comment, Job, Playlist, PlaylistEntry, Video
from videoforge.storage.layout import VideoFiles, caption_path
from videoforge.streaming.signing import Audience, media_url

PASSWORD = "correct horse 42"
MASTER = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360\n360p/index.m3u8\n"


@dataclass
class World:
    headers: dict[str, dict[str, str]]  # caller -> Authorization header ("anon" has none)
    user_ids: dict[str, str]
    private_video: str
    private_job: str
    private_comment: str  # the owner's comment on the private video
    private_playlist: str  # the owner's private playlist, holding the private video
    private_entry: str
    public_video: str
    media_token: str  # a signed token for the private video
    public_media_token: str  # one for the public video (must not open the private one)


def context(client: TestClient) -> Context:
    ctx: Context = client.app.state.ctx  # type: ignore[attr-defined]
    return ctx


def add_ready_video(ctx: Context, user_id: str, visibility: str) -> tuple[str, str]:
    with ctx.sessions() as db:
        video = Video(
            user_id=user_id,
            title=f"{visibility} clip",
            visibility=visibility,
            status="ready",
            source_key="videos/placeholder/source/clip.mp4",
            duration=2.0,
            width=640,
            height=360,
            renditions=[
                {
                    "name": "360p",
                    "width": 640,
                    "height": 360,
                    "bandwidth": 800000,
                    "fps": 30,
                    "playlist": "hls/360p/index.m3u8",
                }
            ],
        )
        db.add(video)
        db.flush()
        video.source_key = f"videos/{video.id}/source/clip.mp4"
        job = Job(video_id=video.id, user_id=user_id, status="ready", progress=100.0)
        db.add(job)
        db.commit()
    prefix = f"videos/{video.id}"
    ctx.store.put_stream(f"{prefix}/source/clip.mp4", [b"not really a video"])
    ctx.store.put_stream(f"{prefix}/hls/master.m3u8", [MASTER.encode()])
    ctx.store.put_stream(f"{prefix}/hls/360p/index.m3u8", [b"#EXTM3U\n"])
    for picture in ("thumbnail.jpg", "poster.jpg", "download.mp4"):
        ctx.store.put_stream(f"{prefix}/{picture}", [b"\xff\xd8\xff\xd9"])
    return video.id, job.id


def add_video_items(ctx: Context, user_id: str, video_id: str) -> tuple[str, str, str]:
    """A caption track ("en") and a comment on the video, and a private playlist holding it:
    (comment id, playlist id, entry id)."""
    with ctx.sessions() as db:
        caption = Caption(video_id=video_id, language="en", label="English", cues_end=1.0)
        comment = Comment(video_id=video_id, user_id=user_id, body="First!")
        playlist = Playlist(user_id=user_id, title="Mine", visibility="private")
        db.add_all([caption, comment, playlist])
        db.flush()
        entry = PlaylistEntry(playlist_id=playlist.id, video_id=video_id, position=0)
        db.add(entry)
        db.commit()
        ids = comment.id, playlist.id, entry.id
        vtt = VideoFiles(video_id).key(caption_path(caption.id))
    ctx.store.put_stream(vtt, [b"WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n"])
    return ids


def token_of(url: str) -> str:
    return url.split("/")[3]  # /media/{video_id}/{token}/{path}


@pytest.fixture
def world(client: TestClient) -> World:
    ctx = context(client)
    with ctx.sessions() as db:
        service.create_user(
            db, username="root", email="root@example.com", password=PASSWORD, role="admin"
        )
    headers = {"anon": {}, "owner": bearer(register(client, "olga"))}
    headers["other"] = bearer(register(client, "otto"))
    login = client.post("/api/auth/login", json={"username": "root", "password": PASSWORD})
    headers["admin"] = bearer(login.json()["accessToken"])
    user_ids = {
        who: client.get("/api/auth/me", headers=headers[who]).json()["id"]
        for who in ("owner", "other", "admin")
    }
    private_video, private_job = add_ready_video(ctx, user_ids["owner"], "private")
    public_video, _ = add_ready_video(ctx, user_ids["owner"], "public")
    comment, playlist, entry = add_video_items(ctx, user_ids["owner"], private_video)
    ttl = ctx.settings.media_url_ttl_seconds
    secret = ctx.tokens.media_secret
    return World(
        headers=headers,
        user_ids=user_ids,
        private_video=private_video,
        private_job=private_job,
        private_comment=comment,
        private_playlist=playlist,
        private_entry=entry,
        public_video=public_video,
        media_token=token_of(
            media_url(secret, private_video, "hls/master.m3u8", ttl, Audience.PRIVATE)
        ),
        public_media_token=token_of(media_url(secret, public_video, "hls/master.m3u8", ttl)),
    )

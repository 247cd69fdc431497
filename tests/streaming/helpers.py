"""Streaming test data: users and videos written straight to the database, and fake HLS output
(playlists, a few bytes per segment, pictures) written straight to the store. No ffmpeg needed."""

from __future__ import annotations

from typing import Any

from videoforge.context import Context
from videoforge.db import User, Video
from videoforge.streaming.signing import sign_media

RUNGS: list[dict[str, Any]] = [
    {"name": "720p", "width": 1280, "height": 720, "bandwidth": 3040000, "fps": 30,
     "playlist": "hls/720p/index.m3u8"},
    {"name": "480p", "width": 854, "height": 480, "bandwidth": 1240000, "fps": 30,
     "playlist": "hls/480p/index.m3u8"},
    {"name": "360p", "width": 640, "height": 360, "bandwidth": 700000, "fps": 30,
     "playlist": "hls/360p/index.m3u8"},
]  # fmt: skip

SEGMENT_BYTES = bytes(range(256)) * 4


def make_user(ctx: Context, username: str, role: str = "user") -> User:
    with ctx.sessions() as db:
        user = User(
            username=username, email=f"{username}@example.com", password_hash="-", role=role
        )
        db.add(user)
        db.commit()
        return user


def owner_other_admin(ctx: Context) -> dict[str, User]:
    """The three viewers access tests try: the owner, another user and an admin."""
    return {
        "owner": make_user(ctx, "owner"),
        "other": make_user(ctx, "other"),
        "admin": make_user(ctx, "boss", role="admin"),
    }


def auth(ctx: Context, user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {ctx.tokens.issue_access(user)}"}


def make_video(
    ctx: Context,
    owner: User,
    *,
    visibility: str = "public",
    status: str = "ready",
    renditions: list[dict[str, Any]] | None = None,
    error: str | None = None,
) -> Video:
    with ctx.sessions() as db:
        video = Video(
            user_id=owner.id,
            title="A test video",
            visibility=visibility,
            status=status,
            error=error,
            source_key="placeholder",
            duration=8.0,
            renditions=RUNGS if renditions is None else renditions,
        )
        db.add(video)
        db.flush()
        video.source_key = f"videos/{video.id}/source/upload.mp4"
        db.commit()
        return video


def put(ctx: Context, video_id: str, path: str, data: bytes | str) -> None:
    body = data.encode() if isinstance(data, str) else data
    ctx.store.put_stream(f"videos/{video_id}/{path}", [body])


def master_playlist(rungs: list[dict[str, Any]], audio: bool = True) -> str:
    lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS"]
    if audio:
        lines.append(
            '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="audio",DEFAULT=YES,'
            'AUTOSELECT=YES,URI="audio/index.m3u8"'
        )
    for rung in rungs:
        lines.append(
            f"#EXT-X-STREAM-INF:BANDWIDTH={rung['bandwidth']},"
            f"RESOLUTION={rung['width']}x{rung['height']},FRAME-RATE=30.000,"
            'CODECS="avc1.64001f,mp4a.40.2",AUDIO="aud"'
        )
        lines.append(f"{rung['name']}/index.m3u8")
    return "\n".join(lines) + "\n"


def media_playlist(segments: int, finished: bool, kind: str = "EVENT") -> str:
    lines = [
        "#EXTM3U",
        "#EXT-X-VERSION:7",
        "#EXT-X-TARGETDURATION:4",
        "#EXT-X-MEDIA-SEQUENCE:0",
        f"#EXT-X-PLAYLIST-TYPE:{kind}",
        '#EXT-X-MAP:URI="init.mp4"',
    ]
    for number in range(1, segments + 1):
        lines += ["#EXTINF:4.000000,", f"seg_{number:05d}.m4s"]
    if finished:
        lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


def write_hls(
    ctx: Context,
    video_id: str,
    rungs: list[dict[str, Any]] = RUNGS,
    *,
    segments: int = 2,
    finished: bool = True,
    audio: bool = True,
    pictures: bool = True,
) -> None:
    """Fake transcoder output following the store layout."""
    put(ctx, video_id, "hls/master.m3u8", master_playlist(rungs, audio))
    folders = [r["name"] for r in rungs] + (["audio"] if audio else [])
    for folder in folders:
        put(ctx, video_id, f"hls/{folder}/index.m3u8", media_playlist(segments, finished))
        put(ctx, video_id, f"hls/{folder}/init.mp4", b"\x00\x00\x00\x18ftypiso6")
        for number in range(1, segments + 1):
            put(ctx, video_id, f"hls/{folder}/seg_{number:05d}.m4s", SEGMENT_BYTES)
    if pictures:
        put(ctx, video_id, "thumbnail.jpg", b"\xff\xd8\xff\xe0 thumbnail")
        put(ctx, video_id, "poster.jpg", b"\xff\xd8\xff\xe0 poster")
    put(ctx, video_id, "source/upload.mp4", b"the original upload")


def media_path(ctx: Context, video_id: str, path: str, **sign: Any) -> str:
    token = sign_media(ctx.tokens.media_secret, video_id, sign.pop("ttl", 3600), **sign)
    return f"/media/{video_id}/{token}/{path}"

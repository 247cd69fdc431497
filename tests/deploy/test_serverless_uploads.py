"""A whole tus upload through the gallery's Lambda handler, as a function URL carries it: PATCH
bodies base64-encoded in the event, no larger than the limit the function announces (AWS
Lambda takes 6 MB per request, after base64). On the local store and on S3 (a moto server),
which is what the function uses in the lambda shape."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.deploy.test_serverless import Event, function_url, invoke
from videoforge import serverless
from videoforge.config import load_settings
from videoforge.context import build_context
from videoforge.db import User, Video
from videoforge.testing.aws import CREDENTIALS, MotoServer, unique_name
from videoforge.testing.clips import make_clip

MAX_CHUNK = 4 * 1024 * 1024  # what deploy/aws sets for the gallery function
# A lossless clip of noise: about 11 MB, so 3 PATCHes, and on S3 a whole 8-MiB part and a tail.
BIG_CLIP_ARGS = ("-c:v", "libx264", "-preset", "ultrafast", "-qp", "0", "-pix_fmt", "yuv420p")
TUS = {"tus-resumable": "1.0.0"}


@pytest.fixture(scope="module")
def big_clip(tmp_path_factory: pytest.TempPathFactory, session_ffmpeg: str) -> bytes:
    dest = tmp_path_factory.mktemp("clips") / "noise.mp4"
    make_clip(
        session_ffmpeg,
        dest,
        seconds=1,
        width=640,
        height=360,
        audio=False,
        video_args=BIG_CLIP_ARGS,
        extra_args=("-vf", "noise=alls=60:allf=t"),
    )
    data = dest.read_bytes()
    assert len(data) > 2 * MAX_CHUNK  # several PATCHes
    return data


@pytest.fixture(scope="module")
def aws() -> Iterator[MotoServer]:
    with MotoServer() as server:
        yield server


@pytest.fixture(params=["local", "s3"])
def function_env(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """The gallery function's environment: the chunk limit, and the store under test."""
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("VIDEOFORGE_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("VIDEOFORGE_TUS_MAX_CHUNK_BYTES", str(MAX_CHUNK))
    if request.param == "s3":
        aws: MotoServer = request.getfixturevalue("aws")
        bucket = unique_name("media")
        aws.client("s3").create_bucket(Bucket=bucket)
        for name, value in CREDENTIALS.items():
            monkeypatch.setenv(name.upper(), value)
        monkeypatch.setenv("VIDEOFORGE_STORE", "s3")
        monkeypatch.setenv("S3_BUCKET_NAME", bucket)
        monkeypatch.setenv("VIDEOFORGE_S3_ENDPOINT_URL", aws.endpoint_url)
        monkeypatch.setenv("VIDEOFORGE_AWS_REGION", aws.region)
    serverless._handler.cache_clear()
    yield tmp_path / "var"
    serverless._handler.cache_clear()


def signed_in(data_dir: Path) -> str:
    """A user and an access token for them, made as the auth role would."""
    ctx = build_context(load_settings(data_dir=data_dir))
    try:
        with ctx.sessions() as db:
            user = User(username="alice", email="alice@example.com", password_hash="x")
            db.add(user)
            db.commit()
            return ctx.tokens.issue_access(user)
    finally:
        ctx.close()


def request(method: str, path: str, headers: dict[str, str], data: bytes = b"") -> Event:
    """A function URL event; a body arrives base64-encoded, as Lambda carries binary ones."""
    event = function_url(path)
    event["requestContext"]["http"]["method"] = method
    event["headers"] |= {k.lower(): v for k, v in headers.items()}
    if data:
        event["headers"]["content-length"] = str(len(data))
        event["body"] = base64.b64encode(data).decode()
        event["isBase64Encoded"] = True
    return event


def call(event: Event) -> tuple[int, dict[str, str], Any]:
    response = invoke(serverless.gallery_handler, event, None)
    headers = {k.lower(): v for k, v in (response.get("headers") or {}).items()}
    return response["statusCode"], headers, response.get("body")


def patch(path: str, token: str, offset: int, data: bytes) -> tuple[int, dict[str, str], Any]:
    headers = {
        **TUS,
        "authorization": f"Bearer {token}",
        "upload-offset": str(offset),
        "content-type": "application/offset+octet-stream",
    }
    return call(request("PATCH", path, headers, data))


def test_a_whole_upload_through_the_function(function_env: Path, big_clip: bytes) -> None:
    token = signed_in(function_env)
    auth = {"authorization": f"Bearer {token}"}

    status, options, _ = call(request("OPTIONS", "/api/gallery/uploads/", {}))
    assert status == 204 and options["tus-max-chunk-size"] == str(MAX_CHUNK)
    chunk = int(options["tus-max-chunk-size"])

    meta = "filename " + base64.b64encode(b"noise.mp4").decode()
    creation = {**TUS, **auth, "upload-length": str(len(big_clip)), "upload-metadata": meta}
    status, created, body = call(request("POST", "/api/gallery/uploads/", creation))
    assert status == 201, body
    path = httpx.URL(created["location"]).path

    # A PATCH past the limit is refused with the limit named, and nothing is stored.
    status, _, body = patch(path, token, 0, big_clip[: chunk + 1])
    assert status == 413, body
    assert f"at most {chunk} bytes" in body
    status, head, _ = call(request("HEAD", path, {**TUS, **auth}))
    assert (status, head["upload-offset"]) == (200, "0")

    offset, answers = 0, []
    while offset < len(big_clip):
        status, answer, body = patch(path, token, offset, big_clip[offset : offset + chunk])
        assert status == 204, body
        offset = int(answer["upload-offset"])
        answers.append(answer)
        if offset < len(big_clip):  # between PATCHes, HEAD agrees with the last answer
            status, head, _ = call(request("HEAD", path, {**TUS, **auth}))
            assert head["upload-offset"] == str(offset)
    assert len(answers) == 3 and offset == len(big_clip)
    video_id = answers[-1]["video-id"]

    status, _, body = call(request("GET", f"{path}/video", auth))
    assert status == 200, body
    assert f'"id":"{video_id}"' in body.replace(" ", "")
    ctx = build_context(load_settings(data_dir=function_env))
    try:
        with ctx.sessions() as db:
            video = db.get(Video, video_id)
            assert video is not None and video.status == "queued"
            source_key = video.source_key
        with ctx.store.open(source_key) as stored:
            assert stored.read() == big_clip
        assert list(ctx.store.list("tus")) == []  # the upload's pieces became the source
    finally:
        ctx.close()

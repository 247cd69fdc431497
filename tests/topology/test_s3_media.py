"""Media links on the S3 store (a moto server): playlists are answered by the app, everything
else is a 307 to a short-lived presigned URL of the bucket (or a CloudFront signed URL), short
enough that revoking the link ends them within the revocation window."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from botocore.signers import CloudFrontSigner
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from fastapi.testclient import TestClient

from videoforge.app import create_app
from videoforge.config import Settings, SettingsError, load_settings
from videoforge.context import Context
from videoforge.db import User, Video
from videoforge.storage.s3 import S3Store
from videoforge.streaming.deps import streaming_state
from videoforge.streaming.revocation import CACHE_SECONDS, REDIRECT_SECONDS
from videoforge.streaming.signing import media_url
from videoforge.testing.aws import CREDENTIALS, MotoServer, unique_name

pytestmark = pytest.mark.slow
VIDEO = "0123456789abcdef0123456789abcdef"
PLAYLIST = b"#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4.0,\nseg_00001.m4s\n#EXT-X-ENDLIST\n"
SEGMENT = b"\x00\x00\x00\x18styp" + b"x" * 1000


@pytest.fixture(scope="module")
def aws() -> Iterator[MotoServer]:
    with MotoServer() as server:
        yield server


@contextmanager
def streaming_on_s3(
    aws: MotoServer, settings: Settings, monkeypatch: pytest.MonkeyPatch, **changes: object
) -> Iterator[TestClient]:
    """The streaming role on a fresh bucket holding one playlist and its segment."""
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name.upper(), value)
    bucket = unique_name("media")
    aws.client("s3").create_bucket(Bucket=bucket)
    on_s3 = settings.model_copy(
        update={
            "roles": ["streaming"],
            "store": "s3",
            "s3_bucket_name": bucket,
            "s3_endpoint_url": aws.endpoint_url,
            **changes,
        }
    )
    with TestClient(create_app(on_s3)) as client:
        add_video_row(context(client))
        store = context(client).store
        store.put_stream(f"videos/{VIDEO}/hls/360p/index.m3u8", [PLAYLIST])
        store.put_stream(f"videos/{VIDEO}/hls/360p/seg_00001.m4s", [SEGMENT])
        yield client


@pytest.fixture
def streaming(
    aws: MotoServer, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> Iterator[TestClient]:
    with streaming_on_s3(aws, settings, monkeypatch) as client:
        yield client


def add_video_row(ctx: Context) -> None:
    """The row the media route's revocation check looks up: a public video of an active user."""
    with ctx.sessions() as db:
        owner = User(username="owner", email="owner@example.com", password_hash="-")
        db.add(owner)
        db.flush()
        db.add(Video(id=VIDEO, user_id=owner.id, title="t", source_key="-", status="ready"))
        db.commit()


def context(client: TestClient) -> Context:
    ctx: Context = client.app.state.ctx  # type: ignore[attr-defined]
    return ctx


def link(client: TestClient, path: str, ttl: int = 3600) -> str:
    return media_url(context(client).tokens.media_secret, VIDEO, path, ttl)


def test_segments_redirect_to_the_bucket(streaming: TestClient) -> None:
    assert isinstance(context(streaming).store, S3Store)
    url = link(streaming, "hls/360p/seg_00001.m4s")

    resp = streaming.get(url, follow_redirects=False)

    assert resp.status_code == 307
    location = resp.headers["location"]
    assert location.startswith(context(streaming).settings.s3_endpoint_url or "")
    query = parse_qs(urlparse(location).query)
    assert query["response-content-type"] == ["video/iso.segment"]
    assert resp.headers["cache-control"].startswith("private, max-age=")
    assert resp.headers["access-control-allow-origin"] == "*"
    fetched = httpx.get(location, headers={"Range": "bytes=4-"})
    assert fetched.status_code == 206
    assert fetched.content == SEGMENT[4:]
    assert fetched.headers["content-type"] == "video/iso.segment"


def test_presigned_urls_live_as_long_as_the_link_within_bounds(streaming: TestClient) -> None:
    def presigned_seconds(url: str) -> int:
        location = streaming.get(url, follow_redirects=False).headers["location"]
        return int(parse_qs(urlparse(location).query)["X-Amz-Expires"][0])

    long_link = link(streaming, "hls/360p/seg_00001.m4s", ttl=6 * 3600)
    assert presigned_seconds(long_link) == REDIRECT_SECONDS  # 45 s: revocation ends it in time
    soon = link(streaming, "hls/360p/seg_00001.m4s", ttl=20)
    left = int(soon.split("/")[3].split(".")[0]) - int(time.time())
    assert abs(presigned_seconds(soon) - left) <= 2


def test_a_video_made_private_stops_redirecting_to_the_bucket(streaming: TestClient) -> None:
    ctx = context(streaming)
    clock = [1000.0]
    streaming_state(streaming.app).gate.clock = lambda: clock[0]  # type: ignore[arg-type]
    segment = link(streaming, "hls/360p/seg_00001.m4s")
    assert streaming.get(segment, follow_redirects=False).status_code == 307
    with ctx.sessions() as db:
        video = db.get(Video, VIDEO)
        assert video is not None
        video.visibility = "private"
        db.commit()

    clock[0] += CACHE_SECONDS
    # The link and the bucket URLs it handed out: the latter expire REDIRECT_SECONDS after.
    assert streaming.get(segment, follow_redirects=False).status_code == 404
    assert streaming.get(link(streaming, "hls/360p/index.m3u8")).status_code == 404


def test_playlists_and_head_are_answered_here(streaming: TestClient) -> None:
    playlist = streaming.get(link(streaming, "hls/360p/index.m3u8"))
    assert playlist.status_code == 200
    assert playlist.content == PLAYLIST
    assert playlist.headers["content-type"] == "application/vnd.apple.mpegurl"

    head = streaming.head(link(streaming, "hls/360p/seg_00001.m4s"))
    assert head.status_code == 200
    assert head.headers["content-length"] == str(len(SEGMENT))
    missing = streaming.head(link(streaming, "hls/360p/seg_00009.m4s"))
    assert missing.status_code == 404


def test_forged_links_never_reach_the_bucket(streaming: TestClient) -> None:
    url = link(streaming, "hls/360p/seg_00001.m4s").replace(VIDEO, "f" * 32)
    assert streaming.get(url, follow_redirects=False).status_code == 403
    source = link(streaming, "source/clip.mp4")
    assert streaming.get(source, follow_redirects=False).status_code == 404


# The key as a file, or as PEM text from a secret store (one line with \n escapes).
@pytest.mark.parametrize("key_given_as", ["path", "pem"])
def test_with_a_cdn_segments_redirect_to_cloudfront_signed_urls(
    aws: MotoServer,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    key_given_as: str,
) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem_bytes = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    pem = tmp_path / "cloudfront.pem"
    pem.write_bytes(pem_bytes)
    cdn: dict[str, object] = {
        "cdn_domain": "d111111abcdef8.cloudfront.net",
        "cdn_key_pair_id": "K2JCJMDEHXQW5F",
    }
    if key_given_as == "path":
        cdn["cdn_private_key_path"] = pem
    else:
        cdn["cdn_private_key_pem"] = pem_bytes.decode().replace("\n", "\\n")
    with streaming_on_s3(aws, settings, monkeypatch, **cdn) as client:
        resp = client.get(link(client, "hls/360p/seg_00001.m4s"), follow_redirects=False)
        playlist = client.get(link(client, "hls/360p/index.m3u8"))

    assert resp.status_code == 307
    location = urlparse(resp.headers["location"])
    resource = f"https://d111111abcdef8.cloudfront.net/videos/{VIDEO}/hls/360p/seg_00001.m4s"
    assert f"{location.scheme}://{location.netloc}{location.path}" == resource
    query = {name: values[0] for name, values in parse_qs(location.query).items()}
    assert query["Key-Pair-Id"] == "K2JCJMDEHXQW5F"
    expires = int(query["Expires"])
    assert 0 < expires - time.time() <= REDIRECT_SECONDS + 1
    # CloudFront's own check: the canned policy, signed with the key pair's private key.
    policy = CloudFrontSigner("K2JCJMDEHXQW5F", lambda _: b"").build_policy(
        resource, date_less_than=datetime.fromtimestamp(expires, UTC)
    )
    signature = base64.b64decode(query["Signature"].translate(str.maketrans("-_~", "+=/")))
    key.public_key().verify(signature, policy.encode(), padding.PKCS1v15(), hashes.SHA1())
    assert playlist.status_code == 200  # playlists are still answered by the app


def test_a_cdn_needs_its_key_pair(settings: Settings) -> None:
    with pytest.raises(SettingsError) as problems:
        load_settings(data_dir=settings.data_dir, cdn_domain="d1.cloudfront.net")
    text = str(problems.value)
    assert "VIDEOFORGE_CDN_KEY_PAIR_ID" in text
    assert "VIDEOFORGE_CDN_PRIVATE_KEY_PATH" in text
    assert "VIDEOFORGE_STORE=s3" in text

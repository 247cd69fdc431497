"""tus uploads against real server processes (issue 10, findings 1, 2 and 5): a PATCH while
another is streaming, a SIGKILL mid-PATCH, and two gallery replicas sharing one upload."""

from __future__ import annotations

import base64
import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from videoforge.storage import LocalStore, ObjectStore
from videoforge.storage.s3 import S3Store, s3_client
from videoforge.testing.aws import CREDENTIALS, MotoServer, unique_name
from videoforge.testing.clips import make_clip
from videoforge.testing.postgres import DatabaseFactory
from videoforge.testing.server import ServerProcess
from videoforge.testing.topology import FAST_ENV

pytestmark = pytest.mark.slow
PASSWORD = "correct horse 42"
TUS = {"Tus-Resumable": "1.0.0"}
OCTETS = {"Content-Type": "application/offset+octet-stream"}
API_ROLES = {"VIDEOFORGE_ROLES": "gateway,auth,gallery,streaming"}
WAIT_SECONDS = 60  # how long to wait for something that happens in well under a second


@pytest.fixture(scope="module")
def noisy_clip(tmp_path_factory: pytest.TempPathFactory, session_ffmpeg: str) -> Path:
    """About 11 MB of video (lossless noise): more than one 8 MiB S3 part."""
    path = tmp_path_factory.mktemp("tus") / "noise.mp4"
    noise = ("-vf", "noise=alls=60:allf=t", "-qp", "0")
    return make_clip(session_ffmpeg, path, seconds=1, width=640, height=360, extra_args=noise)


def sign_in(base: str, username: str = "zed") -> dict[str, str]:
    body = {"username": username, "email": f"{username}@example.com", "password": PASSWORD}
    httpx.post(f"{base}/api/auth/register", json=body).raise_for_status()
    login = httpx.post(f"{base}/api/auth/login", json={"username": username, "password": PASSWORD})
    login.raise_for_status()
    return {"Authorization": f"Bearer {login.json()['accessToken']}", **TUS}


def create(base: str, auth: dict[str, str], length: int, filename: str = "clip.mp4") -> str:
    """A new upload's path (the same on every replica)."""
    name = base64.b64encode(filename.encode()).decode()
    created = httpx.post(
        f"{base}/api/gallery/uploads/",
        headers={**auth, "Upload-Length": str(length), "Upload-Metadata": f"filename {name}"},
    )
    assert created.status_code == 201, created.text
    return httpx.URL(created.headers["location"]).path


def offset_at(base: str, auth: dict[str, str], path: str) -> int:
    head = httpx.head(f"{base}{path}", headers=auth)
    assert head.status_code == 200, head.status_code
    return int(head.headers["upload-offset"])


def send(base: str, auth: dict[str, str], path: str, offset: int, data: bytes) -> httpx.Response:
    headers = {**auth, **OCTETS, "Upload-Offset": str(offset)}
    return httpx.patch(f"{base}{path}", headers=headers, content=data, timeout=120)


def resume(base: str, auth: dict[str, str], path: str, data: bytes) -> httpx.Response:
    """Carry on from wherever the server says, as tus clients do; a 423 (the lease of a
    request that died has not run out yet) is retried after its Retry-After."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        offset = offset_at(base, auth, path)
        answer = send(base, auth, path, offset, data[offset:])
        if answer.status_code != 423 or time.monotonic() > deadline:
            return answer
        time.sleep(int(answer.headers["retry-after"]))


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.05)


class SlowBody:
    """A PATCH body that sends `first` bytes, then one byte at a time until released."""

    def __init__(self, first: bytes, trickle: bytes) -> None:
        self.first, self.trickle = first, trickle
        self.released = threading.Event()
        self.length = len(first) + len(trickle)

    def __iter__(self) -> Iterator[bytes]:
        yield self.first
        rest = self.trickle
        while rest and not self.released.is_set():
            yield rest[:1]
            rest = rest[1:]
            self.released.wait(0.05)
        if rest:
            yield rest


def start_slow_patch(
    base: str, auth: dict[str, str], path: str, offset: int, body: SlowBody
) -> tuple[threading.Thread, list[httpx.Response | Exception]]:
    answers: list[httpx.Response | Exception] = []
    headers = {**auth, **OCTETS, "Upload-Offset": str(offset), "Content-Length": str(body.length)}

    def run() -> None:
        try:
            answers.append(
                httpx.patch(f"{base}{path}", headers=headers, content=iter(body), timeout=120)
            )
        except httpx.HTTPError as exc:
            answers.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, answers


def lease_holder(database_url: str, path: str) -> str | None:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            holder = conn.execute(
                text("SELECT lease_holder FROM tus_uploads WHERE id = :id"),
                {"id": path.rsplit("/", 1)[-1]},
            ).scalar_one()
    finally:
        engine.dispose()
    return holder


@contextmanager
def dropped_patch(
    server: ServerProcess, auth: dict[str, str], path: str, offset: int, declared: int, sent: bytes
) -> Iterator[None]:
    """A PATCH that announces `declared` bytes, sends `sent`, and (on leaving) hangs up."""
    headers = {**auth, **OCTETS, "Upload-Offset": str(offset), "Content-Length": str(declared)}
    head = f"PATCH {path} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    with socket.create_connection(("127.0.0.1", server.port)) as connection:
        connection.sendall(f"{head}\r\n".encode() + sent)
        yield


# Finding 1 ------------------------------------------------------------------------------


def test_a_second_patch_is_refused_at_once_while_the_first_streams(tmp_path: Path) -> None:
    """Before: PATCH B waited 30 s for A's file lock, blocking the event loop (and every
    other request, /api/health included), then got 503."""
    data_dir = tmp_path / "var"
    with ServerProcess(data_dir, {**FAST_ENV, **API_ROLES}) as server:
        auth = sign_in(server.url)
        payload = bytes(range(256)) * 1024  # 256 KiB
        path = create(server.url, auth, len(payload) + 100)
        body = SlowBody(payload[:65536], payload[65536:])
        thread, answers = start_slow_patch(server.url, auth, path, 0, body)
        database = f"sqlite:///{data_dir / 'videoforge.db'}"
        wait_until(lambda: lease_holder(database, path) is not None, "PATCH A holds the upload")

        second = send(server.url, auth, path, 0, b"B" * 1000)
        health = httpx.get(f"{server.url}/api/health", timeout=WAIT_SECONDS)
        assert thread.is_alive() and not body.released.is_set()  # A is still streaming
        assert second.status_code in (409, 423), second.text
        assert second.json()["message"]
        assert health.status_code == 200

        body.released.set()
        thread.join(WAIT_SECONDS)
        [first] = answers
        assert isinstance(first, httpx.Response) and first.status_code == 204, first
        assert first.headers["upload-offset"] == str(len(payload))
        assert offset_at(server.url, auth, path) == len(payload)

        # A client that drops mid-PATCH keeps what arrived (tus: store as much as possible).
        pieces = data_dir / "store" / "tus" / path.rsplit("/", 1)[-1] / "data"
        with dropped_patch(server, auth, path, len(payload), declared=100, sent=b"D" * 40):
            wait_until(lambda: pieces.stat().st_size == len(payload) + 40, "bytes reach disk")
        wait_until(
            lambda: offset_at(server.url, auth, path) == len(payload) + 40, "the 40 bytes count"
        )


# Finding 2 ------------------------------------------------------------------------------


def test_a_sigkill_mid_patch_resumes_byte_identical(tmp_path: Path, small_clip: Path) -> None:
    """Before: after the restart HEAD gave the committed offset while the file held more
    bytes; the resumed PATCH appended after them and the video was corrupt."""
    data = small_clip.read_bytes()
    data_dir = tmp_path / "var"
    server = ServerProcess(data_dir, {**FAST_ENV, **API_ROLES})
    with ExitStack() as stack:
        stack.callback(server.stop)
        server.start()
        auth = sign_in(server.url)
        path = create(server.url, auth, len(data))
        third = len(data) // 3
        assert send(server.url, auth, path, 0, data[:third]).status_code == 204
        body = SlowBody(data[third : 2 * third], data[2 * third :])
        stack.callback(body.released.set)
        start_slow_patch(server.url, auth, path, third, body)
        pieces = data_dir / "store" / "tus" / path.rsplit("/", 1)[-1] / "data"
        wait_until(lambda: pieces.stat().st_size > 2 * third, "PATCH bytes reach the disk")

        server.kill()
        server.start()
        assert offset_at(server.url, auth, path) == third  # what was committed, no more
        assert pieces.stat().st_size > third  # what the killed PATCH left behind

        last = resume(server.url, auth, path, data)
        assert last.status_code == 204, f"{last.text}\n{server.log()}"
        video_id = last.headers["video-id"]
        video = httpx.get(f"{server.url}{path}/video", headers=auth)
        assert video.status_code == 200, video.text
        assert (video.json()["id"], video.json()["status"]) == (video_id, "queued")
        source = data_dir / "store" / "videos" / video_id / "source" / "clip.mp4"
        assert source.read_bytes() == data


# Finding 5 ------------------------------------------------------------------------------


@pytest.fixture(params=["local", "s3"])
def shared_store(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[dict[str, str], ObjectStore]]:
    """What replicas are told about their one store, and that store, to look inside."""
    if request.param == "local":
        store_dir = tmp_path / "var" / "store"
        yield {}, LocalStore(store_dir)
        return
    with MotoServer() as aws:
        client = s3_client(aws.region, aws.endpoint_url, **CREDENTIALS)
        bucket = unique_name("videoforge")
        client.create_bucket(Bucket=bucket)
        env = {
            "VIDEOFORGE_STORE": "s3",
            "S3_BUCKET_NAME": bucket,
            "S3_ENDPOINT_URL": aws.endpoint_url,
            "AWS_REGION": aws.region,
            **{name.upper(): value for name, value in CREDENTIALS.items()},
        }
        yield env, S3Store(bucket, region=aws.region, client=client)


def test_an_upload_started_on_one_replica_finishes_on_another(
    tmp_path: Path,
    fresh_postgres: DatabaseFactory,
    shared_store: tuple[dict[str, str], ObjectStore],
    noisy_clip: Path,
) -> None:
    """Before: the bytes and the offset lived on the disk of the replica that got them."""
    store_env, store = shared_store
    data = noisy_clip.read_bytes()
    with fresh_postgres("vf_tus") as database_url, ExitStack() as stack:
        env = {**FAST_ENV, **API_ROLES, **store_env, "VIDEOFORGE_DATABASE_URL": database_url}
        replicas = [ServerProcess(tmp_path / "var", env) for _ in range(2)]
        for replica in replicas:
            stack.callback(replica.stop)
        with ThreadPoolExecutor(len(replicas)) as starting:
            list(starting.map(ServerProcess.start, replicas))
        a, b = (replica.url for replica in replicas)
        auth = sign_in(a)

        path = create(a, auth, len(data), filename="noise.mp4")
        first = 9 * 1024 * 1024 + 12345  # on S3: one whole 8 MiB part and a tail
        assert send(a, auth, path, 0, data[:first]).status_code == 204
        assert offset_at(b, auth, path) == first
        last = resume(b, auth, path, data)

        assert last.status_code == 204, last.text
        video_id = last.headers["video-id"]
        assert httpx.get(f"{a}{path}/video", headers=auth).json()["id"] == video_id
        [source] = list(store.list(f"videos/{video_id}/source"))
        with store.open(source.key) as stored:
            assert stored.read() == data
        assert list(store.list("tus")) == []

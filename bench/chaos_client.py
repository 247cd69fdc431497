"""The chaos benchmark's client: what a user's program does, over public protocols only (the
gallery and jobs API, tus 1.0), with request bodies sent at a set pace so that a kill can land
in the middle of one."""

from __future__ import annotations

import base64
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from videoforge.testing.api import sign_in

TUS_HEADERS = {"Tus-Resumable": "1.0.0"}
TUS_PATH = "/api/gallery/uploads/"
PIECE_BYTES = 32 * 1024
TERMINAL = {"ready", "failed", "cancelled"}


class Session:
    """One signed-in user of a server whose address changes at each restart."""

    def __init__(self, base: str, username: str) -> None:
        self.base = base
        self.username = username
        self.headers = sign_in(base, username)

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """A request with the user's token (signing in again when it has expired)."""
        headers = {**self.headers, **kwargs.pop("headers", {})}
        kwargs.setdefault("timeout", 60)
        resp = httpx.request(method, self.base + path, headers=headers, **kwargs)
        if resp.status_code == 401:
            self.headers = sign_in(self.base, self.username, register=False)
            headers.update(self.headers)
            resp = httpx.request(method, self.base + path, headers=headers, **kwargs)
        return resp

    def job(self, job_id: str) -> dict[str, Any]:
        resp = self.request("GET", f"/api/jobs/{job_id}")
        resp.raise_for_status()
        job: dict[str, Any] = resp.json()
        return job

    def wait_for_status(self, job_id: str, statuses: set[str], timeout: float = 300) -> str:
        """Poll the job quickly until its status is one of statuses (or it has ended)."""
        deadline = time.monotonic() + timeout
        status = self.job(job_id)["status"]
        while status not in statuses | TERMINAL and time.monotonic() < deadline:
            time.sleep(0.05)
            status = self.job(job_id)["status"]
        return str(status)

    def wait_for_jobs(self, job_ids: list[str], timeout: float = 300) -> dict[str, dict[str, Any]]:
        """Every job's last state, once each has ended (ready, failed or cancelled)."""
        deadline = time.monotonic() + timeout
        pending = list(job_ids)
        done: dict[str, dict[str, Any]] = {}
        while pending and time.monotonic() < deadline:
            for job_id in list(pending):
                job = self.job(job_id)
                if job["status"] in TERMINAL:
                    done[job_id] = job
                    pending.remove(job_id)
            if pending:
                time.sleep(0.3)
        for job_id in pending:
            done[job_id] = self.job(job_id)
        return done

    def wait_for_empty_queue(self, timeout: float = 30) -> None:
        """Until no job message is waiting, leased or delayed (GET /api/scaling). A server killed
        between a job's end and the deletion of its message leaves that message leased; once
        the lease expires it is delivered again and dropped as already done."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            depth = self.request("GET", "/api/scaling").json()
            if depth["visible"] + depth["inFlight"] + depth["delayed"] == 0:
                return
            time.sleep(0.3)

    def find_video(self, title: str) -> dict[str, Any] | None:
        """The user's video with exactly this title, if the server has it."""
        resp = self.request(
            "GET", "/api/gallery/videos", params={"mine": "true", "search": title, "limit": 100}
        )
        resp.raise_for_status()
        matches = [v for v in resp.json()["videos"] if v["title"] == title]
        assert len(matches) <= 1, f"{len(matches)} videos are titled {title!r}"
        return matches[0] if matches else None


@dataclass
class Pace:
    """How fast a body is sent; `started` is set when its first byte is handed over (the kill
    clock of an upload starts then, so a slow creation or sign-in does not eat the window)."""

    bytes_per_second: float
    started: threading.Event = field(default_factory=threading.Event)


def paced(data: bytes, pace: Pace | None) -> Iterator[bytes]:
    """data in small pieces, no faster than the pace (all at once when None)."""
    if pace is None:
        yield data
        return
    pace.started.set()
    began = time.monotonic()
    for start in range(0, len(data), PIECE_BYTES):
        ahead = began + start / pace.bytes_per_second - time.monotonic()
        if ahead > 0:
            time.sleep(ahead)
        yield data[start : start + PIECE_BYTES]


# Form upload ------------------------------------------------------------------------------


def form_upload(
    session: Session, title: str, filename: str, data: bytes, pace: Pace | None
) -> httpx.Response:
    """POST /api/gallery/videos, the multipart body streamed at the given pace."""
    boundary = uuid.uuid4().hex
    head = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in (("title", title), ("visibility", "private"))
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="{filename}"\r\nContent-Type: video/mp4\r\n\r\n'
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()

    def body() -> Iterator[bytes]:
        yield head
        yield from paced(data, pace)
        yield tail

    return session.request(
        "POST",
        "/api/gallery/videos",
        content=body(),
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Content-Length": str(len(head) + len(data) + len(tail)),
        },
    )


# tus 1.0 ----------------------------------------------------------------------------------


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@dataclass
class TusUpload:
    """What the client knows of one resumable upload."""

    data: bytes
    filename: str
    title: str
    path: str | None = None  # the upload's URL path, once the creation was answered
    sent: int = 0  # bytes the client has put on the wire so far (the server has at most these)
    video_id: str | None = None

    @property
    def upload_id(self) -> str | None:
        return None if self.path is None else self.path.rstrip("/").rsplit("/", 1)[-1]


def tus_create(session: Session, upload: TusUpload) -> None:
    metadata = {
        "filename": upload.filename,
        "filetype": "video/mp4",
        "title": upload.title,
        "visibility": "private",
    }
    resp = session.request(
        "POST",
        TUS_PATH,
        headers={
            **TUS_HEADERS,
            "Upload-Length": str(len(upload.data)),
            "Upload-Metadata": ",".join(f"{k} {_b64(v)}" for k, v in metadata.items()),
        },
    )
    if resp.status_code != 201:
        raise TusRefused(resp)
    upload.path = urlsplit(resp.headers["Location"]).path


def tus_offset(session: Session, upload: TusUpload) -> int | None:
    """HEAD: the server's offset, or None when it no longer has the upload."""
    assert upload.path is not None
    resp = session.request("HEAD", upload.path, headers=TUS_HEADERS)
    if resp.status_code in (404, 410):
        return None
    if resp.status_code != 200:
        raise TusRefused(resp)
    return int(resp.headers["Upload-Offset"])


def tus_patch(session: Session, upload: TusUpload, offset: int, end: int, pace: Pace | None) -> int:
    """PATCH bytes [offset, end) and return the server's new offset."""
    assert upload.path is not None
    piece = upload.data[offset:end]

    def body() -> Iterator[bytes]:
        position = offset
        for chunk in paced(piece, pace):
            position += len(chunk)
            upload.sent = max(upload.sent, position)  # handed over; may still be in flight
            yield chunk

    resp = session.request(
        "PATCH",
        upload.path,
        content=body(),
        headers={
            **TUS_HEADERS,
            "Upload-Offset": str(offset),
            "Content-Type": "application/offset+octet-stream",
            "Content-Length": str(len(piece)),
        },
    )
    if resp.status_code != 204:
        raise TusRefused(resp)
    upload.video_id = resp.headers.get("Video-Id") or upload.video_id
    return int(resp.headers["Upload-Offset"])


def tus_send(
    session: Session,
    upload: TusUpload,
    offset: int,
    chunk_bytes: int,
    pace: Pace | None = None,
) -> None:
    """PATCH from offset to the end, chunk_bytes per request (as tuspy and tus-js-client do)."""
    size = len(upload.data)
    if offset == size:  # every byte is in, but the completion may not have run (a crash in it)
        tus_patch(session, upload, offset, offset, None)
    while offset < size:
        offset = tus_patch(session, upload, offset, min(size, offset + chunk_bytes), pace)


def tus_video(session: Session, upload: TusUpload) -> dict[str, Any] | None:
    """The video a finished upload became (GET …/uploads/{id}/video), None if there is none."""
    assert upload.path is not None
    resp = session.request("GET", upload.path.rstrip("/") + "/video")
    if resp.status_code in (404, 409):
        return None
    resp.raise_for_status()
    video: dict[str, Any] = resp.json()
    return video


class TusRefused(Exception):
    def __init__(self, resp: httpx.Response) -> None:
        self.status = resp.status_code
        super().__init__(f"{resp.request.method} answered {resp.status_code} {message(resp)}")


def message(resp: httpx.Response) -> str:
    """The readable part of an error answer (the project's JSON error shape), if any."""
    try:
        return str(resp.json()["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return resp.text[:120]

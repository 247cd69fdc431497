"""The three kinds of chaos round. Each starts something, has the server SIGKILLed at a random
moment of it (by `Chaos.interrupted`, which also restarts the server), then does what a client
would do next and records what the server made of it."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from bench.chaos_audit import Known, Orphans
from bench.chaos_client import (
    Pace,
    Session,
    TusRefused,
    TusUpload,
    form_upload,
    message,
    tus_create,
    tus_offset,
    tus_send,
    tus_video,
)


class Chaos(Protocol):
    """What a round uses of the harness (bench.chaos.Chaos): the server it kills and restarts,
    the clips, and the random delays."""

    session: Session
    known: Known
    upload_data: bytes
    transcode_data: bytes
    tus_chunk_bytes: int

    def interrupted(
        self, delay: float, operation: Callable[[], Any], clock: threading.Event | None = None
    ) -> bool: ...

    def pace(self) -> Pace: ...

    def upload_kill_delay(self) -> float: ...

    def transcode_kill_delay(self) -> float: ...

    def expect(self, video: dict[str, Any], data: bytes, result: RoundResult) -> None: ...


# Waits before each resume attempt, as the web app's tus-js-client retries (retryDelays): after a
# SIGKILL the dead server's lease on the upload holds for a few seconds (423 with Retry-After).
RESUME_DELAYS = (0.0, 1.0, 3.0, 5.0, 10.0, 20.0)


@dataclass
class RoundResult:
    number: int
    kind: str
    kill_after: float = 0.0  # seconds after the operation began
    hit: bool = False  # the kill interrupted the operation (a request, or a running attempt)
    lost: list[str] = field(default_factory=list)
    corrupt: list[str] = field(default_factory=list)
    orphans: Orphans = field(default_factory=Orphans)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not (
            self.lost
            or self.corrupt
            or self.orphans.rows
            or self.orphans.objects
            or self.orphans.processes
        )


def form_round(chaos: Chaos, result: RoundResult) -> None:
    """A multipart upload killed on the way in. Afterwards the video exists whole (the client
    looks for it by title) or not at all, and then the client's retry must succeed."""
    title = f"chaos {result.number} form"
    answer: list[httpx.Response] = []
    pace = chaos.pace()
    result.kill_after = chaos.upload_kill_delay()
    result.hit = chaos.interrupted(
        result.kill_after,
        lambda: answer.append(
            form_upload(chaos.session, title, "form.mp4", chaos.upload_data, pace)
        ),
        clock=pace.started,
    )
    if answer and answer[0].status_code != 202:
        result.lost.append(f"the upload was refused: {answer[0].status_code} {message(answer[0])}")
        return
    video = answer[0].json() if answer else chaos.session.find_video(title)
    if video is not None:
        result.notes.append("answered before the kill" if answer else "found after the restart")
    else:
        retry = form_upload(chaos.session, title, "form.mp4", chaos.upload_data, None)
        if retry.status_code != 202:
            result.lost.append(f"the retry was refused: {retry.status_code} {message(retry)}")
            return
        video = retry.json()
        result.notes.append("not there after the restart; retried")
    chaos.expect(video, chaos.upload_data, result)


def tus_round(chaos: Chaos, result: RoundResult) -> None:
    """A tus upload killed on the way in, then resumed as tus clients do: HEAD for the offset,
    PATCH the rest. It must end as a video with exactly the bytes sent."""
    upload = TusUpload(chaos.upload_data, "tus.mp4", f"chaos {result.number} tus")
    pace = chaos.pace()
    result.kill_after = chaos.upload_kill_delay()

    def send() -> None:
        tus_create(chaos.session, upload)
        tus_send(chaos.session, upload, 0, chaos.tus_chunk_bytes, pace)

    hit: list[bool] = []
    refused = _refusal(
        lambda: hit.append(chaos.interrupted(result.kill_after, send, clock=pace.started))
    )
    result.hit = hit == [True]
    if refused:
        result.lost.append(f"before the kill: {refused}")
        return
    if upload.path is None:
        result.lost.append("the creation was never answered")
        return
    if upload.video_id is None:
        _resume(chaos, upload, result)
        if result.lost:
            return
    chaos.known.finished_uploads.add(str(upload.upload_id))
    video = tus_video(chaos.session, upload)
    if video is None:
        result.lost.append("finished, but the server names no video for it")
        return
    chaos.expect(video, upload.data, result)


def _resume(chaos: Chaos, upload: TusUpload, result: RoundResult) -> None:
    for delay in RESUME_DELAYS:
        time.sleep(delay)
        offset = tus_offset(chaos.session, upload)
        if offset is None:
            if tus_video(chaos.session, upload) is None:
                result.lost.append("after the restart the server no longer has the upload")
            return
        result.notes.append(f"resumed at {offset} of {len(upload.data)} (sent {upload.sent})")
        if offset > upload.sent:
            result.corrupt.append(f"HEAD offset {offset} is beyond the {upload.sent} bytes sent")
        try:
            tus_send(chaos.session, upload, offset, chaos.tus_chunk_bytes)
            return
        except TusRefused as exc:
            if exc.status not in (409, 423):  # the offset moved, or the upload is busy: ask again
                result.lost.append(f"the resume was refused: {exc}")
                return
    result.lost.append(f"the resume kept conflicting ({len(RESUME_DELAYS)} tries)")


def _refusal(action: Callable[[], Any]) -> str | None:
    try:
        action()
    except TusRefused as exc:
        return str(exc)
    return None


def transcode_round(chaos: Chaos, result: RoundResult) -> None:
    """An upload whose transcoding is killed at a random moment of its encode (once the job is
    `processing`). The job must end ready once, with one set of outputs; `attempts` tells
    whether the kill hit a running attempt."""
    title = f"chaos {result.number} transcode"
    resp = form_upload(chaos.session, title, "transcode.mp4", chaos.transcode_data, None)
    if resp.status_code != 202:
        result.lost.append(f"the upload was refused: {resp.status_code} {message(resp)}")
        return
    video = resp.json()
    chaos.expect(video, chaos.transcode_data, result)
    chaos.session.wait_for_status(video["jobId"], {"processing"})
    result.kill_after = chaos.transcode_kill_delay()
    chaos.interrupted(result.kill_after, lambda: None)
    job = chaos.session.wait_for_jobs([video["jobId"]])[video["jobId"]]
    result.hit = job["attempts"] > 1
    result.notes.append(f"job {job['status']} after {job['attempts']} attempt(s)")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


ROUNDS: dict[str, Callable[[Chaos, RoundResult], None]] = {
    "form": form_round,
    "tus": tus_round,
    "transcode": transcode_round,
}

"""/api/jobs: listing, one job, retry and cancel rules, and the live event stream."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import bearer, register
from tests.gallery.conftest import add_video, context_of, make_admin, user_id
from videoforge.db import Job, Video

JOB_FIELDS = {
    "id", "videoId", "status", "progress", "etaSeconds", "error", "attempts", "createdAt",
    "updatedAt", "startedAt", "finishedAt", "videoTitle",
}  # fmt: skip


def add_job(client: TestClient, token: str, status: str = "queued", title: str = "A video") -> str:
    owner = user_id(client, token)
    video_id = add_video(client, owner, title=title, status="queued")
    with context_of(client).sessions() as session:
        job = Job(video_id=video_id, user_id=owner, status=status)
        session.add(job)
        session.commit()
        return job.id


def set_job(client: TestClient, job_id: str, **values: Any) -> None:
    with context_of(client).sessions() as session:
        job = session.get(Job, job_id)
        assert job is not None
        for name, value in values.items():
            setattr(job, name, value)
        session.commit()


def test_list_own_jobs_admin_sees_all(client: TestClient) -> None:
    alice, bob, admin = (register(client, name) for name in ("alice", "bob", "root"))
    make_admin(client, "root")
    mine = add_job(client, alice, "processing", title="Alice's")
    add_job(client, alice, "failed")
    add_job(client, bob)

    resp = client.get("/api/jobs", headers=bearer(alice))
    assert resp.status_code == 200
    body = resp.json()
    assert body["pagination"] == {"total": 2, "page": 1, "limit": 10, "totalPages": 1}
    job = next(j for j in body["jobs"] if j["id"] == mine)
    assert set(job) == JOB_FIELDS
    assert job["videoTitle"] == "Alice's"

    statuses = client.get("/api/jobs", params={"status": "failed"}, headers=bearer(alice))
    assert [j["status"] for j in statuses.json()["jobs"]] == ["failed"]
    by_status = client.get(
        "/api/jobs", params={"sortBy": "status", "sortOrder": "asc"}, headers=bearer(alice)
    ).json()["jobs"]
    assert [j["status"] for j in by_status] == ["failed", "processing"]
    assert client.get("/api/jobs", headers=bearer(admin)).json()["pagination"]["total"] == 3
    assert client.get("/api/jobs").status_code == 401
    assert (
        client.get("/api/jobs", params={"sortBy": "nope"}, headers=bearer(alice)).status_code == 422
    )


def test_get_job_owner_or_admin_only(client: TestClient) -> None:
    alice, bob, admin = (register(client, name) for name in ("alice", "bob", "root"))
    make_admin(client, "root")
    job_id = add_job(client, alice)

    assert client.get(f"/api/jobs/{job_id}", headers=bearer(alice)).json()["id"] == job_id
    assert client.get(f"/api/jobs/{job_id}", headers=bearer(admin)).status_code == 200
    assert client.get(f"/api/jobs/{job_id}", headers=bearer(bob)).status_code == 404
    assert client.get("/api/jobs/unknown", headers=bearer(alice)).status_code == 404


def test_retry_requeues_failed_and_cancelled_only(client: TestClient) -> None:
    alice, bob = register(client, "alice"), register(client, "bob")
    ctx = context_of(client)
    job_id = add_job(client, alice, "failed")
    set_job(client, job_id, error="ffmpeg broke", progress=40.0)

    assert client.post(f"/api/jobs/{job_id}/retry", headers=bearer(bob)).status_code == 404
    resp = client.post(f"/api/jobs/{job_id}/retry", headers=bearer(alice))
    assert resp.status_code == 202, resp.text
    assert (resp.json()["status"], resp.json()["progress"], resp.json()["error"]) == (
        "queued",
        0.0,
        None,
    )
    [message] = ctx.queue.receive(visibility_timeout=30)
    assert message.body["jobId"] == job_id

    again = client.post(f"/api/jobs/{job_id}/retry", headers=bearer(alice))
    assert again.status_code == 409
    assert again.json()["message"] == "Only failed or cancelled jobs can be retried."

    set_job(client, job_id, status="cancelled")
    assert client.post(f"/api/jobs/{job_id}/retry", headers=bearer(alice)).status_code == 202


def test_cancel_marks_job_and_video(client: TestClient) -> None:
    alice, bob = register(client, "alice"), register(client, "bob")
    job_id = add_job(client, alice, "processing")

    assert client.post(f"/api/jobs/{job_id}/cancel", headers=bearer(bob)).status_code == 404
    resp = client.post(f"/api/jobs/{job_id}/cancel", headers=bearer(alice))
    assert resp.status_code == 202
    assert resp.json()["status"] == "cancelled" and resp.json()["finishedAt"]
    with context_of(client).sessions() as session:
        video = session.get(Video, resp.json()["videoId"])
        assert video is not None
        assert (video.status, video.error) == ("failed", "Cancelled by the owner.")

    again = client.post(f"/api/jobs/{job_id}/cancel", headers=bearer(alice))
    assert again.status_code == 409
    set_job(client, job_id, status="ready")
    assert client.post(f"/api/jobs/{job_id}/cancel", headers=bearer(alice)).status_code == 409


def sse_events(text: str) -> list[tuple[str, dict[str, Any]]]:
    events = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if lines.get("event"):
            events.append((lines["event"], json.loads(lines["data"])))
    return events


def test_events_stream_updates_until_terminal(client: TestClient) -> None:
    alice = register(client, "alice")
    job_id = add_job(client, alice, "queued")

    def worker() -> None:
        # Stands in for a worker process writing progress to the database.
        time.sleep(0.7)
        set_job(client, job_id, status="processing", progress=50.0)
        time.sleep(0.7)
        set_job(client, job_id, status="ready", progress=100.0)

    writer = threading.Thread(target=worker)
    writer.start()
    # The test client hands back the body once the stream has ended, which it must do by itself.
    resp = client.get(f"/api/jobs/{job_id}/events", headers=bearer(alice))
    writer.join()

    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/event-stream")
    events = sse_events(resp.text)
    assert {name for name, _ in events} == {"job_update"}
    assert events[0][1]["status"] == "queued"
    assert events[-1][1]["status"] == "ready"
    assert set(events[-1][1]) == JOB_FIELDS


def test_events_of_someone_elses_job_are_404(client: TestClient) -> None:
    alice, bob = register(client, "alice"), register(client, "bob")
    job_id = add_job(client, alice, "failed")
    assert client.get(f"/api/jobs/{job_id}/events", headers=bearer(bob)).status_code == 404
    resp = client.get(f"/api/jobs/{job_id}/events", headers=bearer(alice))
    assert [e[1]["status"] for e in sse_events(resp.text)] == ["failed"]

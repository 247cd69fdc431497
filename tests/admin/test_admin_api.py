"""/api/admin: only administrators; every job and user; the queue; restarting and redriving."""

from __future__ import annotations

from fastapi.testclient import TestClient

from videoforge.db import Job

from .conftest import People, add_video, context, sign_in

ADMIN_ROUTES = [
    ("GET", "/api/admin/overview"),
    ("GET", "/api/admin/jobs"),
    ("GET", "/api/admin/dlq"),
    ("POST", "/api/admin/dlq/redrive"),
    ("POST", "/api/admin/jobs/restart-failed"),
    ("GET", "/api/admin/users"),
    ("PATCH", "/api/admin/users/someone"),
    ("GET", "/api/admin/storage"),
]


def test_only_administrators_get_in(client: TestClient, people: People) -> None:
    for method, path in ADMIN_ROUTES:
        assert client.request(method, path).status_code == 401, path
        resp = client.request(method, path, headers=people.user, json={})
        assert resp.status_code == 403, path
        assert resp.json()["message"] == "Only an administrator can do this."


def test_overview_and_jobs_of_everyone(client: TestClient, people: People) -> None:
    add_video(client, people.user_id, job_status="ready")
    add_video(client, people.user_id, job_status="failed")
    overview = client.get("/api/admin/overview", headers=people.admin).json()
    assert overview["jobs"] == {"ready": 1, "failed": 1}
    assert overview["videos"] == {"ready": 1, "failed": 1}
    assert set(overview["queue"]) >= {"visible", "dead"}
    assert overview["users"] == 2 and overview["storageBytes"] == 0

    page = client.get("/api/admin/jobs?status=failed", headers=people.admin).json()
    assert page["pagination"] == {"total": 1, "page": 1, "limit": 20, "totalPages": 1}
    (job,) = page["jobs"]
    assert (job["status"], job["username"], job["error"]) == ("failed", "uma", "ffmpeg said no")
    assert client.get("/api/admin/jobs?limit=0", headers=people.admin).status_code == 422


def test_restart_failed_puts_jobs_back_on_the_queue(client: TestClient, people: People) -> None:
    failed = add_video(client, people.user_id, job_status="failed")
    add_video(client, people.user_id, job_status="ready")
    resp = client.post("/api/admin/jobs/restart-failed", headers=people.admin)
    assert resp.json() == {"restarted": 1, "jobIds": [failed.id]}
    ctx = context(client)
    with ctx.sessions() as db:
        job = db.get_one(Job, failed.id)
        assert (job.status, job.error) == ("queued", None)
    (message,) = ctx.queue.receive(visibility_timeout=30)
    assert message.body["jobId"] == failed.id


def test_dead_letters_are_listed_and_redriven(client: TestClient, people: People) -> None:
    job = add_video(client, people.user_id, job_status="failed")
    queue = context(client).queue
    queue.send({"jobId": job.id, "videoId": job.video_id, "userId": job.user_id})
    (message,) = queue.receive(visibility_timeout=30)
    queue.dead_letter(message.receipt, "ffmpeg crashed")

    (letter,) = client.get("/api/admin/dlq", headers=people.admin).json()["messages"]
    assert (letter["jobId"], letter["lastError"]) == (job.id, "ffmpeg crashed")
    resp = client.post("/api/admin/dlq/redrive", headers=people.admin, json={"ids": [letter["id"]]})
    assert resp.json() == {"redriven": 1}
    assert client.get("/api/admin/dlq", headers=people.admin).json()["messages"] == []
    with context(client).sessions() as db:
        assert db.get_one(Job, job.id).status == "queued"
    (again,) = queue.receive(visibility_timeout=30)
    assert again.body["jobId"] == job.id


def test_users_can_be_listed_promoted_required_to_use_mfa_and_disabled(
    client: TestClient, people: People
) -> None:
    users = client.get("/api/admin/users", headers=people.admin).json()
    assert [u["username"] for u in users["users"]] == ["root", "uma"]
    assert set(users["users"][1]) == {
        "id",
        "username",
        "email",
        "role",
        "disabled",
        "emailConfirmed",
        "mfaEnabled",
        "mfaRequired",
        "createdAt",
    }
    path = f"/api/admin/users/{people.user_id}"
    changed = client.patch(path, json={"role": "admin", "requireMfa": True}, headers=people.admin)
    assert (changed.json()["role"], changed.json()["mfaRequired"]) == ("admin", True)
    answer = client.post(
        "/api/auth/login", json={"username": "uma", "password": "correct horse 42"}
    )
    assert answer.json()["status"] == "mfa_enrolment_required"

    resp = client.patch(path, json={"disabled": True}, headers=people.admin)
    assert resp.json()["disabled"] is True
    # Its tokens stop working at once.
    assert client.get("/api/auth/me", headers=people.user).status_code == 401
    assert client.patch(path, json={"role": "owner"}, headers=people.admin).status_code == 422
    missing = client.patch("/api/admin/users/nobody", json={}, headers=people.admin)
    assert missing.status_code == 404


def test_an_admin_cannot_lock_themself_out(client: TestClient, people: People) -> None:
    me = client.get("/api/auth/me", headers=people.admin).json()
    resp = client.patch(
        f"/api/admin/users/{me['id']}", json={"disabled": True}, headers=people.admin
    )
    assert resp.status_code == 400 and "yourself" in resp.json()["message"]
    assert client.get("/api/auth/me", headers=sign_in(client, "root")).status_code == 200


def test_storage_report(client: TestClient, people: People) -> None:
    context(client).store.put_stream("videos/abc/source/clip.mp4", [b"x" * 1000])
    report = client.get("/api/admin/storage", headers=people.admin).json()
    assert report["totalBytes"] == 1000
    assert report["byUser"] == [] and report["sourceBytes"] == 0

"""Every route of the app, tried signed out, as another user, as the owner and as an admin.

A route added without an entry in MATRIX fails `test_every_route_has_an_entry`, so nobody can
add an endpoint without saying who may call it. Id-bearing routes are called with the owner's
*private* video (or its job): to anyone but the owner and admins it must not exist (404).
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from videoforge.testing.routes import all_routes

from .conftest import World

CALLERS = ("anon", "other", "admin", "owner")  # the owner last: their calls may change things

# What each caller may get, by kind of route:
PUBLIC = "public"  # anyone; never a 401/403 for lack of a sign-in
SIGNED_IN = "signed-in"  # anon 401; any signed-in user passes the access check
ADMIN = "admin"  # anon 401; users 403; admins pass
PRIVATE = "private"  # the owner's private video: anon 401/404, other 404, owner and admin pass
CAPABILITY = "capability"  # a signed URL: whoever holds it (see test_media_urls...)
AUTHOR = "author"  # like PRIVATE, but an admin may not (edit a comment: only its author)

MATRIX: dict[tuple[str, str], str] = {
    # Service and docs
    ("GET", "/api/health"): PUBLIC,
    ("GET", "/api/ready"): PUBLIC,
    ("GET", "/api/metrics"): PUBLIC,  # Prometheus scrape: queue and worker counts only
    ("GET", "/api/scaling"): PUBLIC,  # the autoscaler's signal: backlog per worker
    ("GET", "/openapi.json"): PUBLIC,
    ("GET", "/docs"): PUBLIC,
    ("GET", "/docs/oauth2-redirect"): PUBLIC,
    ("GET", "/redoc"): PUBLIC,
    ("GET", "/.well-known/jwks.json"): PUBLIC,
    ("GET", "/assets/{name:path}"): PUBLIC,
    ("GET", "/{path:path}"): PUBLIC,
    # Accounts: who is asking is proved by the body (password, code, session, refresh token)
    ("GET", "/api/auth/providers"): PUBLIC,  # the sign-in page asks before anyone signs in
    ("POST", "/api/auth/register"): PUBLIC,
    ("POST", "/api/auth/login"): PUBLIC,
    ("POST", "/api/auth/refresh"): PUBLIC,
    ("POST", "/api/auth/logout"): PUBLIC,
    ("POST", "/api/auth/confirm-email"): PUBLIC,
    ("POST", "/api/auth/resend-confirmation"): PUBLIC,
    ("POST", "/api/auth/forgot-password"): PUBLIC,
    ("POST", "/api/auth/reset-password"): PUBLIC,
    ("POST", "/api/auth/mfa/complete"): PUBLIC,
    ("POST", "/api/auth/mfa/email/send"): PUBLIC,
    ("POST", "/api/auth/mfa/totp/confirm"): PUBLIC,  # bearer token or enrolment session
    ("POST", "/api/auth/mfa/totp/setup"): SIGNED_IN,  # (or an enrolment session in the body)
    ("GET", "/api/auth/me"): SIGNED_IN,
    ("GET", "/api/auth/profile"): SIGNED_IN,
    ("GET", "/api/auth/mfa"): SIGNED_IN,
    ("POST", "/api/auth/mfa/disable"): SIGNED_IN,
    ("POST", "/api/auth/mfa/recovery-codes"): SIGNED_IN,
    ("POST", "/api/auth/change-password"): SIGNED_IN,
    ("GET", "/api/auth/sessions"): SIGNED_IN,
    ("DELETE", "/api/auth/sessions/{session_id}"): SIGNED_IN,  # own only (tests/auth/test_sessions)
    # Admin
    ("GET", "/api/admin/overview"): ADMIN,
    ("GET", "/api/admin/jobs"): ADMIN,
    ("POST", "/api/admin/jobs/restart-failed"): ADMIN,
    ("GET", "/api/admin/dlq"): ADMIN,
    ("POST", "/api/admin/dlq/redrive"): ADMIN,
    ("GET", "/api/admin/users"): ADMIN,
    ("PATCH", "/api/admin/users/{user_id}"): ADMIN,
    ("GET", "/api/admin/storage"): ADMIN,
    # Gallery
    ("GET", "/api/gallery/videos"): PUBLIC,  # listing filters by viewer (test_listing_...)
    ("POST", "/api/gallery/videos"): SIGNED_IN,
    ("POST", "/api/upload"): SIGNED_IN,
    ("GET", "/api/gallery/videos/{video_id}"): PRIVATE,
    ("PUT", "/api/gallery/videos/{video_id}"): PRIVATE,
    ("PATCH", "/api/gallery/videos/{video_id}"): PRIVATE,
    ("DELETE", "/api/gallery/videos/{video_id}"): PRIVATE,
    # Uploads (tus, S3 direct; ids here are upload ids, not video ids)
    ("OPTIONS", "/api/gallery/uploads"): PUBLIC,  # tus capability discovery
    ("OPTIONS", "/api/gallery/uploads/"): PUBLIC,
    ("POST", "/api/gallery/uploads"): SIGNED_IN,
    ("POST", "/api/gallery/uploads/"): SIGNED_IN,
    ("HEAD", "/api/gallery/uploads/{uuid}"): SIGNED_IN,
    ("PATCH", "/api/gallery/uploads/{uuid}"): SIGNED_IN,
    ("DELETE", "/api/gallery/uploads/{uuid}"): SIGNED_IN,
    ("GET", "/api/gallery/uploads/{upload_id}/video"): SIGNED_IN,
    ("POST", "/api/gallery/uploads/direct"): SIGNED_IN,
    ("GET", "/api/gallery/uploads/direct/{video_id}"): SIGNED_IN,  # 409 without S3
    ("DELETE", "/api/gallery/uploads/direct/{video_id}"): SIGNED_IN,
    ("POST", "/api/gallery/uploads/direct/{video_id}/complete"): SIGNED_IN,
    ("POST", "/api/upload/generate-url"): SIGNED_IN,
    ("POST", "/api/upload/confirm"): SIGNED_IN,
    # Jobs
    ("GET", "/api/jobs"): SIGNED_IN,
    ("GET", "/api/jobs/{job_id}"): PRIVATE,
    ("GET", "/api/jobs/{job_id}/events"): PRIVATE,
    ("POST", "/api/jobs/{job_id}/retry"): PRIVATE,
    ("POST", "/api/jobs/{job_id}/cancel"): PRIVATE,
    # Streaming
    ("GET", "/api/stream/{video_id}"): PRIVATE,
    ("GET", "/api/stream/{video_id}/qualities"): PRIVATE,
    ("GET", "/api/stream/{video_id}/thumbnail"): PRIVATE,
    ("GET", "/api/stream/{video_id}/thumbnail.jpg"): PRIVATE,
    ("GET", "/api/stream/{video_id}/download"): PRIVATE,
    ("GET", "/media/{video_id}/{token}/{path:path}"): CAPABILITY,
    # Captions, thumbnails, oEmbed
    ("GET", "/api/gallery/videos/{video_id}/captions"): PRIVATE,
    ("POST", "/api/gallery/videos/{video_id}/captions"): PRIVATE,
    ("DELETE", "/api/gallery/videos/{video_id}/captions/{language}"): PRIVATE,
    ("POST", "/api/gallery/videos/{video_id}/thumbnail/frame"): PRIVATE,
    ("POST", "/api/gallery/videos/{video_id}/thumbnail/image"): PRIVATE,
    ("GET", "/api/gallery/oembed"): PUBLIC,  # public videos only (tests/captions)
    # Channels, comments, likes, resume positions
    ("GET", "/api/gallery/channels/me"): SIGNED_IN,
    ("PATCH", "/api/gallery/channels/me"): SIGNED_IN,
    ("PUT", "/api/gallery/channels/me/avatar"): SIGNED_IN,
    ("DELETE", "/api/gallery/channels/me/avatar"): SIGNED_IN,
    ("GET", "/api/gallery/channels/{username}"): PUBLIC,
    ("GET", "/api/gallery/channels/{username}/avatar"): PUBLIC,
    ("GET", "/api/gallery/channels/{username}/videos"): PUBLIC,  # public videos only
    ("GET", "/api/gallery/channels/{username}/playlists"): PUBLIC,  # public playlists only
    ("GET", "/api/gallery/videos/{video_id}/comments"): PRIVATE,
    ("POST", "/api/gallery/videos/{video_id}/comments"): PRIVATE,
    ("PATCH", "/api/gallery/videos/{video_id}/comments/{comment_id}"): AUTHOR,
    ("DELETE", "/api/gallery/videos/{video_id}/comments/{comment_id}"): PRIVATE,
    ("GET", "/api/gallery/videos/{video_id}/likes"): PRIVATE,
    ("PUT", "/api/gallery/videos/{video_id}/like"): PRIVATE,
    ("DELETE", "/api/gallery/videos/{video_id}/like"): PRIVATE,
    ("GET", "/api/gallery/videos/{video_id}/position"): PRIVATE,
    ("PUT", "/api/gallery/videos/{video_id}/position"): PRIVATE,
    ("DELETE", "/api/gallery/videos/{video_id}/position"): PRIVATE,
    # Playlists ({playlist_id} is the owner's private playlist)
    ("POST", "/api/gallery/playlists"): SIGNED_IN,
    ("GET", "/api/gallery/playlists/mine"): SIGNED_IN,
    ("GET", "/api/gallery/playlists/{playlist_id}"): PRIVATE,
    ("PATCH", "/api/gallery/playlists/{playlist_id}"): PRIVATE,
    ("DELETE", "/api/gallery/playlists/{playlist_id}"): PRIVATE,
    ("POST", "/api/gallery/playlists/{playlist_id}/entries"): PRIVATE,
    ("PUT", "/api/gallery/playlists/{playlist_id}/entries/{entry_id}/position"): PRIVATE,
    ("DELETE", "/api/gallery/playlists/{playlist_id}/entries/{entry_id}"): PRIVATE,
    ("OPTIONS", "/media/{video_id}/{token}/{path:path}"): PUBLIC,  # CORS preflight
}

# Run last, in this order: they end what later routes use, the video or the callers' sessions.
DESTRUCTIVE = [
    ("DELETE", "/api/gallery/playlists/{playlist_id}/entries/{entry_id}"),
    ("DELETE", "/api/gallery/playlists/{playlist_id}"),
    ("DELETE", "/api/gallery/videos/{video_id}/comments/{comment_id}"),
    ("DELETE", "/api/gallery/videos/{video_id}/captions/{language}"),
    ("DELETE", "/api/gallery/videos/{video_id}"),
    ("POST", "/api/auth/change-password"),
    ("POST", "/api/auth/logout"),
]
# Deletions the owner makes here: an admin's would leave the owner nothing to delete (admins
# deleting others' things: test_an_admin_may_delete_anyones_video, tests/social, tests/captions).
DELETED_BY_OWNER = DESTRUCTIVE[:5]

# Bodies that pass validation, so that a request reaches the access check (FastAPI answers
# 422 for a bad body before any handler runs, which would hide a missing 404).
REQUESTS: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/gallery/videos/{video_id}/captions"): {
        "files": {"file": ("en.vtt", b"WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n")},
        "data": {"language": "en"},
    },
    ("POST", "/api/gallery/videos/{video_id}/thumbnail/frame"): {"json": {"time": 0.5}},
    ("POST", "/api/gallery/videos/{video_id}/thumbnail/image"): {
        "files": {"file": ("a.png", b"not a picture")}
    },
    ("POST", "/api/gallery/videos/{video_id}/comments"): {"json": {"body": "Nice"}},
    ("PATCH", "/api/gallery/videos/{video_id}/comments/{comment_id}"): {"json": {"body": "Edit"}},
    ("PUT", "/api/gallery/videos/{video_id}/position"): {"json": {"seconds": 1.0}},
    # The private video, already in it: 409 for whoever may change the playlist.
    ("POST", "/api/gallery/playlists/{playlist_id}/entries"): {"json": {"videoId": "{video_id}"}},
    ("PUT", "/api/gallery/playlists/{playlist_id}/entries/{entry_id}/position"): {
        "json": {"position": 0}
    },
    ("POST", "/api/gallery/playlists"): {"json": {"title": "Another"}},
}


def url_for(path: str, world: World) -> str:
    values = {
        "{video_id}": world.private_video,
        "{job_id}": world.private_job,
        "{comment_id}": world.private_comment,
        "{playlist_id}": world.private_playlist,
        "{entry_id}": world.private_entry,
        "{language}": "en",
        "{username}": "olga",  # the owner
        "{user_id}": world.user_ids["other"],
        "{upload_id}": "0" * 32,
        "{uuid}": "0" * 32,
        "{token}": world.media_token,
        "{path:path}": "hls/master.m3u8",
        "{name:path}": "app.js",
    }
    for name, value in values.items():
        path = path.replace(name, value)
    return path


def passes(status: int) -> bool:
    """Got past the access check: success, or an answer about the request itself."""
    return status < 400 or status in (400, 409, 412, 413, 415, 422)


def check(kind: str, who: str, status: int) -> bool:
    if status >= 500:
        return False
    if kind in (PUBLIC, CAPABILITY):
        return status not in (401, 403)
    if who == "anon":
        return status == 401 or (kind == PRIVATE and status == 404)
    if kind == SIGNED_IN:
        return status not in (401, 403)
    if kind == ADMIN:
        return passes(status) if who == "admin" else status == 403
    if kind == AUTHOR and who == "admin":
        return status == 403
    # PRIVATE
    return status == 404 if who == "other" else passes(status)


def test_every_route_has_an_entry(client: TestClient) -> None:
    routes = set(all_routes(client.app))
    assert sorted(routes - set(MATRIX)) == [], "say who may call these routes in MATRIX"
    assert sorted(set(MATRIX) - routes) == [], "these routes are gone; remove their entries"


def test_access_matrix(client: TestClient, world: World) -> None:
    order = sorted(
        MATRIX, key=lambda route: DESTRUCTIVE.index(route) if route in DESTRUCTIVE else -1
    )
    wrong = []
    for method, path in order:
        kind = MATRIX[(method, path)]
        request = REQUESTS.get((method, path))
        if request is None:
            request = {"json": {}} if method in ("POST", "PUT", "PATCH") else {}
        if "json" in request:
            json = request["json"]
            request = {
                "json": {k: url_for(v, world) if isinstance(v, str) else v for k, v in json.items()}
            }
        for who in CALLERS:
            if (method, path) in DELETED_BY_OWNER and who == "admin":
                continue
            resp = client.request(
                method, url_for(path, world), headers=world.headers[who], **request
            )
            if not check(kind, who, resp.status_code):
                wrong.append(f"{method} {path} as {who}: {resp.status_code} {resp.text[:120]}")
    assert wrong == [], "\n".join(wrong)


def test_an_admin_may_delete_anyones_video(client: TestClient, world: World) -> None:
    resp = client.delete(
        f"/api/gallery/videos/{world.public_video}", headers=world.headers["admin"]
    )
    assert resp.status_code == 204, resp.text


def test_listing_never_shows_other_peoples_private_videos(client: TestClient, world: World) -> None:
    """The gallery lists public videos only, to everyone; the owner's own are in My videos."""
    for who, sees_private in (("anon", False), ("other", False), ("owner", True), ("admin", True)):
        listed = client.get("/api/gallery/videos", headers=world.headers[who]).json()["videos"]
        ids = {video["id"] for video in listed}
        assert world.public_video in ids
        assert world.private_video not in ids, who
        if who != "anon":
            mine = client.get("/api/gallery/videos?mine=true", headers=world.headers[who])
            assert (world.private_video in {v["id"] for v in mine.json()["videos"]}) is (
                who == "owner"
            ), who
        jobs = client.get("/api/jobs", headers=world.headers[who])
        if who != "anon":
            job_ids = {job["id"] for job in jobs.json()["jobs"]}
            assert (world.private_job in job_ids) is sees_private, who


def test_media_urls_work_only_for_their_video(client: TestClient, world: World) -> None:
    own = f"/media/{world.private_video}/{world.media_token}/hls/master.m3u8"
    assert client.get(own).status_code == 200
    # A valid token of another video, a tampered token, a path climbing out: all refused.
    borrowed = f"/media/{world.private_video}/{world.public_media_token}/hls/master.m3u8"
    tampered = f"/media/{world.private_video}/{world.media_token[:-2]}xx/hls/master.m3u8"
    climbing = f"/media/{world.private_video}/{world.media_token}/../../{world.public_video}/x"
    for url in (borrowed, tampered, climbing):
        assert client.get(url).status_code in (403, 404), url

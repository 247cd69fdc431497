"""Which routers and background services each role brings.

Roles: gateway (public entry: web UI, forwarding to roles in other processes), auth,
gallery (videos, uploads, jobs API), streaming (playlists, segments, pictures) and processor
(transcoding workers, no HTTP). Health and readiness are on every role.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fastapi import APIRouter


@dataclass(frozen=True)
class Role:
    name: str
    routers: Callable[[], list[APIRouter]]
    runs_workers: bool = False


def _gateway() -> list[APIRouter]:
    from videoforge.web.routes import router

    return [router]


def _auth() -> list[APIRouter]:
    from videoforge.auth.routes import router

    return [router]


def _gallery() -> list[APIRouter]:
    from videoforge.admin.routes import router as admin
    from videoforge.gallery.direct_upload import router as direct_uploads
    from videoforge.gallery.routes import router as videos
    from videoforge.gallery.uploads import router as uploads
    from videoforge.jobs.routes import router as jobs
    from videoforge.social.routes import router as social

    return [videos, direct_uploads, uploads, jobs, admin, social]


def _streaming() -> list[APIRouter]:
    from videoforge.streaming.routes import router

    return [router]


# In the order their routes are mounted: the gateway's catch-all web pages come last.
ROLES: dict[str, Role] = {
    "auth": Role("auth", _auth),
    "gallery": Role("gallery", _gallery),
    "streaming": Role("streaming", _streaming),
    "processor": Role("processor", lambda: [], runs_workers=True),
    "gateway": Role("gateway", _gateway),
}

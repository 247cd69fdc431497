"""Each role: its spec (name, URL prefixes, peer-URL setting, needs; see role_specs.py for why
that part lives low), the routers that answer under those prefixes, its background services and
the state its handlers keep for the life of the process (caches, signers, thread pools: typed,
one object per role, kept on app.state under the role's name; streaming/deps.py says why).

Roles: gateway (public entry: the web app, and forwarding to the roles that run in other
processes), auth, gallery (videos, uploads, jobs API), streaming (playlists, segments, pictures)
and processor (transcoding workers, no HTTP). Health, readiness and metrics are on every role
(app.py). `videoforge serve` builds its app and services from the enabled roles; `videoforge
worker` runs the processor's services alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from fastapi import APIRouter
from starlette.datastructures import State

from videoforge.config import Settings
from videoforge.context import Context
from videoforge.role_specs import AUTH, GALLERY, GATEWAY, PROCESSOR, STREAMING, RoleSpec


class Service(Protocol):
    """Something a role runs in the background of its process."""

    def start(self) -> None: ...
    def stop(self) -> None: ...


@dataclass(frozen=True)
class Role:
    spec: RoleSpec
    routers: Callable[[Settings], list[APIRouter]] = lambda settings: []
    services: Callable[[Context], list[Service]] = lambda ctx: []
    state: Callable[[Context], object] | None = None

    @property
    def name(self) -> str:
        return self.spec.name


def _gateway(settings: Settings) -> list[APIRouter]:
    from videoforge.gateway.proxy import proxy_router
    from videoforge.web.routes import router

    # Forwarding first: the web app's catch-all page route must come last.
    return [proxy_router(settings), router]


def _auth(settings: Settings) -> list[APIRouter]:
    from videoforge.auth.routes import router

    return [router]


def _gallery(settings: Settings) -> list[APIRouter]:
    from videoforge.admin.routes import router as admin
    from videoforge.captions.routes import router as captions
    from videoforge.gallery.direct_upload import router as direct_uploads
    from videoforge.gallery.oembed import router as oembed
    from videoforge.gallery.routes import router as videos
    from videoforge.gallery.thumbnail import router as thumbnail
    from videoforge.gallery.uploads import router as uploads
    from videoforge.jobs.routes import router as jobs
    from videoforge.playlists.routes import router as playlists
    from videoforge.social.routes import router as social

    return [
        videos,
        captions,
        thumbnail,
        oembed,
        direct_uploads,
        uploads,
        jobs,
        admin,
        social,
        playlists,
    ]


def _streaming(settings: Settings) -> list[APIRouter]:
    from videoforge.streaming.routes import router

    return [router]


def _auth_state(ctx: Context) -> object:
    from videoforge.auth.deps import AuthState

    return AuthState.build(ctx)


def _gallery_state(ctx: Context) -> object:
    from videoforge.gallery.deps import GalleryState

    return GalleryState()


def _streaming_state(ctx: Context) -> object:
    from videoforge.streaming.deps import StreamingState

    return StreamingState.build(ctx)


def _workers(ctx: Context) -> list[Service]:
    """The transcoding workers, their presence heartbeat and, on ECS, scale-in protection.
    In stopping order: the pool first, so its jobs are handed back before the rest ends."""
    from videoforge.metrics import WorkerPresence
    from videoforge.processor.tasks import ProcessVideo
    from videoforge.worker.loop import WorkerPool
    from videoforge.worker.protection import ScaleInProtection

    pool = WorkerPool(ctx, ProcessVideo(ctx))
    services: list[Service] = [pool]
    # On ECS: scaling in stops only tasks with no job running (workers.py in deploy/aws).
    if protection := ScaleInProtection.from_environment(lambda: pool.running_jobs > 0):
        services.append(protection)
    settings = ctx.settings
    services.append(
        WorkerPresence(ctx.engine, settings.worker_concurrency, settings.worker_heartbeat_seconds)
    )
    return services


# In the order their routes are mounted: the gateway's catch-all web pages come last.
ROLES: dict[str, Role] = {
    role.name: role
    for role in (
        Role(AUTH, _auth, state=_auth_state),
        Role(GALLERY, _gallery, state=_gallery_state),
        Role(STREAMING, _streaming, state=_streaming_state),
        Role(PROCESSOR, services=_workers),
        Role(GATEWAY, _gateway),
    )
}


def enabled_roles(settings: Settings) -> list[Role]:
    """The roles this process runs, in mounting order."""
    return [role for role in ROLES.values() if role.name in settings.enabled_roles]


def keep_state(app_state: State, ctx: Context, roles: Iterable[Role]) -> None:
    """Hand the context, and each role's state built from it, to the handlers (app.state)."""
    app_state.ctx = ctx
    for role in roles:
        if role.state is not None:
            setattr(app_state, role.name, role.state(ctx))


class Services:
    """The background services of some roles, started and stopped together."""

    def __init__(self, ctx: Context, roles: Iterable[Role]) -> None:
        self.running = [service for role in roles for service in role.services(ctx)]

    def start(self) -> None:
        for service in self.running:
            service.start()

    def stop(self) -> None:
        for service in self.running:
            service.stop()

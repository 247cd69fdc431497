"""create_app(settings): a FastAPI app with the enabled roles' routers; its lifespan builds the
context and runs the enabled roles' background services (the workers, with the processor)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from videoforge import __version__
from videoforge.config import Settings
from videoforge.context import Context, build_context
from videoforge.errors import install_error_handlers
from videoforge.health import router as health_router
from videoforge.logs import RequestIdMiddleware
from videoforge.metrics import router as metrics_router
from videoforge.request_checks import RequestChecks
from videoforge.roles import Services, enabled_roles, keep_state

log = logging.getLogger(__name__)


def create_app(settings: Settings, context: Context | None = None) -> FastAPI:
    # The gateway goes last: its web app answers every path the other roles leave.
    enabled = enabled_roles(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        ctx = context
        if ctx is None:
            ctx = build_context(settings)
            keep_state(app.state, ctx, enabled)
        services = Services(ctx, enabled)
        services.start()
        log.info("VideoForge started with roles: %s", ", ".join(r.name for r in enabled))
        try:
            yield
        finally:
            services.stop()
            if context is None:
                ctx.close()

    app = FastAPI(
        title="VideoForge",
        version=__version__,
        description="Upload videos, transcode them to adaptive HLS, list and stream them.",
        lifespan=lifespan,
    )
    if context is not None:
        # Here rather than in the lifespan, which Mangum runs around every Lambda invocation:
        # the roles' state (caches, signers) lives as long as the context it was built from.
        keep_state(app.state, context, enabled)
    install_error_handlers(app)
    app.add_middleware(RequestChecks)
    app.add_middleware(RequestIdMiddleware)
    if settings.trusted_proxies:
        # Outermost, so that everything inside (throttle, logs, the gateway's forwarding) sees
        # the client's address. Only these peers' X-Forwarded-For is believed; `serve` turns
        # uvicorn's own handling (which believes any peer on 127.0.0.1) off.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    app.include_router(health_router)
    app.include_router(metrics_router)
    for role in enabled:
        for router in role.routers(settings):
            app.include_router(router)
    return app

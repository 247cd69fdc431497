"""Health (alive) and readiness (can do its work) on every role, as orchestrators expect.

`/api/health` touches nothing, so it stays cheap enough for a load balancer to call often.
`/api/ready` checks the database, the object store and the queue, and on a gateway also that
every role it forwards to answers its own `/api/health` (briefly: a slow peer is not ready).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from videoforge.config import Settings
from videoforge.context import Context
from videoforge.deps import CtxDep

router = APIRouter(tags=["health"])

PEER_TIMEOUT_SECONDS = 2.0


@router.get("/api/health")
def health(ctx: CtxDep) -> dict[str, Any]:
    """Alive. Answers the original's shape `{status, timestamp, service}`, plus the roles."""
    return {
        "status": "ok",
        "timestamp": datetime.now(UTC).isoformat(),
        "service": "videoforge",
        "roles": sorted(ctx.settings.enabled_roles),
    }


@router.get("/api/ready")
async def ready(ctx: CtxDep) -> JSONResponse:
    """Ready when the database, the object store, the queue and (on a gateway) the peers answer."""
    checks = await run_in_threadpool(_local_checks, ctx)
    checks.update(await _peer_checks(ctx.settings))
    ok = all(v == "ok" for v in checks.values())
    return JSONResponse(
        {"status": "ready" if ok else "not ready", "checks": checks}, status_code=200 if ok else 503
    )


def _local_checks(ctx: Context) -> dict[str, str]:
    def database() -> None:
        with ctx.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    probes: dict[str, Callable[[], object]] = {
        "database": database,
        "store": lambda: next(iter(ctx.store.list("health-check/")), None),
        "queue": ctx.queue.depth,
    }
    checks = {}
    for name, probe in probes.items():
        try:
            probe()
            checks[name] = "ok"
        except Exception as exc:
            checks[name] = f"failing: {exc}"
    return checks


def peer_urls(settings: Settings) -> dict[str, str]:
    """{role: base URL} of the roles a gateway forwards to (none unless this is a gateway)."""
    return {role.name: base for role, base in settings.peer_urls().items() if base}


async def _peer_checks(settings: Settings) -> dict[str, str]:
    peers = peer_urls(settings)
    if not peers:
        return {}
    async with httpx.AsyncClient(timeout=PEER_TIMEOUT_SECONDS) as client:

        async def check(base: str) -> str:
            try:
                answer = await client.get(f"{base}/api/health")
            except httpx.HTTPError as exc:
                return f"failing: {base} unreachable ({type(exc).__name__})"
            if answer.status_code != 200:
                return f"failing: {base}/api/health answered {answer.status_code}"
            return "ok"

        results = await asyncio.gather(*(check(base) for base in peers.values()))
    return {f"{role} role": result for role, result in zip(peers, results, strict=True)}

"""Health (alive) and readiness (can do its work) on every role, as orchestrators expect."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from videoforge.deps import CtxDep

router = APIRouter(tags=["health"])


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
def ready(ctx: CtxDep) -> JSONResponse:
    """Ready when the database, the object store and the queue all answer."""
    checks: dict[str, str] = {}

    def check(name: str, probe: Any) -> None:
        try:
            probe()
            checks[name] = "ok"
        except Exception as exc:
            checks[name] = f"failing: {exc}"

    def database() -> None:
        with ctx.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    check("database", database)
    check("store", lambda: next(iter(ctx.store.list("health-check/")), None))
    check("queue", ctx.queue.depth)
    ok = all(v == "ok" for v in checks.values())
    return JSONResponse(
        {"status": "ready" if ok else "not ready", "checks": checks}, status_code=200 if ok else 503
    )

"""`videoforge doctor`: check settings and every connection, and say how to fix each problem."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass

import httpx
from sqlalchemy import text

from videoforge.config import PEER_ROUTES, Settings


@dataclass(frozen=True)
class Finding:
    check: str
    ok: bool
    detail: str


def _run(name: str, probe: Callable[[], str], fix: str) -> Finding:
    try:
        return Finding(name, True, probe())
    except Exception as exc:
        return Finding(name, False, f"{exc}. Fix: {fix}")


def diagnose(settings: Settings) -> list[Finding]:
    """Every check, in the order a start-up needs them; never stops at the first failure."""
    from videoforge.context import build_store
    from videoforge.db import make_engine
    from videoforge.media.tools import find_ffmpeg

    findings = []

    def database() -> str:
        engine = make_engine(settings.resolved_database_url)
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return f"{engine.dialect.name} reachable"
        finally:
            engine.dispose()

    findings.append(
        _run(
            "database",
            database,
            "check VIDEOFORGE_DATABASE_URL (or DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD) "
            "and that the server accepts connections from here",
        )
    )

    def store() -> str:
        store = build_store(settings)
        written = store.put_stream("doctor/probe.txt", [b"videoforge doctor"])
        store.delete_prefix("doctor/")
        return f"wrote and deleted {written} bytes"

    findings.append(
        _run(
            "object store",
            store,
            "check the store settings (VIDEOFORGE_DATA_DIR for local disk; bucket, region, "
            "endpoint and credentials for S3) and that this process may write there",
        )
    )

    def ffmpeg() -> str:
        binary = find_ffmpeg(settings)
        result = subprocess.run(
            [binary, "-hide_banner", "-version"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
        return result.stdout.splitlines()[0]

    findings.append(_run("ffmpeg", ffmpeg, "unset FFMPEG_PATH to use the bundled ffmpeg"))

    if "gateway" in settings.enabled_roles:
        for role, (field, _) in PEER_ROUTES.items():
            base = getattr(settings, field)
            if role in settings.enabled_roles or not base:
                continue

            def peer(base: str = base) -> str:
                resp = httpx.get(f"{base.rstrip('/')}/api/health", timeout=5)
                resp.raise_for_status()
                return f"{base} answers"

            findings.append(
                _run(
                    f"{role} role",
                    peer,
                    f"start the {role} role at {base}, or correct {field.upper()}",
                )
            )
    return findings

"""`videoforge doctor`: check settings and every connection, and say how to fix each problem.

Settings problems are found before this runs (`load_settings` lists them all); here each backend
is tried for real: database, schema version, object store, queue, ffmpeg, on a gateway the roles
it forwards to, and the external identity provider when one is configured. Every check runs even
when an earlier one failed.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from videoforge.config import Settings
from videoforge.health import peer_urls

DATABASE_FIX = (
    "check VIDEOFORGE_DATABASE_URL (or DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD) "
    "and that the database server accepts connections from here"
)
AFTER_DATABASE = "fix the database first (see above)"
CONNECT_TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class Finding:
    check: str
    ok: bool
    detail: str
    fix: str | None = None


def _reason(exc: Exception) -> str:
    """The cause in one line, without SQLAlchemy's statement and links."""
    cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    words = " ".join(str(cause).split()) or type(cause).__name__
    return words[:400]


def _run(name: str, probe: Callable[[], str], fix: str) -> Finding:
    try:
        return Finding(name, True, probe())
    except Exception as exc:
        return Finding(name, False, _reason(exc), fix)


def _engine(settings: Settings) -> Engine:
    from videoforge.db import make_engine

    url = settings.resolved_database_url
    if url.startswith("postgresql"):
        # Fail within seconds on a host that drops packets, instead of hanging.
        return create_engine(url, connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS})
    return make_engine(url)


def diagnose(settings: Settings) -> list[Finding]:
    """Every check, in the order a start-up needs them; never stops at the first failure."""
    engine = _engine(settings)
    try:
        findings = _database_findings(settings, engine)
        database_ok = findings[0].ok
        findings.append(_store_finding(settings))
        findings.append(_queue_finding(settings, engine, database_ok))
    finally:
        engine.dispose()
    findings.append(_ffmpeg_finding(settings))
    findings.extend(_peer_findings(settings))
    findings.extend(_identity_findings(settings))
    return findings


def _database_findings(settings: Settings, engine: Engine) -> list[Finding]:
    def database() -> str:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return f"{engine.url.render_as_string(hide_password=True)} reachable"

    found = _run("database", database, DATABASE_FIX)
    if not found.ok:
        return [found, Finding("schema", False, "not checked: no database", AFTER_DATABASE)]

    def schema() -> str:
        current, head = schema_revisions(engine)
        if current != head:
            raise RuntimeError(f"schema is at revision {current or 'none'}, the code needs {head}")
        return f"at the newest revision ({head})"

    return [found, _run("schema", schema, "run `videoforge db upgrade` once, then start again")]


def schema_revisions(engine: Engine) -> tuple[str | None, str | None]:
    """(the database's Alembic revision, the newest revision this code has)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from videoforge.db import alembic_config

    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
        head = ScriptDirectory.from_config(alembic_config(conn)).get_current_head()
    return current, head


def _store_finding(settings: Settings) -> Finding:
    from videoforge.context import build_store

    def store() -> str:
        store = build_store(settings)
        written = store.put_stream("doctor/probe.txt", [b"videoforge doctor"])
        store.delete_prefix("doctor/")
        where = f"bucket {settings.s3_bucket_name}" if settings.store == "s3" else "local disk"
        return f"{where}: wrote and deleted {written} bytes"

    if settings.store == "s3":
        fix = (
            "check S3_BUCKET_NAME, AWS_REGION, S3_ENDPOINT_URL (for MinIO or R2) and the "
            "credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or an instance role) "
            "allow listing, writing and deleting in the bucket"
        )
    else:
        fix = "point VIDEOFORGE_DATA_DIR at a directory this user can write"
    return _run("object store", store, fix)


def _queue_finding(settings: Settings, engine: Engine, database_ok: bool) -> Finding:
    from videoforge.context import build_queue

    if settings.queue == "database" and not database_ok:
        return Finding("queue", False, "not checked: it lives in the database", AFTER_DATABASE)

    def queue() -> str:
        depth = build_queue(settings, engine).depth()
        return f"{settings.queue}: {depth['visible']} waiting, {depth['dead']} dead-lettered"

    if settings.queue == "sqs":
        fix = (
            "check SQS_QUEUE_URL, SQS_DLQ_URL, AWS_REGION, SQS_ENDPOINT_URL and that the "
            "credentials may receive, send and read attributes of both queues"
        )
    else:
        fix = "run `videoforge db upgrade`, so the queue's table exists"
    return _run("queue", queue, fix)


def _ffmpeg_finding(settings: Settings) -> Finding:
    from videoforge.media.tools import find_ffmpeg

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

    return _run("ffmpeg", ffmpeg, "unset FFMPEG_PATH to use the bundled ffmpeg")


def _peer_findings(settings: Settings) -> list[Finding]:
    findings = []
    for role, base in peer_urls(settings).items():

        def peer(base: str = base) -> str:
            answer = httpx.get(f"{base}/api/health", timeout=5)
            answer.raise_for_status()
            return f"{base} answers"

        env = f"{role.upper()}_SERVICE_URL"
        fix = (
            f"start the {role} role at {base} (`videoforge serve --roles {role}`), or correct {env}"
        )
        findings.append(_run(f"{role} role", peer, fix))
    return findings


def _identity_findings(settings: Settings) -> list[Finding]:
    """The provider's signing keys (its tokens verify only with them) and, when the web app
    signs in there, its endpoints (an OIDC issuer's discovery document)."""
    from videoforge.auth.providers import SignInProvider
    from videoforge.security.external import ExternalVerifier

    verifier = ExternalVerifier.from_settings(settings)
    if verifier is None:
        return []

    def keys() -> str:
        found = verifier.jwks.get_signing_keys()
        return f"{len(found)} signing key(s) at {verifier.jwks.uri}"

    setting = "COGNITO_USER_POOL_ID" if verifier.cognito else "VIDEOFORGE_OIDC_ISSUER"
    reach = f"check {setting} and that this machine reaches the provider over HTTPS"
    findings = [_run("identity provider keys", keys, reach)]
    provider = SignInProvider.from_settings(settings)
    if provider is not None:

        def sign_in() -> str:
            return f"sign-in at {provider.endpoints()['authorization']}"

        findings.append(_run("identity provider sign-in", sign_in, reach))
    return findings

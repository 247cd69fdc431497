"""What revocation costs the media route: the database check (streaming/revocation.py) per
request, cached and not, beside the rest of the request.

    uv run python bench/media_gate.py            # SQLite, and PostgreSQL on 127.0.0.1 if it answers
    uv run python bench/media_gate.py --requests 5000

Prints microseconds per call for each step, and whole segment requests through the real app
(in-process ASGI client) with the check as shipped ("after") and with a gate that allows all
("before": the route as it was, without any lookup).
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fastapi.testclient import TestClient
from rich.console import Console
from rich.table import Table

from videoforge.app import create_app
from videoforge.config import load_settings
from videoforge.context import Context, build_context
from videoforge.db import User, Video
from videoforge.streaming.deps import streaming_state
from videoforge.streaming.revocation import MediaGate
from videoforge.streaming.signing import Audience, media_url, read_media_token
from videoforge.testing import postgres

ROUNDS = 7
SEGMENT = bytes(range(256)) * 1024  # 256 KiB, about a 2-s 1080p segment's order of size


class AllowAll(MediaGate):
    """The route before revocation: no lookup at all."""

    def allows(self, video_id: str, audience: Audience) -> bool:
        return True


def per_call_us(action: Callable[[], object], calls: int) -> tuple[float, float]:
    """(wall, CPU of this process) microseconds per call. CPU time leaves out waiting for the
    other programs sharing the machine, so it is the steadier figure."""
    action()  # warm
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(calls):
        action()
    return (
        (time.perf_counter() - wall) / calls * 1e6,
        (time.process_time() - cpu) / calls * 1e6,
    )


@contextlib.contextmanager
def app_on(database_url: str | None, data_dir: Path) -> Iterator[tuple[TestClient, Context, str]]:
    extra = {"database_url": database_url} if database_url else {}
    settings = load_settings(data_dir=data_dir, roles=["streaming"], **extra)
    ctx = build_context(settings)
    with ctx.sessions() as db:
        owner = User(username="bench", email="bench@example.com", password_hash="-")
        db.add(owner)
        db.flush()
        video = Video(user_id=owner.id, title="b", source_key="-", status="ready")
        db.add(video)
        db.commit()
        video_id = video.id
    ctx.store.put_stream(f"videos/{video_id}/hls/720p/seg_00001.m4s", [SEGMENT])
    with TestClient(create_app(settings, context=ctx)) as client:
        yield client, ctx, video_id
    ctx.close()


def measure(name: str, database_url: str | None, requests: int, table: Table) -> None:
    with tempfile.TemporaryDirectory() as tmp, app_on(database_url, Path(tmp) / "var") as opened:
        client, ctx, video_id = opened
        secret = ctx.tokens.media_secret
        url = media_url(secret, video_id, "hls/720p/seg_00001.m4s", 3600)
        token = url.split("/")[3]
        uncached = MediaGate(ctx.sessions, cache_seconds=0)
        cached = MediaGate(ctx.sessions)

        def check_token() -> object:
            return read_media_token(secret, video_id, token)

        def cached_check() -> object:
            return cached.allows(video_id, Audience.ANYONE)

        def lookup() -> object:
            return uncached.allows(video_id, Audience.ANYONE)

        rows = [
            ("token check (HMAC)", per_call_us(check_token, requests * 10)),
            ("gate, cached (as shipped)", per_call_us(cached_check, requests * 10)),
            ("gate, database lookup (cache miss)", per_call_us(lookup, requests)),
        ]

        def fetch() -> None:
            assert client.get(url).status_code == 200

        # Alternating rounds, medians: the machine's other load shifts both ways alike.
        state = streaming_state(client.app)  # type: ignore[arg-type]
        shipped, allow_all = state.gate, AllowAll(ctx.sessions)
        timings: dict[str, list[tuple[float, float]]] = {"before": [], "after": []}
        for _ in range(ROUNDS):
            for way, gate in (("after", shipped), ("before", allow_all)):
                state.gate = gate
                timings[way].append(per_call_us(fetch, requests // ROUNDS))
        before, after = (
            tuple(statistics.median(t[i] for t in timings[way]) for i in (0, 1))
            for way in ("before", "after")
        )
        rows += [
            ("segment request, no check (before), median", before),
            ("segment request, with check (after), median", after),
        ]
        for step, (wall, cpu) in rows:
            table.add_row(name, step, f"{wall:,.1f}", f"{cpu:,.1f}")
        ratios = (f"{after[i] / before[i]:.3f}" for i in (0, 1))
        table.add_row(name, "after ÷ before", *ratios, end_section=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    table = Table(title="Media route: cost of the revocation check (µs per call)")
    for column in ("database", "step", "wall µs", "CPU µs"):
        table.add_column(column, justify="right" if "µs" in column else "left")
    measure("SQLite", None, args.requests, table)
    admin = postgres.admin_url()
    if admin:
        try:
            with postgres.fresh_database(admin, "vf_bench") as url:
                measure("PostgreSQL", url, args.requests, table)
        except postgres.PostgresUnavailable as exc:
            print(f"PostgreSQL skipped: {exc}")
    Console().print(table)


if __name__ == "__main__":
    main()

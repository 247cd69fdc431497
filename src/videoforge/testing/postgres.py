"""Throwaway databases on the PostgreSQL server the tests use (127.0.0.1:5432 by default)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

from sqlalchemy import create_engine, make_url, text

# What the `fresh_postgres` test fixture hands out: prefix in, a database URL while in use.
DatabaseFactory = Callable[[str], AbstractContextManager[str]]

DEFAULT_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def admin_url() -> str | None:
    """The server's admin URL from VIDEOFORGE_TEST_POSTGRES, or None when it says `skip`."""
    url = os.environ.get("VIDEOFORGE_TEST_POSTGRES", DEFAULT_ADMIN_URL)
    return None if url == "skip" else url


class PostgresUnavailable(Exception):
    pass


@contextmanager
def fresh_database(admin: str, prefix: str = "vf_test") -> Iterator[str]:
    """A new, empty database; its URL is yielded and it is dropped (connections and all) after."""
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        try:
            with engine.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        except Exception as exc:
            raise PostgresUnavailable(
                f"PostgreSQL is not reachable at {admin} ({type(exc).__name__}: {exc}). "
                "Start it, point VIDEOFORGE_TEST_POSTGRES at an admin URL, "
                "or set VIDEOFORGE_TEST_POSTGRES=skip to skip the PostgreSQL tests."
            ) from exc
        try:
            yield make_url(admin).set(database=name).render_as_string(hide_password=False)
        finally:
            with engine.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()

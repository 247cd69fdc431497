"""Migration 0005 on SQLite and PostgreSQL: it builds exactly the tables the models describe,
and goes down to 0004 and up again."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from videoforge.db import Base, alembic_config, make_engine, migrate
from videoforge.testing.postgres import DatabaseFactory


def check_round_trip(url: str) -> None:
    engine = make_engine(url)
    try:
        migrate(engine)
        with engine.begin() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
            command.downgrade(alembic_config(conn), "0004")
        migrate(engine)
    finally:
        engine.dispose()


def test_on_sqlite(tmp_path: Path) -> None:
    check_round_trip(f"sqlite:///{tmp_path / 'db.sqlite'}")


def test_on_postgresql(fresh_postgres: DatabaseFactory) -> None:
    with fresh_postgres("vf_social") as url:
        check_round_trip(url)

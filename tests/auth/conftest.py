"""A small app with only the auth router, on its own SQLite database.

It needs only what auth uses (settings, engine, sessions, tokens, mailer), so these tests do not
depend on the queue, the store or the migrations being in place. Email confirmation is on (the
default): helpers in tests/auth/helpers.py confirm with the mailed code.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from videoforge.auth.deps import AuthState
from videoforge.auth.routes import router
from videoforge.config import Settings, load_settings
from videoforge.db import Base, make_engine, make_sessionmaker
from videoforge.errors import install_error_handlers
from videoforge.mail import LogMailer
from videoforge.security.tokens import TokenIssuer


@dataclass
class AuthContext:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    tokens: TokenIssuer
    mailer: LogMailer


@pytest.fixture
def auth_settings(tmp_path: Path) -> Settings:
    return load_settings(data_dir=tmp_path / "var")


@pytest.fixture
def auth_ctx(auth_settings: Settings) -> Iterator[AuthContext]:
    engine = make_engine(auth_settings.resolved_database_url)
    Base.metadata.create_all(engine)
    yield AuthContext(
        settings=auth_settings,
        engine=engine,
        sessions=make_sessionmaker(engine),
        tokens=TokenIssuer.from_settings(auth_settings),
        mailer=LogMailer(auth_settings.data_dir / "mail", auth_settings.mail_from),
    )
    engine.dispose()


@pytest.fixture
def db(auth_ctx: AuthContext) -> Iterator[Session]:
    with auth_ctx.sessions() as session:
        yield session


@pytest.fixture
def auth_client(auth_ctx: AuthContext) -> Iterator[TestClient]:
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(router)
    app.state.ctx = auth_ctx
    app.state.auth = AuthState.build(auth_ctx)  # type: ignore[arg-type]
    with TestClient(app) as client:
        yield client


@pytest.fixture
def mailer(auth_ctx: AuthContext) -> LogMailer:
    return auth_ctx.mailer

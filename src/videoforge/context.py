"""Everything a process builds once from its settings, handed to handlers through dependencies."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from videoforge.auth.tokens import TokenIssuer
from videoforge.config import Settings
from videoforge.db import make_engine, make_sessionmaker, migrate
from videoforge.media.tools import find_ffmpeg
from videoforge.queue.base import JobQueue
from videoforge.queue.sql import SqlQueue
from videoforge.storage import LocalStore, ObjectStore


@dataclass
class Context:
    settings: Settings
    engine: Engine
    sessions: sessionmaker  # type: ignore[type-arg]
    store: ObjectStore
    queue: JobQueue
    tokens: TokenIssuer
    ffmpeg: str
    extras: dict[str, object] = field(default_factory=dict)

    def close(self) -> None:
        self.engine.dispose()


def build_store(settings: Settings) -> ObjectStore:
    return LocalStore(settings.store_dir)


def build_queue(settings: Settings, engine: Engine) -> JobQueue:
    return SqlQueue(engine, name="jobs", max_receives=settings.queue_max_receives)


def build_context(settings: Settings) -> Context:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.work_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url)
    migrate(engine)
    return Context(
        settings=settings,
        engine=engine,
        sessions=make_sessionmaker(engine),
        store=build_store(settings),
        queue=build_queue(settings, engine),
        tokens=TokenIssuer.from_settings(settings),
        ffmpeg=find_ffmpeg(settings),
    )

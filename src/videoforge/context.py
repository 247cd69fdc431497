"""Everything a process builds once from its settings, handed to handlers through dependencies.

What only one role keeps (the media gate, the CDN signer, upload thread pools, the sign-in
provider) is that role's typed state instead, built from this context (roles.py): this module
sits below the roles' packages and names none of their types."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from videoforge.config import Settings
from videoforge.db import make_engine, make_sessionmaker, migrate
from videoforge.mail import Mailer, build_mailer
from videoforge.media.tools import find_ffmpeg
from videoforge.queue.base import JobQueue
from videoforge.queue.sql import SqlQueue
from videoforge.security.tokens import TokenIssuer
from videoforge.storage import LocalStore, ObjectStore


@dataclass
class Context:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    store: ObjectStore
    queue: JobQueue
    tokens: TokenIssuer
    ffmpeg: str
    mailer: Mailer

    def close(self) -> None:
        self.engine.dispose()


def build_store(settings: Settings) -> ObjectStore:
    if settings.store == "s3":
        from videoforge.storage.s3 import S3Store

        assert settings.s3_bucket_name  # load_settings reports it missing
        return S3Store(
            settings.s3_bucket_name,
            region=settings.aws_region,
            endpoint_url=settings.s3_endpoint_url,
            prefix=settings.s3_prefix,
        )
    return LocalStore(settings.store_dir)


def build_queue(settings: Settings, engine: Engine) -> JobQueue:
    if settings.queue == "sqs":
        from videoforge.queue.sqs import SqsQueue

        assert settings.sqs_queue_url and settings.sqs_dlq_url  # load_settings reports them
        return SqsQueue(
            settings.sqs_queue_url,
            dlq_url=settings.sqs_dlq_url,
            max_receives=settings.queue_max_receives,
            region=settings.aws_region,
            endpoint_url=settings.sqs_endpoint_url,
        )
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
        mailer=build_mailer(settings),
    )

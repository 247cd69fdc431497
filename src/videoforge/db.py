"""Database tables and engine construction (SQLite with WAL by default, PostgreSQL in the cloud)."""

from __future__ import annotations

import fcntl
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    false,
    text,
    true,
)
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


def _as_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


class AwareDateTime(TypeDecorator[datetime]):
    """Every time column: stored in UTC, read back as an aware UTC datetime on every database
    (SQLite returns times without a zone, PostgreSQL in the session's zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else _as_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else _as_utc(value)


def new_id() -> str:
    return uuid.uuid4().hex


class Base(DeclarativeBase):
    type_annotation_map = {datetime: AwareDateTime(), dict[str, Any]: JSON}  # noqa: RUF012


class User(Base):
    __tablename__ = "users"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    # Both stored lowercased (auth/service.py) so that uniqueness and sign-in ignore case.
    username: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="user")
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Accounts that existed before confirmation codes count as confirmed (the server default).
    email_confirmed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=true())
    # An administrator's demand that this account use a second factor.
    mfa_required: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # TOTP (RFC 6238): the base32 secret, set at setup and trusted once confirmed with a code.
    totp_secret: Mapped[str | None] = mapped_column(String(64), default=None)
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(default=None)
    # The last time step whose code was accepted: a code works once (RFC 6238 section 5.2).
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger, default=None)
    # For accounts first seen as an external provider's token: "{issuer} {subject}".
    external_id: Mapped[str | None] = mapped_column(
        String(512), unique=True, index=True, default=None
    )
    # The public channel (social/channels.py): shown name, bio, and when the avatar last changed
    # (None: no avatar; the time also makes the avatar's URL change with it).
    display_name: Mapped[str] = mapped_column(String(100), default="", server_default="")
    bio: Mapped[str] = mapped_column(Text, default="", server_default="")
    avatar_updated_at: Mapped[datetime | None] = mapped_column(default=None)


class RecoveryCode(Base):
    """A single-use MFA recovery code; only its SHA-256 is kept."""

    __tablename__ = "recovery_codes"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(default=None)


class EmailCode(Base):
    """A 6-digit mailed code: confirm_email, reset_password, or mfa (then tied to a challenge)."""

    __tablename__ = "email_codes"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(32))
    challenge_id: Mapped[str | None] = mapped_column(String(64), default=None)
    code_hash: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MfaChallenge(Base):
    """The second step of a sign-in: "mfa" (enter a code) or "enrol" (set up TOTP first).

    The id is the SHA-256 of the session string handed to the client; it works once.
    """

    __tablename__ = "mfa_challenges"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(default=None)
    user_agent: Mapped[str | None] = mapped_column(String(255), default=None)


class AuthAttempt(Base):
    """A failed sign-in or code check, counted per key ("account:..." or "address:...")."""

    __tablename__ = "auth_attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_auth_attempts_key_time", "key", "created_at"),)


class AuthSession(Base):
    """A signed-in device: one rotating refresh token chain."""

    __tablename__ = "auth_sessions"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    refresh_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    # Why it ended ("logout", "reuse"), so a refresh attempt can be told in words.
    revoked_reason: Mapped[str | None] = mapped_column(String(32), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    user_agent: Mapped[str | None] = mapped_column(String(255), default=None)


class Video(Base):
    __tablename__ = "videos"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[str] = mapped_column(String(16), default="public")
    # A jobs.status.VideoStatus, set by whoever makes the row (uploaded, then following its
    # latest job: jobs.status.VIDEO_FOLLOWS); no default here, so the table needs no jobs import.
    status: Mapped[str] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(Text, default=None)
    original_filename: Mapped[str] = mapped_column(String(255), default="")
    source_key: Mapped[str] = mapped_column(String(512))
    file_size: Mapped[int] = mapped_column(BigInteger, default=0)
    duration: Mapped[float | None] = mapped_column(Float, default=None)
    width: Mapped[int | None] = mapped_column(Integer, default=None)
    height: Mapped[int | None] = mapped_column(Integer, default=None)
    video_codec: Mapped[str | None] = mapped_column(String(32), default=None)
    audio_codec: Mapped[str | None] = mapped_column(String(32), default=None)
    # [{"name": "720p", "width": 1280, "height": 720, "bandwidth": 3000000, "playlist": "..."}]
    renditions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    views: Mapped[int] = mapped_column(Integer, default=0)
    comments_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Comment(Base):
    """A comment on a video; a reply has the top-level comment it answers as parent (one level
    deep only, social/comments.py)."""

    __tablename__ = "comments"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    video_id: Mapped[str] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[str | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True, default=None
    )
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(default=None)

    __table_args__ = (Index("ix_comments_video_time", "video_id", "created_at"),)


class VideoLike(Base):
    """One account likes one video (at most once: the key)."""

    __tablename__ = "video_likes"
    video_id: Mapped[str] = mapped_column(
        ForeignKey("videos.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class VideoView(Base):
    """A counted view, kept only for the de-duplication window (gallery/views.py). `viewer` is
    "user:<id>" or "anon:<salted hash>": never an address."""

    __tablename__ = "video_views"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    video_id: Mapped[str] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"))
    viewer: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    __table_args__ = (Index("ix_video_views_viewer", "video_id", "viewer", "created_at"),)


class PlaybackPosition(Base):
    """Where an account left a video, to resume there on any device."""

    __tablename__ = "playback_positions"
    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    video_id: Mapped[str] = mapped_column(
        ForeignKey("videos.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    seconds: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Playlist(Base):
    """An ordered list of videos; its visibility means what a video's does (playlists/access.py)."""

    __tablename__ = "playlists"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[str] = mapped_column(String(16), default="public")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PlaylistEntry(Base):
    """A video's place in a playlist (0 first); a video is in a playlist at most once."""

    __tablename__ = "playlist_entries"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    playlist_id: Mapped[str] = mapped_column(ForeignKey("playlists.id", ondelete="CASCADE"))
    video_id: Mapped[str] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("playlist_id", "video_id", name="uq_playlist_entries_video"),
        Index("ix_playlist_entries_order", "playlist_id", "position"),
    )


class Caption(Base):
    """A caption track of a video in one language (one per language); its WebVTT is stored
    under a key of its own id (storage/layout.py), so a replaced track gets a new address."""

    __tablename__ = "captions"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    video_id: Mapped[str] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(35))  # a BCP 47 tag such as "en" or "pt-BR"
    label: Mapped[str] = mapped_column(String(100))
    cues_end: Mapped[float] = mapped_column(Float, default=0.0)  # when the last cue ends
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("video_id", "language", name="uq_captions_language"),)


class Job(Base):
    __tablename__ = "jobs"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    video_id: Mapped[str] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # A jobs.status.JobStatus, moved only as jobs.status.Moves allows (jobs.queueing sets the
    # first one).
    status: Mapped[str] = mapped_column(String(16), index=True)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    eta_seconds: Mapped[float | None] = mapped_column(Float, default=None)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    # A split job (scale-out transcoding): its current encode (parts/{encode_id}/ in the
    # store), the encode whose final step was handed out (exactly once), and how many chunks
    # the growing playlists list (they only ever grow).
    encode_id: Mapped[str | None] = mapped_column(String(32), default=None)
    finish_sent_for: Mapped[str | None] = mapped_column(String(32), default=None)
    published_chunks: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class JobTask(Base):
    """One task of a split job: a chunk of the video (kind "chunk", index 0, 1, ...) or the
    whole file's audio (kind "audio", index -1). Its status moves as jobs.status.Moves allows;
    `message` is the queue message that runs it, sent again when the job resumes."""

    __tablename__ = "job_tasks"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    encode_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))
    index: Mapped[int] = mapped_column(Integer)
    start_seconds: Mapped[float] = mapped_column(Float)
    end_seconds: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16))  # a jobs.status.JobStatus, set by its maker
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    eta_seconds: Mapped[float | None] = mapped_column(Float, default=None)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    message: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class QueueMessage(Base):
    """A message of the database queue, with SQS's semantics (see queue/sql.py)."""

    __tablename__ = "queue_messages"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    queue: Mapped[str] = mapped_column(String(64))  # e.g. "jobs" and its dead-letter "jobs-dlq"
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    visible_at: Mapped[datetime] = mapped_column(default=utcnow)
    receipt: Mapped[str | None] = mapped_column(String(32), default=None, index=True)
    receive_count: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_queue_messages_ready", "queue", "visible_at"),)


class TusUpload(Base):
    """A resumable (tus) upload, visible to every gallery replica: its bytes are in the object
    store, described by `store_state` (storage.AppendState); the first `committed_offset`
    bytes are durable, anything after them is discarded by the next write.

    A request writing to it holds the lease (`lease_holder` until `lease_expires_at`, renewed
    while bytes flow): another request finds it taken and is refused at once; a holder that
    died loses it when it expires. The id of the video it becomes is chosen up front, so the
    finished bytes land at that video's source key."""

    __tablename__ = "tus_uploads"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    video_id: Mapped[str] = mapped_column(String(32))
    length: Mapped[int] = mapped_column(BigInteger)
    committed_offset: Mapped[int] = mapped_column(BigInteger, default=0)
    # The client's Upload-Metadata, decoded: filename, filetype, title, description, visibility.
    upload_metadata: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    store_state: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    completed_at: Mapped[datetime | None] = mapped_column(default=None)
    lease_holder: Mapped[str | None] = mapped_column(String(32), default=None)
    lease_expires_at: Mapped[datetime | None] = mapped_column(default=None)


class WorkerProcess(Base):
    """A running worker process, kept fresh by its heartbeat (metrics.py counts these)."""

    __tablename__ = "workers"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    concurrency: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(default=utcnow, index=True)


def make_engine(url: str) -> Engine:
    """Engine with the pragmas SQLite needs to be a safe multi-threaded store."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    config.attributes["connection"] = connection
    return config


def migrate(engine: Engine) -> None:
    """Upgrade the schema to the newest Alembic revision.

    Safe when several processes start at once: they queue on a lock (a PostgreSQL advisory
    lock, or a file lock beside the SQLite database) and the later ones find nothing to do.
    """
    with _migration_lock(engine), engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _MIGRATION_LOCK_KEY})
                conn.commit()
        return
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    with open(f"{database}.migrate-lock", "w") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


_MIGRATION_LOCK_KEY = 0x5646_0001  # "VF" + 1: any constant that no other app on the server uses

"""`publishing`: how far the growing playlists of a split job were published, handed to one
writer at a time, on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text, update
from sqlalchemy.orm import Session, sessionmaker

from videoforge.db import Job, User, Video, make_engine, make_sessionmaker, migrate
from videoforge.jobs.status import JobStatus
from videoforge.jobs.tasks import publishing, publishing_start
from videoforge.testing.postgres import DatabaseFactory


@pytest.fixture(params=["sqlite", "postgresql"])
def sessions(
    request: pytest.FixtureRequest, tmp_path: Path, fresh_postgres: DatabaseFactory
) -> Iterator[sessionmaker[Session]]:
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'jobs.db'}")
        migrate(engine)
        yield make_sessionmaker(engine)
        engine.dispose()
        return
    with fresh_postgres("vf_publishing") as url:
        engine = make_engine(url)
        migrate(engine)
        yield make_sessionmaker(engine)
        engine.dispose()


def add_job(sessions: sessionmaker[Session]) -> str:
    with sessions() as session:
        user = User(username="alice", email="alice@example.com", password_hash="x")
        session.add(user)
        session.flush()
        video = Video(user_id=user.id, title="Clip", source_key="k", status="processing")
        session.add(video)
        session.flush()
        job = Job(video_id=video.id, user_id=user.id, status="processing")
        session.add(job)
        session.commit()
        return job.id


def published(sessions: sessionmaker[Session], job_id: str) -> int:
    with sessions() as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job.published_chunks


def test_each_writer_learns_how_far_the_last_one_published(
    sessions: sessionmaker[Session],
) -> None:
    job_id = add_job(sessions)
    with publishing(sessions, job_id, 2) as previous:
        assert previous == 0
    with publishing(sessions, job_id, 2) as previous:
        assert previous is None  # as many are published already
    with publishing(sessions, job_id, 1) as previous:
        assert previous is None  # never backwards
    with publishing(sessions, job_id, 5) as previous:
        assert previous == 2
    assert published(sessions, job_id) == 5
    with publishing(sessions, "no-such-job", 1) as previous:
        assert previous is None


def test_a_writer_that_fails_records_nothing(sessions: sessionmaker[Session]) -> None:
    job_id = add_job(sessions)
    with publishing(sessions, job_id, 2):
        pass
    with pytest.raises(OSError), publishing(sessions, job_id, 4):
        raise OSError("the store went away")
    with publishing(sessions, job_id, 3) as previous:
        assert previous == 2  # what the failed writer meant to publish does not count


def test_a_second_writer_waits_for_the_first_and_sees_what_it_published(
    sessions: sessionmaker[Session],
) -> None:
    if sessions.kw["bind"].dialect.name != "postgresql":
        pytest.skip("SQLite shows no lock waits to wait for")
    job_id = add_job(sessions)
    seen: list[int | None] = []

    def second() -> None:
        with publishing(sessions, job_id, 5) as previous:
            seen.append(previous)

    with publishing(sessions, job_id, 3) as first:
        assert first == 0
        thread = threading.Thread(target=second)
        thread.start()
        wait_for_a_lock_wait(sessions)
        assert seen == []  # blocked on the first writer's row lock
    thread.join(30)
    assert seen == [3]
    assert published(sessions, job_id) == 5


def wait_for_a_lock_wait(sessions: sessionmaker[Session]) -> None:
    """Until some session of this database waits on a lock (the second writer)."""
    query = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    deadline = time.monotonic() + 30
    with sessions() as session:
        while not session.scalar(query):
            if time.monotonic() > deadline:
                raise TimeoutError("the second writer never waited")
            time.sleep(0.02)
            session.rollback()  # a fresh snapshot of pg_stat_activity


def test_the_start_is_published_only_by_the_current_encode_before_any_whole_chunk(
    sessions: sessionmaker[Session],
) -> None:
    job_id = add_job(sessions)
    with sessions() as session:
        session.execute(update(Job).where(Job.id == job_id).values(encode_id="current"))
        session.commit()
    with publishing_start(sessions, job_id, "current") as allowed:
        assert allowed
    with publishing_start(sessions, job_id, "earlier") as allowed:
        assert not allowed  # a stale encode of a job planned again
    with publishing(sessions, job_id, 1) as previous:
        assert previous == 0
    with publishing_start(sessions, job_id, "current") as allowed:
        assert not allowed  # whole chunks are listed: the start must not replace them
    assert published(sessions, job_id) == 1


def test_a_cancelled_job_publishes_no_start(sessions: sessionmaker[Session]) -> None:
    job_id = add_job(sessions)
    with sessions() as session:
        changed = update(Job).where(Job.id == job_id)
        session.execute(changed.values(encode_id="current", status=JobStatus.CANCELLED))
        session.commit()
    with publishing_start(sessions, job_id, "current") as allowed:
        assert not allowed

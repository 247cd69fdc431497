"""Queue backends for the contract suite: every test in it runs once per backend.

`make_queue(max_receives=3)` builds a fresh, empty queue. PostgreSQL is the server on this
machine (override with VIDEOFORGE_TEST_POSTGRES=<admin URL>, or set it to `skip`); each test
session creates its own database there and drops it at the end. A new backend (SQS, say) is
one more entry in BACKENDS and one fixture.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from videoforge.db import Base, make_engine
from videoforge.queue.base import JobQueue
from videoforge.queue.sql import SqlQueue
from videoforge.queue.sqs import SqsQueue, create_queues
from videoforge.testing.aws import MotoServer, unique_name

QueueFactory = Callable[..., JobQueue]

BACKENDS = ["sqlite", "postgresql", pytest.param("sqs", marks=pytest.mark.slow)]
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _sql_factory(engine: Engine) -> QueueFactory:
    Base.metadata.create_all(engine)

    def make(max_receives: int = 3) -> JobQueue:
        # A queue name of its own per queue, so tests can share one database.
        return SqlQueue(engine, name=f"test-{uuid.uuid4().hex[:12]}", max_receives=max_receives)

    return make


@pytest.fixture
def sqlite_queues(tmp_path: Path) -> Iterator[QueueFactory]:
    engine = make_engine(f"sqlite:///{tmp_path / 'queue.db'}")
    yield _sql_factory(engine)
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh database on the PostgreSQL server, dropped after the session."""
    admin_url = os.environ.get("VIDEOFORGE_TEST_POSTGRES", DEFAULT_POSTGRES)
    if admin_url == "skip":
        pytest.skip("VIDEOFORGE_TEST_POSTGRES=skip")
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"vf_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        pytest.fail(
            f"PostgreSQL is not reachable at {admin_url} ({type(exc).__name__}: {exc}). "
            "Start it, point VIDEOFORGE_TEST_POSTGRES at an admin URL, "
            "or set VIDEOFORGE_TEST_POSTGRES=skip to skip the PostgreSQL tests.",
            pytrace=False,
        )
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_engine(postgres_url: str) -> Iterator[Engine]:
    engine = make_engine(postgres_url)
    yield engine
    engine.dispose()


@pytest.fixture
def postgresql_queues(postgres_engine: Engine) -> QueueFactory:
    return _sql_factory(postgres_engine)


@pytest.fixture(params=BACKENDS)
def make_queue(request: pytest.FixtureRequest) -> QueueFactory:
    factory: QueueFactory = request.getfixturevalue(f"{request.param}_queues")
    return factory


# -- SQS, on a moto server started once per session (tests/queue/test_sqs.py uses it too) -----

# Contract cases SQS cannot meet as written; each reason is SQS's own behaviour.
SQS_DIFFERENCES = {
    "test_release_with_delay": (
        "SQS counts a released message as in flight, not delayed, until its delay ends"
    ),
    "test_dead_lettered_after_max_receives_when_leases_run_out": (
        "SQS's redrive policy moves an exhausted message on the next receive from the main "
        "queue, and this case never receives again (test_sqs.py covers it with a receive)"
    ),
}


@pytest.fixture(scope="session")
def aws() -> Iterator[MotoServer]:
    with MotoServer() as server:
        yield server


@pytest.fixture
def sqs_queues(request: pytest.FixtureRequest, aws: MotoServer) -> QueueFactory:
    if reason := SQS_DIFFERENCES.get(request.node.originalname):
        pytest.skip(f"SQS: {reason}")
    client = aws.client("sqs")

    def make(max_receives: int = 3) -> JobQueue:
        queue_url, dlq_url = create_queues(client, unique_name("test"), max_receives=max_receives)
        return SqsQueue(
            queue_url, dlq_url=dlq_url, max_receives=max_receives, client=client, wait_seconds=0
        )

    return make

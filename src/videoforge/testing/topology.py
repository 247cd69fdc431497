"""The two supported topologies, started as real child processes for end-to-end tests.

    with all_in_one(tmp_path) as topo: ...          # `videoforge serve`: SQLite, local store
    with split(tmp_path, postgres_admin_url) as topo: ...
        # PostgreSQL (a fresh database, dropped at the end) + S3 and SQS on a moto server,
        # `videoforge serve --roles X` for gateway, auth, gallery and streaming (each on its own
        # port; the gateway told where the others are) and two `videoforge worker` processes.

Clients talk only to `topo.url` (the gateway). Every process of a topology shares one
VIDEOFORGE_DATA_DIR: that is where the ES256 signing keys of access tokens live (the auth role
signs with them, every role verifies with them), so on several machines that directory's `keys/`
must be shared (or copied) too. They also share JWT_SECRET, from which media links are signed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

# The key `videoforge db upgrade` locks on, held here to show that upgrades queue on it.
from videoforge.db import _MIGRATION_LOCK_KEY as MIGRATION_LOCK_KEY
from videoforge.queue.sqs import create_queues
from videoforge.storage import LocalStore, ObjectStore
from videoforge.storage.s3 import S3Store, s3_client
from videoforge.testing.aws import CREDENTIALS, MotoServer, unique_name
from videoforge.testing.postgres import fresh_database
from videoforge.testing.server import START_TIMEOUT, ServerProcess

# Settings that make a tiny clip go through quickly (and let tests sign in without email).
FAST_ENV = {
    "VIDEOFORGE_X264_PRESET": "ultrafast",
    "VIDEOFORGE_QUEUE_POLL_SECONDS": "0.2",
    "VIDEOFORGE_QUEUE_VISIBILITY_TIMEOUT_SECONDS": "30",
    "VIDEOFORGE_REQUIRE_EMAIL_CONFIRMATION": "false",
    "VIDEOFORGE_RETRY_BASE_SECONDS": "0.5",
    "JWT_SECRET": "topology-test-secret-shared-by-every-process",
}
SPLIT_ROLES = ("auth", "gallery", "streaming")


class WorkerProcess:
    """`python -m videoforge worker` with its own log; started when it says it is running."""

    READY_LINE = "worker running"

    def __init__(self, env: Mapping[str, str], log_path: Path) -> None:
        self.env = dict(env)
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = START_TIMEOUT) -> WorkerProcess:
        command = [sys.executable, "-m", "videoforge", "worker"]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(command, env=self.env, stdout=log, stderr=log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited early:\n{self.log()}")
            if self.READY_LINE in self.log():
                return self
            time.sleep(0.2)
        raise TimeoutError(f"worker did not start within {timeout} s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:]

    def pause(self) -> None:
        """SIGSTOP: the worker takes no message until resume() (it may hold one it had)."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.resume()
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class Topology:
    name: str
    url: str  # the gateway: the only address clients use
    env: dict[str, str]  # what every process was given
    store: ObjectStore  # the store the processes share, to look inside
    database_url: str
    servers: dict[str, ServerProcess] = field(default_factory=dict)
    workers: list[WorkerProcess] = field(default_factory=list)
    media_redirects_to: str | None = None  # where segments are redirected to, if anywhere

    def logs(self) -> str:
        """The tail of every process's log, for a failing test's report."""
        parts = [f"--- {name} ---\n{server.log()}" for name, server in self.servers.items()]
        parts += [f"--- worker {n} ---\n{w.log()}" for n, w in enumerate(self.workers, 1)]
        return "\n".join(parts)

    def count_rows(self, table: str) -> int:
        engine = create_engine(self.database_url)
        try:
            with engine.connect() as conn:
                return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
        finally:
            engine.dispose()


@dataclass
class SplitTopology(Topology):
    aws: MotoServer | None = None
    queue_url: str = ""
    dlq_url: str = ""
    upgrades: UpgradeRace | None = None

    def sqs_depth(self) -> dict[str, int]:
        assert self.aws is not None
        names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
        sqs = self.aws.client("sqs")
        found = {}
        for label, url in (("queue", self.queue_url), ("dlq", self.dlq_url)):
            got = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
            found[label] = sum(int(got[name]) for name in names)
        return found

    def pause_workers(self) -> None:
        for worker in self.workers:
            worker.pause()

    def resume_workers(self) -> None:
        for worker in self.workers:
            worker.resume()


def _python_env(env: Mapping[str, str]) -> dict[str, str]:
    return {**os.environ, **env}


@contextmanager
def all_in_one(base_dir: Path, env: Mapping[str, str] | None = None) -> Iterator[Topology]:
    """`videoforge serve`: every role and the workers in one process, SQLite and local disk."""
    data_dir = base_dir / "var"
    given = {**FAST_ENV, **(env or {})}
    with ServerProcess(data_dir, given) as server:
        yield Topology(
            name="all-in-one",
            url=server.url,
            env={**given, "VIDEOFORGE_DATA_DIR": str(data_dir)},
            store=LocalStore(data_dir / "store"),
            database_url=f"sqlite:///{data_dir / 'videoforge.db'}",
            servers={"all": server},
        )


@dataclass
class UpgradeRace:
    results: list[subprocess.CompletedProcess[str]]
    waiting: int  # processes seen queued on the migration lock while it was held for them


def upgrade_concurrently(env: Mapping[str, str], count: int, database_url: str) -> UpgradeRace:
    """Start `videoforge db upgrade` in `count` processes while holding the migration lock,
    see them all queue on it, then let them go. Only for PostgreSQL (an advisory lock)."""
    command = [sys.executable, "-m", "videoforge", "db", "upgrade"]
    engine = create_engine(database_url)
    try:
        with engine.connect() as holder:
            holder.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
            holder.commit()
            running = [
                subprocess.Popen(
                    command,
                    env=_python_env(env),
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                )
                for _ in range(count)
            ]
            waiting = _lock_waiters(engine, running, count)
            holder.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK_KEY})
            holder.commit()
    finally:
        engine.dispose()
    results = []
    for process in running:
        output, _ = process.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(command, process.returncode, output))
    return UpgradeRace(results, waiting)


def _lock_waiters(
    engine: Any, running: list[subprocess.Popen[str]], wanted: int, timeout: float = 60
) -> int:
    """How many sessions wait for an advisory lock in this database, once `wanted` do (or the
    processes end, or time runs out)."""
    query = text(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
        "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    )
    deadline = time.monotonic() + timeout
    waiting = 0
    while time.monotonic() < deadline and any(p.poll() is None for p in running):
        with engine.connect() as conn:
            waiting = int(conn.execute(query).scalar_one())
        if waiting >= wanted:
            break
        time.sleep(0.1)
    return waiting


def _start_all(processes: list[Any]) -> None:
    """Start processes side by side (each start waits until that process answers)."""
    with ThreadPoolExecutor(max_workers=len(processes)) as pool:
        for future in [pool.submit(p.start) for p in processes]:
            future.result()


def _stop_all(processes: list[Any]) -> None:
    """Stop processes side by side (each stop waits for its process's graceful shutdown)."""
    with ThreadPoolExecutor(max_workers=len(processes)) as pool:
        list(pool.map(lambda process: process.stop(), processes))


@contextmanager
def split(
    base_dir: Path, postgres_admin_url: str, env: Mapping[str, str] | None = None
) -> Iterator[SplitTopology]:
    """One role per process on PostgreSQL, S3 and SQS, as a cloud deployment runs it."""
    data_dir = base_dir / "var"
    data_dir.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        database_url = stack.enter_context(fresh_database(postgres_admin_url, "vf_topology"))
        aws = stack.enter_context(MotoServer())
        bucket = unique_name("videoforge")
        aws.client("s3").create_bucket(Bucket=bucket)
        queue_url, dlq_url = create_queues(aws.client("sqs"), unique_name("jobs"), max_receives=3)
        # The original's setting names, where it had them.
        shared = {
            **FAST_ENV,
            **(env or {}),
            "VIDEOFORGE_DATA_DIR": str(data_dir),
            "VIDEOFORGE_DATABASE_URL": database_url,
            "VIDEOFORGE_STORE": "s3",
            "S3_BUCKET_NAME": bucket,
            "S3_ENDPOINT_URL": aws.endpoint_url,
            "VIDEOFORGE_QUEUE": "sqs",
            "SQS_QUEUE_URL": queue_url,
            "SQS_DLQ_URL": dlq_url,
            "SQS_ENDPOINT_URL": aws.endpoint_url,
            "AWS_REGION": aws.region,
            **{name.upper(): value for name, value in CREDENTIALS.items()},
        }
        upgrades = upgrade_concurrently(shared, 3, database_url)
        roles = {role: ServerProcess(data_dir, shared, "--roles", role) for role in SPLIT_ROLES}
        # The gateway only needs to know where the others will listen, not that they are up.
        peers = {f"{role.upper()}_SERVICE_URL": roles[role].url for role in SPLIT_ROLES}
        gateway = ServerProcess(data_dir, {**shared, **peers}, "--roles", "gateway")
        # Each worker on a disk of its own, as on separate machines: only the store is shared.
        workers = [
            WorkerProcess(
                _python_env({**shared, "VIDEOFORGE_DATA_DIR": str(base_dir / f"worker-{n}")}),
                base_dir / f"worker-{n}.log",
            )
            for n in (1, 2)
        ]
        processes: list[ServerProcess | WorkerProcess] = [*roles.values(), gateway, *workers]
        stack.callback(_stop_all, processes)
        _start_all(processes)
        yield SplitTopology(
            name="split",
            url=gateway.url,
            env={**shared, **peers},
            store=S3Store(
                bucket,
                region=aws.region,
                client=s3_client(aws.region, aws.endpoint_url, **CREDENTIALS),
            ),
            database_url=database_url,
            servers={"gateway": gateway, **roles},
            workers=workers,
            media_redirects_to=aws.endpoint_url,
            aws=aws,
            queue_url=queue_url,
            dlq_url=dlq_url,
            upgrades=upgrades,
        )

"""The job queue on the database (the `queue_messages` table), with SQS's semantics.

A message is *visible* when `visible_at <= now`. Receiving claims it in one atomic statement:
a fresh receipt, `receive_count + 1`, and `visible_at` pushed out by the visibility timeout
(the lease). Every later call names the message by that receipt, so a holder whose lease ran
out and was taken over by someone else finds its receipt stale and changes nothing.

Claiming is safe across threads and processes: PostgreSQL locks the candidate rows with
`FOR UPDATE SKIP LOCKED` (concurrent receivers skip each other's rows rather than wait);
SQLite runs the claim as a single `UPDATE ... RETURNING` statement, which holds the database's
one write lock from start to end. Each statement runs in its own short transaction: on SQLite
(WAL) a transaction that read before it wrote could not take the write lock if another
writer got in between.

Times are timezone-aware UTC, computed here in Python; SQLite stores them without the zone,
which compares correctly because every stored time is UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from typing import cast as typed

from sqlalchemy import ColumnElement, Table, Text, cast, delete, func, insert, select, update
from sqlalchemy.engine import Engine

from videoforge.db import QueueMessage, new_id
from videoforge.queue.base import DeadLetter, Message

_messages = typed(Table, QueueMessage.__table__)


def _now() -> datetime:
    return datetime.now(UTC)


class SqlQueue:
    """A `JobQueue` on the database; its dead letters live in the queue `{name}-dlq`."""

    def __init__(self, engine: Engine, *, name: str, max_receives: int) -> None:
        if max_receives < 1:
            raise ValueError("max_receives must be at least 1")
        self.engine = engine
        self.name = name
        self.dead_letter_name = f"{name}-dlq"
        self.max_receives = max_receives

    def send(self, body: dict[str, Any], delay_seconds: float = 0) -> str:
        message_id = new_id()
        with self.engine.begin() as conn:
            conn.execute(
                insert(_messages).values(
                    id=message_id,
                    queue=self.name,
                    body=body,
                    visible_at=_now() + timedelta(seconds=max(delay_seconds, 0)),
                    receive_count=0,
                    created_at=_now(),
                )
            )
        return message_id

    def receive(self, visibility_timeout: float, max_messages: int = 1) -> list[Message]:
        self._dead_letter_exhausted()
        now = _now()
        candidates = (
            select(_messages.c.id)
            .where(
                _messages.c.queue == self.name,
                _messages.c.visible_at <= now,
                _messages.c.receive_count < self.max_receives,
            )
            .order_by(_messages.c.visible_at)
            .limit(max_messages)
        )
        if self.engine.dialect.name == "postgresql":
            candidates = candidates.with_for_update(skip_locked=True)
        claim = (
            update(_messages)
            .where(_messages.c.id.in_(candidates.scalar_subquery()))
            .values(
                receipt=self._fresh_receipt(),
                receive_count=_messages.c.receive_count + 1,
                visible_at=now + timedelta(seconds=visibility_timeout),
            )
            .returning(
                _messages.c.id, _messages.c.receipt, _messages.c.body, _messages.c.receive_count
            )
        )
        with self.engine.begin() as conn:
            rows = conn.execute(claim).all()
        return [
            Message(id=row.id, receipt=row.receipt, body=row.body, receive_count=row.receive_count)
            for row in rows
        ]

    def extend(self, receipt: str, visibility_timeout: float) -> bool:
        return self._update_leased(
            receipt, {"visible_at": _now() + timedelta(seconds=visibility_timeout)}
        )

    def release(self, receipt: str, delay_seconds: float, error: str | None = None) -> None:
        values: dict[str, Any] = {
            "receipt": None,
            "visible_at": _now() + timedelta(seconds=max(delay_seconds, 0)),
        }
        if error is not None:
            values["last_error"] = error
        self._update_leased(receipt, values)

    def delete(self, receipt: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(_messages).where(*self._leased_by(receipt)))

    def dead_letter(self, receipt: str, error: str) -> None:
        moved = {
            "queue": self.dead_letter_name,
            "receipt": None,
            "last_error": error,
            "visible_at": _now(),
        }
        self._update_leased(receipt, moved)

    def depth(self) -> dict[str, int]:
        now = _now()
        waiting = _messages.c.visible_at <= now
        exhausted = _messages.c.receive_count >= self.max_receives
        leased = _messages.c.receipt.is_not(None)
        in_main = _messages.c.queue == self.name
        counts = select(
            func.count().filter(in_main, waiting, ~exhausted),
            func.count().filter(in_main, ~waiting, leased),
            func.count().filter(in_main, ~waiting, ~leased),
            # Exhausted messages move to the dead-letter queue on the next receive.
            func.count().filter(
                (_messages.c.queue == self.dead_letter_name) | (in_main & waiting & exhausted)
            ),
        ).where(_messages.c.queue.in_([self.name, self.dead_letter_name]))
        with self.engine.connect() as conn:
            visible, in_flight, delayed, dead = conn.execute(counts).one()
        return {"visible": visible, "in_flight": in_flight, "delayed": delayed, "dead": dead}

    def list_dead(self, limit: int = 100) -> list[DeadLetter]:
        self._dead_letter_exhausted()
        query = (
            select(_messages)
            .where(_messages.c.queue == self.dead_letter_name)
            .order_by(_messages.c.created_at)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [
            DeadLetter(
                id=row.id,
                body=row.body,
                receive_count=row.receive_count,
                last_error=row.last_error,
                created_at=row.created_at,
            )
            for row in rows
        ]

    def redrive(self, ids: list[str] | None = None) -> int:
        self._dead_letter_exhausted()
        query = update(_messages).where(_messages.c.queue == self.dead_letter_name)
        if ids is not None:
            query = query.where(_messages.c.id.in_(ids))
        query = query.values(queue=self.name, receipt=None, receive_count=0, visible_at=_now())
        with self.engine.begin() as conn:
            return conn.execute(query).rowcount

    def _dead_letter_exhausted(self) -> None:
        """Like SQS's redrive policy: a message received max_receives times whose lease has
        run out goes to the dead-letter queue (keeping its last error) instead of being
        delivered again."""
        query = (
            update(_messages)
            .where(
                _messages.c.queue == self.name,
                _messages.c.visible_at <= _now(),
                _messages.c.receive_count >= self.max_receives,
            )
            .values(queue=self.dead_letter_name, receipt=None)
        )
        with self.engine.begin() as conn:
            conn.execute(query)

    def _leased_by(self, receipt: str) -> list[ColumnElement[bool]]:
        return [_messages.c.queue == self.name, _messages.c.receipt == receipt]

    def _update_leased(self, receipt: str, values: dict[str, Any]) -> bool:
        """Change the message this receipt leases; False when the receipt is stale."""
        query = update(_messages).where(*self._leased_by(receipt)).values(values)
        with self.engine.begin() as conn:
            result = conn.execute(query)
        return result.rowcount == 1

    def _fresh_receipt(self) -> ColumnElement[str]:
        """A new random receipt per claimed row (32 hex characters), made by the database so
        that one statement can claim several messages."""
        if self.engine.dialect.name == "postgresql":
            seed = cast(func.random(), Text) + cast(func.clock_timestamp(), Text) + _messages.c.id
            return func.md5(seed)
        return func.lower(func.hex(func.randomblob(16)))

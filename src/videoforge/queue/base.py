"""The queue protocol every backend implements: the database (sql.py) and SQS (sqs.py).

Semantics follow SQS: `receive` hides a message for a visibility timeout (a lease) and returns a
receipt; the holder `extend`s the lease while it works and `delete`s the message when done. A
message whose lease runs out is delivered again. A message received more than `max_receives`
times moves to the dead-letter queue instead of being delivered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True)
class Message:
    id: str
    receipt: str
    body: dict[str, Any]
    receive_count: int


@dataclass(frozen=True)
class DeadLetter:
    id: str
    body: dict[str, Any]
    receive_count: int
    last_error: str | None
    created_at: datetime


class JobQueue(Protocol):
    def send(self, body: dict[str, Any], delay_seconds: float = 0) -> str:
        """Enqueue; return the message id."""
        ...

    def receive(self, visibility_timeout: float, max_messages: int = 1) -> list[Message]: ...

    def extend(self, receipt: str, visibility_timeout: float) -> bool:
        """Push the lease out; False when the receipt is no longer valid (lease lost)."""
        ...

    def release(self, receipt: str, delay_seconds: float, error: str | None = None) -> None:
        """Give the message back, visible again after delay (retry with backoff)."""
        ...

    def delete(self, receipt: str) -> None: ...

    def dead_letter(self, receipt: str, error: str) -> None:
        """Move the message to the dead-letter queue now (no further retries)."""
        ...

    def depth(self) -> dict[str, int]:
        """{'visible': n, 'in_flight': n, 'delayed': n, 'dead': n}."""
        ...

    def list_dead(self, limit: int = 100) -> list[DeadLetter]: ...

    def redrive(self, ids: list[str] | None = None) -> int:
        """Move dead letters (all, or these ids) back to the main queue; return how many."""
        ...

"""Limits on guessing: failed sign-ins and code checks per account and per client address.

Failures are rows in the database, so every process of a split deployment counts the same ones.
A key is refused once it has `max_attempts` failures inside the window; the answer is 429 with
Retry-After saying when the oldest failure leaves the window. Keys for accounts are made from
what the client typed, so an account that does not exist is limited exactly like one that does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from videoforge.config import Settings
from videoforge.db import AuthAttempt, utcnow
from videoforge.errors import TooManyRequests

TOO_MANY = "Too many attempts; wait a few minutes and try again."


@dataclass(frozen=True)
class Throttle:
    max_attempts: int
    window_seconds: int

    @classmethod
    def from_settings(cls, settings: Settings) -> Throttle:
        return cls(settings.auth_max_attempts, settings.auth_attempt_window_seconds)

    def check(self, db: Session, *keys: str) -> None:
        """Raise TooManyRequests if any key has used up its attempts."""
        since = utcnow() - timedelta(seconds=self.window_seconds)
        for key in keys:
            count, oldest = db.execute(
                select(func.count(), func.min(AuthAttempt.created_at)).where(
                    AuthAttempt.key == key, AuthAttempt.created_at > since
                )
            ).one()
            if count >= self.max_attempts:
                free_at = _aware(oldest) + timedelta(seconds=self.window_seconds)
                wait = max(1, math.ceil((free_at - utcnow()).total_seconds()))
                raise TooManyRequests(TOO_MANY, code="too_many_attempts", retry_after=wait)

    def fail(self, db: Session, *keys: str) -> None:
        """Count one failure against each key (and forget failures older than the window)."""
        since = utcnow() - timedelta(seconds=self.window_seconds)
        stale = AuthAttempt.key.in_(keys) & (AuthAttempt.created_at <= since)
        db.execute(delete(AuthAttempt).where(stale))
        db.add_all(AuthAttempt(key=key) for key in keys)
        db.commit()

    def clear(self, db: Session, key: str) -> None:
        db.execute(delete(AuthAttempt).where(AuthAttempt.key == key))
        db.commit()


def account_key(name: str) -> str:
    return f"account:{name.strip().lower()[:280]}"


def address_key(address: str | None) -> str:
    return f"address:{address or 'unknown'}"


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

"""Limits on guessing: failed sign-ins, code checks and mailed messages, counted so that
nobody can lock someone else out.

With N = VIDEOFORGE_AUTH_MAX_ATTEMPTS (10) and a window of VIDEOFORGE_AUTH_ATTEMPT_WINDOW_SECONDS
(15 minutes), in each scope (sign-in, second factor, mailed codes, mail sent):

- one address may fail N times on one account; then it is refused (429) for that account, even
  with the right password, until its oldest failure leaves the window;
- one account takes at most ACCOUNT_FACTOR (3) * N failures from all addresses together; past that,
  only addresses that signed in to it within KNOWN_FOR may still try (so its owner, at home,
  is never locked out by guesses from elsewhere);
- one address takes at most ADDRESS_FACTOR (5) * N failures across all accounts (spraying one
  password over many accounts).

An account is counted as one whatever name was typed: sign-in resolves a username or an email
to the account; codes and mail are keyed by the email, which one account alone has. A name no
account has is counted by itself, exactly like an account, so 429 tells nothing.

Failures are rows in the database, so every process of a split deployment counts the same ones.
Keys are hashed: they fit the column whatever was typed, and store no email address.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from videoforge.config import Settings
from videoforge.db import AuthAttempt, utcnow
from videoforge.errors import TooManyRequests

TOO_MANY = "Too many attempts; wait a few minutes and try again."
ACCOUNT_FACTOR = 3
ADDRESS_FACTOR = 5
KNOWN_FOR = timedelta(days=30)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "replace")).hexdigest()[:40]


@dataclass(frozen=True)
class Attempt:
    """One try at an account from an address, in a scope ("login", "mfa", "code", "mail")."""

    scope: str
    account: str  # "user:<id>" for an account, or the name typed when none has it
    address: str | None
    user_id: str | None = None  # the account's user, when there is one

    @property
    def pair_key(self) -> str:
        return f"{self.scope}:pair:{_digest(self.account, self._address)}"

    @property
    def account_key(self) -> str:
        return f"{self.scope}:account:{_digest(self.account)}"

    @property
    def address_key(self) -> str:
        return f"{self.scope}:address:{_digest(self._address)}"

    @property
    def known_key(self) -> str | None:
        """Marks an address this user signed in from (any scope)."""
        return None if self.user_id is None else f"known:{_digest(self.user_id, self._address)}"

    @property
    def _address(self) -> str:
        return self.address or "unknown"


def account_name(typed: str) -> str:
    """How a name no account has is counted: as typed, in any case, without spaces around."""
    return f"name:{typed.strip().lower()}"


@dataclass(frozen=True)
class Throttle:
    max_attempts: int
    window_seconds: int

    @classmethod
    def from_settings(cls, settings: Settings) -> Throttle:
        return cls(settings.auth_max_attempts, settings.auth_attempt_window_seconds)

    def check(self, db: Session, attempt: Attempt) -> None:
        """Raise TooManyRequests if this attempt is over one of its limits."""
        limits = [
            (attempt.pair_key, self.max_attempts),
            (attempt.address_key, ADDRESS_FACTOR * self.max_attempts),
        ]
        if not self._known(db, attempt):
            limits.append((attempt.account_key, ACCOUNT_FACTOR * self.max_attempts))
        since = utcnow() - timedelta(seconds=self.window_seconds)
        for key, limit in limits:
            count, oldest = db.execute(
                select(func.count(), func.min(AuthAttempt.created_at)).where(
                    AuthAttempt.key == key, AuthAttempt.created_at > since
                )
            ).one()
            if count >= limit:
                free_at = oldest + timedelta(seconds=self.window_seconds)
                wait = max(1, math.ceil((free_at - utcnow()).total_seconds()))
                raise TooManyRequests(TOO_MANY, code="too_many_attempts", retry_after=wait)

    def fail(self, db: Session, attempt: Attempt) -> None:
        """Count one failure (and forget this attempt's failures older than the window)."""
        keys = [attempt.pair_key, attempt.account_key, attempt.address_key]
        since = utcnow() - timedelta(seconds=self.window_seconds)
        db.execute(
            delete(AuthAttempt).where(AuthAttempt.key.in_(keys), AuthAttempt.created_at <= since)
        )
        db.add_all(AuthAttempt(key=key) for key in keys)
        db.commit()

    def succeed(self, db: Session, attempt: Attempt, *, remember: bool = True) -> None:
        """The right secret: this address's failures on the account are forgiven and, with
        `remember` (the sign-in is complete, second factor included), the address is kept as
        the owner's: exempt from the account-wide ceiling for KNOWN_FOR."""
        db.execute(delete(AuthAttempt).where(AuthAttempt.key == attempt.pair_key))
        if remember and (known := attempt.known_key) is not None:
            db.execute(delete(AuthAttempt).where(AuthAttempt.key == known))
            db.add(AuthAttempt(key=known))
        db.commit()

    def _known(self, db: Session, attempt: Attempt) -> bool:
        if attempt.known_key is None:
            return False
        found = db.scalar(
            select(AuthAttempt.id).where(
                AuthAttempt.key == attempt.known_key,
                AuthAttempt.created_at > utcnow() - KNOWN_FOR,
            )
        )
        return found is not None

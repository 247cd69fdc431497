"""Password hashing with argon2id (argon2-cffi's defaults: RFC 9106's low-memory profile).

argon2 compares digests in constant time. When there is no account to check against, a dummy hash
made with the same parameters is verified instead, so how long a sign-in takes does not tell
whether the account exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


@dataclass(frozen=True)
class PasswordCheck:
    ok: bool
    # A fresh hash to store when the stored one was made with older parameters, else None.
    new_hash: str | None = None


def hash_password(password: str, hasher: PasswordHasher | None = None) -> str:
    return (hasher or PasswordHasher()).hash(password)


def check_password(
    stored_hash: str | None, password: str, hasher: PasswordHasher | None = None
) -> PasswordCheck:
    """Whether `password` matches; with no stored hash, take as long and say no."""
    hasher = hasher or PasswordHasher()
    if stored_hash is None:
        _verify(hasher, _dummy_hash(*_parameters(hasher)), password)
        return PasswordCheck(ok=False)
    if not _verify(hasher, stored_hash, password):
        return PasswordCheck(ok=False)
    if hasher.check_needs_rehash(stored_hash):
        return PasswordCheck(ok=True, new_hash=hasher.hash(password))
    return PasswordCheck(ok=True)


def _verify(hasher: PasswordHasher, stored_hash: str, password: str) -> bool:
    try:
        return hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _parameters(hasher: PasswordHasher) -> tuple[int, int, int, int, int]:
    return (
        hasher.time_cost,
        hasher.memory_cost,
        hasher.parallelism,
        hasher.hash_len,
        hasher.salt_len,
    )


@lru_cache(maxsize=4)
def _dummy_hash(
    time_cost: int, memory_cost: int, parallelism: int, hash_len: int, salt_len: int
) -> str:
    hasher = PasswordHasher(time_cost, memory_cost, parallelism, hash_len, salt_len)
    return hasher.hash("no account has this password")

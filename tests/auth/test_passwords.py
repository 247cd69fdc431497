"""argon2id hashing: verify, refuse, survive junk, and upgrade old parameters."""

from __future__ import annotations

from argon2 import PasswordHasher

from videoforge.auth.passwords import check_password, hash_password

CHEAP = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)


def test_hash_is_argon2id_and_salted() -> None:
    first, second = hash_password("correct horse 42"), hash_password("correct horse 42")
    assert first.startswith("$argon2id$")
    assert first != second


def test_right_password_passes_and_wrong_one_fails() -> None:
    stored = hash_password("correct horse 42", CHEAP)
    assert check_password(stored, "correct horse 42", CHEAP).ok
    assert not check_password(stored, "correct horse 43", CHEAP).ok
    assert check_password(stored, "correct horse 42", CHEAP).new_hash is None


def test_no_account_and_broken_hash_just_fail() -> None:
    assert not check_password(None, "anything at all", CHEAP).ok
    assert not check_password("not-a-hash", "anything at all", CHEAP).ok


def test_hash_made_with_old_parameters_is_replaced() -> None:
    old = hash_password("correct horse 42", CHEAP)
    check = check_password(old, "correct horse 42")  # today's default parameters
    assert check.ok
    assert check.new_hash is not None and check.new_hash != old
    assert check_password(check.new_hash, "correct horse 42").new_hash is None
    assert check_password(old, "wrong password!").new_hash is None

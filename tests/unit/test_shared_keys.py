"""Processes that share no disk agree on tokens and media links through their settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from videoforge.config import SettingsError, load_settings
from videoforge.db import User
from videoforge.security.tokens import TokenIssuer


def pem() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def test_separate_data_dirs_share_keys_through_settings(tmp_path: Path) -> None:
    shared = {"signing_key_pem": pem(), "jwt_secret": "s3cret-shared-by-all"}
    auth = TokenIssuer.from_settings(load_settings(data_dir=tmp_path / "auth", **shared))
    gallery = TokenIssuer.from_settings(load_settings(data_dir=tmp_path / "gallery", **shared))
    token = auth.issue_access(User(id="u1", username="ann", role="user"))
    assert gallery.verify_access(token)["sub"] == "u1"
    assert auth.media_secret == gallery.media_secret


def test_without_shared_key_tokens_do_not_cross(tmp_path: Path) -> None:
    one = TokenIssuer.from_settings(load_settings(data_dir=tmp_path / "one"))
    other = TokenIssuer.from_settings(load_settings(data_dir=tmp_path / "other"))
    token = one.issue_access(User(id="u1", username="ann", role="user"))
    with pytest.raises(Exception, match="not valid"):
        other.verify_access(token)


def test_escaped_newlines_from_env_files_are_accepted(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path, signing_key_pem=pem().replace("\n", "\\n"))
    assert settings.signing_key_pem and "\n" in settings.signing_key_pem


def test_a_bad_key_is_reported_with_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(data_dir=tmp_path, signing_key_pem="not a key")
    assert "VIDEOFORGE_SIGNING_KEY_PEM" in caught.value.problems[0]
    assert "openssl genpkey" in caught.value.problems[0]

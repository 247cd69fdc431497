"""`videoforge users ...` and `videoforge keys rotate` on a data directory of their own."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from videoforge.auth.passwords import check_password
from videoforge.cli import app
from videoforge.config import load_settings
from videoforge.context import build_context
from videoforge.db import User
from videoforge.security.tokens import TokenIssuer

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("VIDEOFORGE_DATA_DIR", str(tmp_path / "var"))
    return tmp_path / "var"


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_users_create_list_set_role_disable(data_dir: Path) -> None:
    run("users", "create", "ann", "ann@example.com", "--password", "correct horse 42")
    listed = run("users", "list")
    assert "ann" in listed and "active" in listed and "unconfirmed" not in listed
    assert "ann is now admin" in run("users", "set-role", "ann", "admin")
    assert "ann is disabled" in run("users", "disable", "ANN@example.com")
    assert "disabled" in run("users", "list")
    assert "ann is enabled" in run("users", "disable", "ann", "--enable")

    missing = runner.invoke(app, ["users", "disable", "nobody"])
    assert missing.exit_code == 1 and "No account is called nobody" in missing.output
    wrong = runner.invoke(app, ["users", "set-role", "ann", "owner"])
    assert wrong.exit_code == 1 and "Role must be one of" in wrong.output


def test_key_rotation_signs_nobody_out(data_dir: Path) -> None:
    settings = load_settings(data_dir=data_dir)
    before = TokenIssuer.from_settings(settings)
    ann = User(id="a" * 32, username="ann", role="user")
    old_token = before.issue_access(ann)

    assert "New signing key" in run("keys", "rotate")

    after = TokenIssuer.from_settings(settings)
    assert after.signing_key.kid != before.signing_key.kid
    assert after.verify_access(old_token)["sub"] == ann.id
    # The process that was running before the rotation accepts the new key's tokens too.
    assert before.verify_access(after.issue_access(ann))["sub"] == ann.id


def test_users_create_without_a_terminal_makes_a_password_and_prints_it_once(
    data_dir: Path,
) -> None:
    # CliRunner's stdin is no terminal: no prompt to hang on.
    output = run("users", "create", "bea", "bea@example.com", "--admin")
    assert "Created admin bea" in output
    password = output.split("Account page): ", 1)[1].split()[0]
    assert len(password) >= 20

    ctx = build_context(load_settings(data_dir=data_dir))
    with ctx.sessions() as db:
        user = db.scalars(select(User).where(User.username == "bea")).one()
        assert check_password(user.password_hash, password).ok
    ctx.close()

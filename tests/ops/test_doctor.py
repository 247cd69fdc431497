"""`videoforge doctor` as an operator runs it: a subprocess, exit codes, words, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.oidc_provider import QUIET_AUTHLIB, running_provider
from videoforge.config import load_settings
from videoforge.doctor import diagnose
from videoforge.testing.server import free_port

UNREACHABLE_DB = "postgresql+psycopg://videoforge:secret@127.0.0.1:9/videoforge"


def run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("VIDEOFORGE_")}
    return subprocess.run(
        [sys.executable, "-m", "videoforge", *args],
        env={**clean, "VIDEOFORGE_DATA_DIR": str(tmp_path / "var"), "COLUMNS": "200", **env},
        cwd=tmp_path,  # away from any .env
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_healthy_local_setup(tmp_path: Path) -> None:
    assert run(["db", "upgrade"], tmp_path).returncode == 0
    result = run(["doctor"], tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Everything VideoForge needs answers." in output
    for check in ("database", "schema", "object store", "queue", "ffmpeg"):
        assert check in output
    assert "Traceback" not in output


def test_unreachable_database(tmp_path: Path) -> None:
    result = run(["doctor"], tmp_path, VIDEOFORGE_DATABASE_URL=UNREACHABLE_DB)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "VIDEOFORGE_DATABASE_URL" in output
    assert "Fix:" in output
    assert "secret" not in output  # the password is never printed
    assert "Traceback" not in output


def test_gateway_names_each_missing_peer(tmp_path: Path) -> None:
    result = run(
        ["doctor"],
        tmp_path,
        VIDEOFORGE_ROLES="gateway",
        GALLERY_SERVICE_URL="http://127.0.0.1:9",
    )
    output = result.stdout + result.stderr
    assert result.returncode == 2, output  # settings problems: nothing else can be tried
    assert "STREAMING_SERVICE_URL" in output and "AUTH_SERVICE_URL" in output
    assert "Traceback" not in output


def test_schema_behind_says_to_upgrade(tmp_path: Path) -> None:
    findings = {f.check: f for f in diagnose(load_settings(data_dir=tmp_path / "var"))}
    assert findings["database"].ok
    assert not findings["schema"].ok
    assert "revision none" in findings["schema"].detail
    assert "videoforge db upgrade" in str(findings["schema"].fix)
    assert not findings["queue"].ok  # its table does not exist yet


def test_unreachable_peer_is_a_problem(tmp_path: Path) -> None:
    settings = load_settings(
        data_dir=tmp_path / "var",
        roles=["gateway", "auth", "streaming"],
        gallery_service_url="http://127.0.0.1:9",
    )
    (peer,) = [f for f in diagnose(settings) if f.check == "gallery role"]
    assert not peer.ok
    assert "GALLERY_SERVICE_URL" in str(peer.fix)


@QUIET_AUTHLIB
def test_the_identity_provider_is_tried(tmp_path: Path) -> None:
    with running_provider() as provider:
        settings = load_settings(
            data_dir=tmp_path / "var", oidc_issuer=provider.url, oidc_client_id="web"
        )
        found = {f.check: f for f in diagnose(settings) if f.check.startswith("identity")}
    assert found["identity provider keys"].ok, found
    assert found["identity provider keys"].detail == f"1 signing key(s) at {provider.url}/jwks"
    assert (
        found["identity provider sign-in"].detail == f"sign-in at {provider.url}/oauth2/authorize"
    )

    gone = load_settings(
        data_dir=tmp_path / "var", oidc_issuer=f"http://127.0.0.1:{free_port()}", oidc_client_id="w"
    )
    failed = {f.check: f for f in diagnose(gone) if f.check.startswith("identity")}
    assert not failed["identity provider keys"].ok
    assert not failed["identity provider sign-in"].ok
    assert "could not be reached" in failed["identity provider sign-in"].detail
    assert "VIDEOFORGE_OIDC_ISSUER" in str(failed["identity provider keys"].fix)

"""compose.yaml and the Dockerfile, checked as far as possible without a container engine:
every setting compose passes is one VideoForge knows, every service's settings load, and the
image is built the way the README promises."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from pydantic import AliasChoices

from videoforge.cli import app as cli_app
from videoforge.config import Settings, load_settings
from videoforge.role_specs import ROLE_NAMES, ROLE_SPECS

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
IMAGE = "videoforge:local"
VIDEOFORGE = {name: s for name, s in SERVICES.items() if s.get("image") == IMAGE}
# Read by boto3 (for the S3 store), not by VideoForge's settings.
AWS_CREDENTIALS = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}


def setting_names() -> set[str]:
    """Every environment name Settings reads: VIDEOFORGE_<FIELD>, or the aliases it accepts."""
    names = set()
    for field, info in Settings.model_fields.items():
        alias = info.validation_alias
        if isinstance(alias, AliasChoices):
            names.update(str(choice).upper() for choice in alias.choices)
        else:
            names.add(f"VIDEOFORGE_{field.upper()}")
    return names


def cli_commands() -> set[str]:
    commands = {c.name or c.callback.__name__ for c in cli_app.registered_commands if c.callback}
    groups = {g.name for g in cli_app.registered_groups if g.name}
    return commands | groups


def test_services_are_all_there() -> None:
    assert {"gateway", "auth", "gallery", "streaming", "worker-1", "worker-2"} <= set(VIDEOFORGE)
    assert {"postgres", "minio", "bucket", "migrate"} <= set(SERVICES)
    assert SERVICES["minio"]["image"].startswith("minio/minio:")
    assert SERVICES["bucket"]["image"].startswith("minio/mc:")


@pytest.mark.parametrize("name", sorted(VIDEOFORGE))
def test_every_variable_is_a_setting(name: str) -> None:
    known = setting_names() | AWS_CREDENTIALS
    unknown = set(VIDEOFORGE[name]["environment"]) - known
    assert not unknown, f"{name} passes variables VideoForge does not read: {unknown}"


@pytest.mark.parametrize("name", sorted(VIDEOFORGE))
def test_one_image_and_known_commands(name: str) -> None:
    service = VIDEOFORGE[name]
    assert service["build"] == "."
    command = service.get("command", ["serve"])  # the image's CMD serves
    assert command[0] in cli_commands()
    roles = service["environment"].get("VIDEOFORGE_ROLES")
    if command[0] in ("serve", "worker"):
        assert roles, f"{name} must say which role it runs"
    if roles:
        assert set(roles.split(",")) <= set(ROLE_NAMES)
    if command[0] == "worker":
        assert service["healthcheck"] == {"disable": True}  # no HTTP to check


def test_every_role_runs_somewhere() -> None:
    running = {
        role
        for service in VIDEOFORGE.values()
        for role in service["environment"].get("VIDEOFORGE_ROLES", "").split(",")
    }
    assert set(ROLE_NAMES) <= running
    workers = [s for s in VIDEOFORGE.values() if s.get("command") == ["worker"]]
    assert len(workers) == 2


def test_gateway_points_at_the_services_running_each_role() -> None:
    env = SERVICES["gateway"]["environment"]
    for role in ROLE_SPECS["gateway"].needs:
        field = ROLE_SPECS[role].peer_url_setting
        assert field is not None
        host = urlsplit(env[field.upper()]).hostname
        assert host in VIDEOFORGE, f"{field.upper()} points at {host}, not a compose service"
        assert VIDEOFORGE[host]["environment"]["VIDEOFORGE_ROLES"] == role


@pytest.mark.parametrize("name", sorted(VIDEOFORGE))
def test_settings_load_from_the_service_environment(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The only thing that cannot be right here is the container's /data; everything else is."""
    for variable in setting_names() | AWS_CREDENTIALS:
        monkeypatch.delenv(variable, raising=False)
    for variable, value in VIDEOFORGE[name]["environment"].items():
        monkeypatch.setenv(variable, str(value))
    monkeypatch.setenv("VIDEOFORGE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)  # no stray .env

    settings = load_settings()  # raises SettingsError listing any problem
    assert settings.resolved_database_url.startswith(
        "postgresql+psycopg://videoforge:videoforge@postgres:5432/videoforge"
    )
    assert (settings.store, settings.s3_bucket_name) == ("s3", "videoforge")
    assert settings.queue == "database"
    assert settings.jwt_secret and settings.log_json


def test_the_bucket_compose_creates_is_the_one_videoforge_uses() -> None:
    assert "local/videoforge" in " ".join(SERVICES["bucket"]["command"])
    minio = SERVICES["minio"]["environment"]
    env = SERVICES["gallery"]["environment"]
    assert env["AWS_ACCESS_KEY_ID"] == minio["MINIO_ROOT_USER"]
    assert env["AWS_SECRET_ACCESS_KEY"] == minio["MINIO_ROOT_PASSWORD"]
    assert env["DB_PASSWORD"] == SERVICES["postgres"]["environment"]["POSTGRES_PASSWORD"]


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = (ROOT / "Dockerfile").read_text()
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n\s*", " ", "\n".join(lines))
    return [
        (parts[0].upper(), parts[1] if len(parts) > 1 else "")
        for parts in (line.strip().split(None, 1) for line in joined.splitlines() if line.strip())
    ]


def test_dockerfile() -> None:
    steps = dockerfile_instructions()
    args = {name: [a for n, a in steps if n == name] for name, _ in steps}
    # Two stages on the same base: uv builds the virtual environment, the image keeps only that.
    assert args["FROM"] == ["python:3.11-slim AS build", "python:3.11-slim"]
    assert any(a.startswith("pip install") and "uv" in a for a in args["RUN"])
    assert any("uv sync --locked --no-dev" in a for a in args["RUN"])
    final = steps[max(i for i, (n, _) in enumerate(steps) if n == "FROM") :]
    assert ("COPY", "--from=build /app/.venv /app/.venv") in final
    assert not any("uv" in a.split() for n, a in final if n == "RUN")  # no uv in the image
    user = args["USER"][-1]
    assert user not in ("root", "0")
    # The user comes last: nothing after it runs as root.
    assert [n for n, _ in steps].index("USER") > max(
        i for i, (n, _) in enumerate(steps) if n == "RUN"
    )
    assert json.loads(args["ENTRYPOINT"][0]) == ["videoforge"]
    assert json.loads(args["CMD"][0]) == ["serve", "--host", "0.0.0.0"]


def test_healthcheck_is_a_python_one_liner_on_api_health() -> None:
    (healthcheck,) = [a for n, a in dockerfile_instructions() if n == "HEALTHCHECK"]
    options, _, command = healthcheck.partition("CMD")
    assert "--interval" in options
    argv = json.loads(command)
    assert argv[:2] == ["python", "-c"]
    assert "/api/health" in argv[2]
    compile(argv[2], "HEALTHCHECK", "exec")  # valid Python


def test_dockerignore_lets_in_only_what_the_image_copies() -> None:
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    copied = [
        source
        for name, arguments in dockerfile_instructions()
        if name == "COPY" and not arguments.startswith("--from=")
        for source in shlex.split(arguments)[:-1]
    ]
    for source in copied:
        assert (ROOT / source).exists()
    # Everything is ignored, then exactly the copied sources come back; bytecode stays out.
    assert patterns[0] == "*"
    allowed = [p.removeprefix("!") for p in patterns if p.startswith("!")]
    assert sorted(allowed) == sorted(copied)
    assert "**/__pycache__" in patterns[patterns.index(f"!{allowed[-1]}") :]

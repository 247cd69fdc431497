"""`videoforge doctor` given the original's broken task definitions names every missing value,
in words an operator can act on, and fails without a traceback (the original exited 1 with
nothing readable in its logs)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# What the original's gateway task definition gave: a role, backends, half a database.
BROKEN_TASK_ENV = {
    "VIDEOFORGE_ROLES": "gateway",
    "VIDEOFORGE_STORE": "s3",
    "VIDEOFORGE_QUEUE": "sqs",
    "DB_HOST": "videoforge.cluster-abc.eu-west-1.rds.amazonaws.com",
    "DB_PORT": "5432",
}
MISSING = [
    "DB_NAME",
    "DB_USER",
    "DB_PASSWORD",
    "S3_BUCKET_NAME",
    "SQS_QUEUE_URL",
    "SQS_DLQ_URL",
    "GALLERY_SERVICE_URL",
    "STREAMING_SERVICE_URL",
    "AUTH_SERVICE_URL",
]
# Names that would make the run depend on the machine's own environment.
_SETTING_PREFIXES = ("VIDEOFORGE_", "DB_", "S3_", "SQS_", "AWS_", "JWT_", "COGNITO_")
_ALIASES = {"GALLERY_SERVICE_URL", "STREAMING_SERVICE_URL", "AUTH_SERVICE_URL", "FFMPEG_PATH"}


@pytest.mark.slow
def test_doctor_names_each_missing_setting(tmp_path: Path) -> None:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(_SETTING_PREFIXES) and k not in _ALIASES
    }
    env = {**clean, **BROKEN_TASK_ENV, "VIDEOFORGE_DATA_DIR": str(tmp_path / "var")}

    result = subprocess.run(
        [sys.executable, "-m", "videoforge", "doctor"],
        env=env,
        cwd=tmp_path,  # no stray .env file is read
        capture_output=True,
        text=True,
        timeout=60,
    )

    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output
    for name in MISSING:
        assert name in output, f"{name} not named in:\n{output}"
    assert "DB_HOST:" not in output and "DB_PORT:" not in output  # those were given

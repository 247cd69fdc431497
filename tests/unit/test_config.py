"""Settings: defaults work, and every problem is reported at once with a fix."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from videoforge.config import SettingsError, load_settings


def test_defaults_run_everything_on_embedded_parts(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path)
    assert settings.enabled_roles == {"gateway", "auth", "gallery", "streaming", "processor"}
    assert settings.resolved_database_url.startswith("sqlite:///")
    assert settings.queue_max_receives == 3


def test_roles_and_ladder_read_from_comma_lists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VIDEOFORGE_ROLES", "gallery, streaming")
    monkeypatch.setenv("VIDEOFORGE_LADDER", "480,1080,720")
    settings = load_settings(data_dir=tmp_path)
    assert settings.enabled_roles == {"gallery", "streaming"}
    assert settings.ladder == [1080, 720, 480]


def test_every_problem_is_reported_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIDEOFORGE_ROLES", "gateway,transcoder")
    monkeypatch.setenv("VIDEOFORGE_WORKER_CONCURRENCY", "0")
    monkeypatch.setenv("VIDEOFORGE_MAX_UPLOAD_BYTES", "lots")
    with pytest.raises(SettingsError) as caught:
        load_settings(data_dir=tmp_path)
    text = "\n".join(caught.value.problems)
    assert len(caught.value.problems) == 3
    assert "VIDEOFORGE_ROLES" in text and "transcoder" in text
    assert "VIDEOFORGE_WORKER_CONCURRENCY" in text
    assert "VIDEOFORGE_MAX_UPLOAD_BYTES" in text


def test_missing_ffmpeg_path_names_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FFMPEG_PATH", str(tmp_path / "no-ffmpeg"))
    with pytest.raises(SettingsError) as caught:
        load_settings(data_dir=tmp_path)
    assert "FFMPEG_PATH" in caught.value.problems[0]
    assert "unset it" in caught.value.problems[0]


def test_serve_with_bad_settings_prints_problems_not_a_traceback(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "VIDEOFORGE_DATA_DIR": str(tmp_path),
        "VIDEOFORGE_ROLES": "everything",
        "VIDEOFORGE_SEGMENT_SECONDS": "5",
    }
    result = subprocess.run(
        [sys.executable, "-m", "videoforge", "serve"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "VIDEOFORGE_ROLES" in result.stderr
    assert "segment_seconds must be a multiple of keyframe_seconds" in result.stderr

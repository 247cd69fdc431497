"""The container image, built from the unchanged Dockerfile with podman and run: it answers health
and readiness, its HEALTHCHECK and `videoforge doctor` pass inside it, and a video uploaded through
it becomes ready and every rung decodes with the image's own ffmpeg.

Built with deploy/container/build.sh (a local Debian base, since no registry is reachable here; the
base's tarball is cached outside the repo, so only the first run pays for debootstrap)."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest

from videoforge.testing.api import decode, sign_in, upload, wait_for_job, wait_until
from videoforge.testing.clips import make_clip
from videoforge.testing.server import FAST_ENV, free_port

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parents[2]
PODMAN = str(ROOT / "deploy" / "container" / "podman.sh")
IMAGE = "videoforge:local"
INSIDE = "http://127.0.0.1:8000"  # the image's CMD serves on port 8000
TOOLS = ("podman", "runc", "debootstrap")


def podman(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PODMAN, *args], capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.fixture(scope="module")
def image() -> str:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip(
            f"the container image check needs {', '.join(missing)}: "
            "apt-get install podman buildah runc debootstrap netavark"
        )
    if os.geteuid() != 0:
        pytest.skip("the container image check runs as root (debootstrap and podman's runc)")
    build = subprocess.run(
        [ROOT / "deploy" / "container" / "build.sh", IMAGE],
        capture_output=True,
        text=True,
        timeout=840,
        check=False,
    )
    assert build.returncode == 0, f"the image did not build:\n{build.stdout[-4000:]}{build.stderr}"
    return IMAGE


class Container:
    """One running container of the image, on a free host port, with a host data dir as /data."""

    def __init__(self, name: str, port: int) -> None:
        self.name = name
        self.port = port
        self.url = f"http://127.0.0.1:{port}"

    def exec(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return podman("exec", self.name, *args, timeout=timeout)

    def logs(self) -> str:
        result = podman("logs", self.name)
        return (result.stdout + result.stderr)[-5000:]

    def answers(self, path: str) -> bool:
        try:
            return httpx.get(f"{self.url}{path}", timeout=2).status_code == 200
        except httpx.TransportError:
            return False


@pytest.fixture(scope="module")
def container(image: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Container]:
    data = tmp_path_factory.mktemp("container") / "data"
    data.mkdir()
    data.chmod(0o777)  # the image runs as its own user (uid 10001)
    running = Container(f"videoforge-test-{uuid.uuid4().hex[:8]}", free_port())
    options = [
        "--detach",
        f"--name={running.name}",
        f"--publish=127.0.0.1:{running.port}:8000",
        f"--volume={data}:/data",
        *(f"--env={name}={value}" for name, value in FAST_ENV.items()),
    ]
    try:
        started = podman("run", *options, image)
        assert started.returncode == 0, f"the container did not start:\n{started.stderr}"
        assert wait_until(lambda: running.answers("/api/health"), timeout=60), running.logs()
        yield running
    finally:
        podman("rm", "--force", "--time=5", running.name)


def test_health_and_ready_answer(container: Container) -> None:
    health = httpx.get(f"{container.url}/api/health").json()
    assert health["status"] == "ok"
    assert {"gateway", "processor"} <= set(health["roles"])
    ready = httpx.get(f"{container.url}/api/ready")
    assert ready.status_code == 200, ready.text
    assert set(ready.json()["checks"].values()) == {"ok"}


def test_image_healthcheck_passes(container: Container) -> None:
    result = podman("healthcheck", "run", container.name)
    assert result.returncode == 0, f"{result.stdout}{result.stderr}\n{container.logs()}"


def test_runs_as_its_own_user(container: Container) -> None:
    assert container.exec("id", "-u").stdout.strip() == "10001"


def test_doctor_passes_inside(container: Container) -> None:
    result = container.exec("videoforge", "doctor")
    assert result.returncode == 0, f"{result.stdout}{result.stderr}"
    assert "Everything VideoForge needs answers." in result.stdout


def test_upload_through_the_container_becomes_ready_and_plays(
    container: Container, tmp_path: Path, ffmpeg: str
) -> None:
    clip = make_clip(ffmpeg, tmp_path / "in-a-container.mp4", seconds=2, width=640, height=360)
    base = container.url
    alice = sign_in(base, "alice")
    video = upload(base, alice, clip)
    job = wait_for_job(base, alice, video["jobId"], {"ready", "failed"})
    assert job["status"] == "ready", f"{job}\n{container.logs()}"

    stream = httpx.get(f"{base}/api/stream/{video['id']}", headers=alice).json()
    names = [q["quality"] for q in stream["qualities"] if q["quality"] != "auto"]
    assert names, stream
    master = httpx.get(urljoin(base, stream["masterUrl"])).text
    assert master.count("#EXT-X-STREAM-INF") == len(names)

    # Decode every rung with the image's own ffmpeg, inside the container, from its own server.
    found = container.exec("python", "-c", "import imageio_ffmpeg as f; print(f.get_ffmpeg_exe())")
    assert found.returncode == 0, found.stderr
    ffmpeg_inside = tmp_path / "ffmpeg-in-container"
    ffmpeg_inside.write_text(
        f'#!/bin/sh\nexec {PODMAN} exec {container.name} {found.stdout.strip()} "$@"\n'
    )
    ffmpeg_inside.chmod(0o755)
    for name in names:
        quality = httpx.get(
            f"{base}/api/stream/{video['id']}", params={"quality": name}, headers=alice
        ).json()
        decode(str(ffmpeg_inside), urljoin(INSIDE, quality["streamUrl"]))

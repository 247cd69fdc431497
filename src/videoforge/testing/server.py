"""Run the real `videoforge` server as a child process on a free port (for end-to-end tests)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import httpx

# A server that transcodes fast and notices a dead worker quickly (end-to-end tests, chaos bench).
FAST_ENV = {
    "VIDEOFORGE_X264_PRESET": "ultrafast",
    "VIDEOFORGE_QUEUE_POLL_SECONDS": "0.2",
    "VIDEOFORGE_QUEUE_VISIBILITY_TIMEOUT_SECONDS": "3",
    "VIDEOFORGE_REQUIRE_EMAIL_CONFIRMATION": "false",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# How long a process may take to answer before its start counts as failed: generous, because a
# split topology starts seven of them side by side on two cores, maybe beside other tests' ffmpeg.
START_TIMEOUT = 180.0


class ServerProcess:
    """`python -m videoforge serve` with its own environment, log file and port."""

    def __init__(self, data_dir: Path, env: Mapping[str, str] | None = None, *args: str) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "VIDEOFORGE_DATA_DIR": str(data_dir), **(env or {})}
        self.args = args
        self.log_path = data_dir.parent / f"server-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = START_TIMEOUT) -> ServerProcess:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable,
            "-m",
            "videoforge",
            "serve",
            "--port",
            str(self.port),
            *self.args,
        ]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(command, env=self.env, stdout=log, stderr=log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log()}")
            try:
                if httpx.get(f"{self.url}/api/health", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"server did not answer within {timeout} s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:]

    def kill(self) -> None:
        """SIGKILL: no clean-up, as when a machine dies."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

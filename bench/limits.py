"""The limits the load benchmark measures VideoForge against, each serving the same segment:

- the bare ASGI app of bench/bare_asgi.py, under uvicorn as `videoforge serve` runs it;
- nginx from Debian serving the store directory on a free port: our own child process with a
  temporary config (never the system's nginx), one worker, Debian's defaults for static files
  otherwise (sendfile, tcp_nopush, keep-alive, an access log).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from videoforge.testing.server import free_port

BARE_ASGI = Path(__file__).resolve().parent / "bare_asgi.py"
INSTALL_HINT = "nginx is not installed: apt-get update && apt-get install -y nginx"

CONFIG = """\
{user}daemon off;
master_process on;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    types {{ video/iso.segment m4s; video/mp4 mp4; application/vnd.apple.mpegurl m3u8; }}
    default_type application/octet-stream;
    access_log {work}/access.log;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
    }}
}}
"""


def nginx_binary() -> str | None:
    # /usr/sbin is not on every PATH (it is not on a normal user's PATH on Debian).
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")


class NginxProcess:
    def __init__(self, root: Path, work: Path) -> None:
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError(INSTALL_HINT)
        self.binary, self.root, self.work = binary, root.resolve(), work
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, probe_path: str, timeout: float = 20) -> NginxProcess:
        """Start nginx and wait until it serves probe_path."""
        self.work.mkdir(parents=True, exist_ok=True)
        config = self.work / "nginx.conf"
        # As root, nginx would run its worker as nobody, who cannot enter a private temp dir.
        user = "user root;\n" if os.geteuid() == 0 else ""
        config.write_text(CONFIG.format(user=user, work=self.work, port=self.port, root=self.root))
        command = [self.binary, "-p", str(self.work), "-c", str(config), "-e", "stderr"]
        with (self.work / "stderr.log").open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=log)
        wait_for(self.url + probe_path, self.process, timeout)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()  # fast shutdown of the master and its worker
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


@dataclass
class Target:
    """A server under load: where it is, and the processes whose CPU counts as its own."""

    name: str
    url: str
    segment_path: str  # the same segment's bytes, on this server
    pids: list[int]


@contextmanager
def bare_asgi(segment: Path, log_dir: Path) -> Iterator[Target]:
    port = free_port()
    command = [sys.executable, str(BARE_ASGI), "--port", str(port), "--file", str(segment)]
    with (log_dir / "bare-asgi.log").open("ab") as log:
        process = subprocess.Popen(command, stdout=log, stderr=log)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for(url + "/segment", process)
        yield Target("bare ASGI", url, "/segment", [process.pid])
    finally:
        process.terminate()
        process.wait(30)


@contextmanager
def nginx(store_dir: Path, segment_key: str, work: Path) -> Iterator[Target]:
    server = NginxProcess(store_dir, work)
    try:
        server.start(f"/{segment_key}")
        assert server.process is not None
        yield Target("nginx", server.url, f"/{segment_key}", [server.process.pid])
    finally:
        server.stop()


def wait_for(url: str, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    """Wait until url answers 200 (the process it comes from must not exit meanwhile)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout} s")

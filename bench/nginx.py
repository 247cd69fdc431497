"""nginx from Debian serving a directory on a free port: our own child process with a temporary
config (never the system's nginx), one worker, Debian's defaults for static files otherwise
(sendfile, tcp_nopush, keep-alive, an access log)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import httpx

from videoforge.testing.server import free_port

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
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited: {(self.work / 'stderr.log').read_text()}")
            try:
                if httpx.get(self.url + probe_path, timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"nginx did not serve {probe_path} within {timeout} s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()  # fast shutdown of the master and its worker
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

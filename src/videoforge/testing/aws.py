"""A real S3/SQS-speaking server for tests: moto's server in a child process on a free port.

    with MotoServer() as aws:
        s3 = aws.client("s3")

Tests talk to it over HTTP exactly as they would to AWS, so presigned URLs, multipart uploads
and queue semantics are exercised through the real boto3 stack. Every server starts empty;
tests share one per session and keep apart by using fresh bucket and queue names.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from types import TracebackType
from typing import Any

import boto3
import httpx

from videoforge.testing.server import free_port

REGION = "us-east-1"
# moto accepts any credentials; fixed ones keep boto3 from looking for real ones.
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


class MotoServer:
    def __init__(self, region: str = REGION) -> None:
        self.region = region
        self.port = free_port()
        self.endpoint_url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        fd, log_name = tempfile.mkstemp(prefix="moto-", suffix=".log")
        os.close(fd)
        self.log_path = Path(log_name)

    def start(self, timeout: float = 30) -> MotoServer:
        command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                httpx.get(f"{self.endpoint_url}/moto-api/", timeout=1)
                return self
            except httpx.TransportError:
                time.sleep(0.1)
        output = self.log()
        self.stop()
        raise RuntimeError(f"moto server did not start within {timeout} s:\n{output}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        self.log_path.unlink(missing_ok=True)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def client(self, service: str) -> Any:
        """A boto3 client for `service` ("s3", "sqs", ...) pointed at this server."""
        return boto3.client(
            service, region_name=self.region, endpoint_url=self.endpoint_url, **CREDENTIALS
        )

    def __enter__(self) -> MotoServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def unique_name(stem: str) -> str:
    """A fresh bucket or queue name (lower case, as bucket names must be)."""
    return f"{stem}-{uuid.uuid4().hex[:12]}"

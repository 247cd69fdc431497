"""The locust users of the load benchmark (bench/load.py starts locust on this file).

Everything comes from the JSON file named by VIDEOFORGE_LOAD_PLAN (written by bench/load.py):
the videos and their segments, the accounts, the clip to upload, the processes whose CPU to
count, and where to write the results. Users:

- SegmentFetcher: one segment, over and over (the segment-alone steps, on every server);
- Viewer: visits of the gallery list and search, stream info, a playlist and segments through
  the signed media URLs that stream info hands out, signing in every few visits;
- Uploader: a multipart upload, then a tus upload (create + one PATCH), over and over.

Latencies and errors are recorded here for PLAN["seconds"] from the moment every user is
running (locust's `spawning_complete`), then locust is stopped and they are written as JSON.
Errors are sorted into real ones (5xx, connection failures), 429 (throttled) and other 4xx, so
the report can tell them apart.
"""

from __future__ import annotations

import base64
import json
import os
import random
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import gevent
import psutil
from locust import FastHttpUser, HttpUser, constant, events, task
from locust.env import Environment

PLAN: dict[str, Any] = json.loads(Path(os.environ["VIDEOFORGE_LOAD_PLAN"]).read_text())
SEGMENTS_PER_VISIT = 6
SIGN_IN_EVERY = 4


class Recorder:
    """Latencies and error kinds per request name, within the measured window, and the CPU time
    used meanwhile by the server, by this process and by the whole machine."""

    def __init__(self, server_pids: list[int]) -> None:
        self.measuring = False
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, Counter[str]] = defaultdict(Counter)
        self.server_pids = server_pids
        self.started = self.stopped = 0.0
        self.cpu_start: dict[str, float] = {}
        self.cpu_end: dict[str, float] = {}
        self.environment: Environment | None = None

    def cpu(self) -> dict[str, float]:
        machine = psutil.cpu_times()
        return {
            "server": sum(_tree_cpu(pid) for pid in self.server_pids),
            "load generator": _cpu_seconds(psutil.Process()),
            "machine busy": sum(machine) - machine.idle - getattr(machine, "iowait", 0.0),
        }

    def start(self) -> None:
        self.latencies.clear()
        self.errors.clear()
        self.cpu_start = self.cpu()
        self.started = time.monotonic()
        self.measuring = True

    def stop(self) -> None:
        if self.measuring:
            self.measuring = False
            self.stopped = time.monotonic()
            self.cpu_end = self.cpu()

    def record(self, name: str, response_time: float, status: int, failed: bool) -> None:
        if not self.measuring:
            return
        self.latencies[name].append(response_time)
        if failed or status == 0 or status >= 400:
            self.errors[name][error_kind(status)] += 1

    def results(self) -> dict[str, Any]:
        window = max(self.stopped - self.started, 1e-9)
        used = {k: self.cpu_end.get(k, 0.0) - self.cpu_start.get(k, 0.0) for k in self.cpu_start}
        cpu = {
            "server": used["server"] / window,
            "load generator": used["load generator"] / window,
            "others": max(used["machine busy"] - used["server"] - used["load generator"], 0.0)
            / window,
        }
        return {
            "seconds": window,
            "cpu": cpu,
            "kinds": {
                name: {"latencies_ms": times, "errors": dict(self.errors[name])}
                for name, times in sorted(self.latencies.items())
            },
        }


def error_kind(status: int) -> str:
    if status == 0:
        return "connection"
    if status >= 500:
        return "5xx"
    if status == 429:
        return "429"
    return "4xx"


def _cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system + times.children_user + times.children_system


def _tree_cpu(pid: int) -> float:
    """CPU seconds of a process, its reaped children and its live children (nginx's workers,
    a running ffprobe)."""
    try:
        root = psutil.Process(pid)
        total = _cpu_seconds(root)
        for child in root.children(recursive=True):
            total += _cpu_seconds(child)
        return total
    except psutil.NoSuchProcess:
        return 0.0


RECORDER = Recorder(PLAN["cpu_pids"])


@events.request.add_listener
def _on_request(name: str, response_time: float, response: Any, exception: Any, **_: Any) -> None:
    status = getattr(response, "status_code", 0) or 0
    RECORDER.record(name, response_time, int(status), exception is not None)


@events.init.add_listener
def _on_init(environment: Environment, **_: Any) -> None:
    RECORDER.environment = environment


@events.spawning_complete.add_listener
def _on_spawned(user_count: int, **_: Any) -> None:
    """Measure for exactly PLAN["seconds"] from here (locust's --run-time counts from its start,
    and starting users can take seconds on a busy machine)."""
    RECORDER.start()
    runner = RECORDER.environment.runner if RECORDER.environment else None
    if runner is not None:
        gevent.spawn_later(PLAN["seconds"], runner.quit)


@events.test_stop.add_listener
def _on_stop(environment: Environment, **_: Any) -> None:
    RECORDER.stop()


@events.quitting.add_listener
def _on_quit(environment: Environment, **_: Any) -> None:
    RECORDER.stop()
    Path(PLAN["out"]).write_text(json.dumps(RECORDER.results()))


def _checked(response: Any, *expected: int) -> None:
    """Inside `catch_response`: anything but the expected status is a failure."""
    if response.status_code in expected:
        response.success()
    else:
        response.failure(f"HTTP {response.status_code}")


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class SegmentFetcher(FastHttpUser):
    wait_time = constant(0)

    @task
    def segment(self) -> None:
        with self.client.get(PLAN["segment_path"], name="segment", catch_response=True) as resp:
            _checked(resp, 200)


class Viewer(FastHttpUser):
    """A signed-out visitor: each visit opens the gallery, searches, picks a video (stream info),
    loads its playlist and watches SEGMENTS_PER_VISIT segments; every SIGN_IN_EVERY visits
    (starting with the second) they also sign in."""

    wait_time = constant(0)
    visits = 0

    @task
    def visit(self) -> None:
        self.gallery_list()
        self.gallery_search()
        video, media_base = self.stream_info()
        if media_base:
            self.get(media_base + video["playlist"], "playlist")
            for _ in range(SEGMENTS_PER_VISIT):
                self.get(media_base + random.choice(video["segments"]), "segment")
        if self.visits % SIGN_IN_EVERY == 1:
            self.sign_in()
        self.visits += 1

    def get(self, url: str, name: str) -> Any:
        with self.client.get(url, name=name, catch_response=True) as resp:
            _checked(resp, 200)
            return resp

    def gallery_list(self) -> None:
        self.get(f"/api/gallery/videos?limit=12&page={random.randint(1, 2)}", "gallery list")

    def gallery_search(self) -> None:
        search = random.choice(PLAN["searches"])
        self.get(f"/api/gallery/videos?limit=12&search={search}", "gallery search")

    def stream_info(self) -> tuple[dict[str, Any], str]:
        """A video, and the signed base URL of its files that stream info hands out."""
        video = random.choice(PLAN["videos"])
        resp = self.get(f"/api/stream/{video['id']}", "stream info")
        if resp.status_code != 200:
            return video, ""
        return video, _path(resp.json()["masterUrl"]).removesuffix(PLAN["master_path"])

    def sign_in(self) -> None:
        username, password = random.choice(PLAN["accounts"])
        body = {"username": username, "password": password}
        with self.client.post(
            "/api/auth/login", json=body, name="sign-in", catch_response=True
        ) as resp:
            _checked(resp, 200)


class Uploader(HttpUser):
    """A signed-in user uploading small clips, alternately as a form and with tus."""

    wait_time = constant(0)
    fixed_count = int(PLAN.get("uploaders", 0))

    def on_start(self) -> None:
        username, password = random.choice(PLAN["accounts"])
        resp = self.client.post(
            "/api/auth/login", json={"username": username, "password": password}, name="sign-in"
        )
        self.auth = {"Authorization": f"Bearer {resp.json().get('accessToken', '')}"}
        self.clip = Path(PLAN["clip"])
        self.data = self.clip.read_bytes()

    @task
    def upload_twice(self) -> None:
        self.form_upload()
        self.tus_upload()

    def form_upload(self) -> None:
        with self.client.post(
            "/api/gallery/videos",
            headers=self.auth,
            files={"file": (self.clip.name, self.data, "video/mp4")},
            data={"title": "load upload", "visibility": "public"},
            name="upload: form",
            catch_response=True,
        ) as resp:
            _checked(resp, 202)

    def tus_upload(self) -> None:
        meta = {"filename": self.clip.name, "filetype": "video/mp4", "title": "load tus"}
        encoded = ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in meta.items())
        tus = {**self.auth, "Tus-Resumable": "1.0.0"}
        with self.client.post(
            "/api/gallery/uploads/",
            headers={**tus, "Upload-Length": str(len(self.data)), "Upload-Metadata": encoded},
            name="upload: tus create",
            catch_response=True,
        ) as created:
            _checked(created, 201)
            location = created.headers.get("location", "")
        if not location:
            return
        with self.client.patch(
            _path(location),
            headers={
                **tus,
                "Content-Type": "application/offset+octet-stream",
                "Upload-Offset": "0",
            },
            data=self.data,
            name="upload: tus PATCH",
            catch_response=True,
        ) as patched:
            _checked(patched, 204)

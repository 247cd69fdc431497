"""Browser fixtures: the real server, Debian's chromium driven by Playwright, and pages that
record every console error, script error, failed asset and request leaving this machine."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Response, Route, sync_playwright

from tests.browser.helpers import Mailbox
from videoforge.testing.clips import make_clip
from videoforge.testing.server import ServerProcess

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Chromium logs every 4xx answer to fetch as a console error. These are answers the app expects
# and explains to the person (a private video's 404, a "still processing" 409, "confirm your
# email first" 403), not script errors; failed assets and media are caught separately below.
EXPECTED_NETWORK_NOISE = (
    "the server responded with a status of 401",
    "the server responded with a status of 403",
    "the server responded with a status of 404",
    "the server responded with a status of 409",
)

NewPage = Callable[..., Page]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    data_dir = tmp_path_factory.mktemp("browser") / "var"
    env = {
        "VIDEOFORGE_X264_PRESET": "ultrafast",
        "VIDEOFORGE_QUEUE_POLL_SECONDS": "0.2",
    }  # email confirmation is on, as by default: tests read the codes from data_dir/mail
    with ServerProcess(data_dir, env) as running:
        yield running


@pytest.fixture(scope="session")
def mailbox(server: ServerProcess) -> Mailbox:
    return Mailbox(server.data_dir / "mail")


@pytest.fixture(scope="session")
def clip(tmp_path_factory: pytest.TempPathFactory, session_ffmpeg: str) -> Path:
    """4 s at 640x360: enough for two qualities (360p and 240p)."""
    dest = tmp_path_factory.mktemp("browser-clips") / "forge_clip.mp4"
    return make_clip(session_ffmpeg, dest, seconds=4, width=640, height=360)


@dataclass
class Problems:
    """What went wrong in the browser while a test ran."""

    console: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    bad_media: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)

    def any(self) -> bool:
        return bool(self.console or self.page_errors or self.bad_media or self.outside_requests)


@pytest.fixture
def new_page(browser: Browser, server: ServerProcess) -> Iterator[NewPage]:
    """new_page(**context_options): a page in a fresh context (its own storage: signed out),
    on the session's server unless `base_url` names another; `also_allow` lets it reach other
    origins (a local identity provider)."""
    problems = Problems()
    contexts = []
    # Every server these tests start listens on this machine; nothing else may be asked.
    local_hosts = {urlsplit(server.url).hostname}

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and not any(n in message.text for n in EXPECTED_NETWORK_NOISE):
            problems.console.append(message.text)

    def on_response(response: Response) -> None:
        path = urlsplit(response.url).path
        if response.status >= 400 and path.startswith(("/assets/", "/media/")):
            problems.bad_media.append(f"{response.status} {path}")

    def keep_local(also_allowed: set[str]) -> Callable[[Route], None]:
        def check(route: Route) -> None:
            parts = urlsplit(route.request.url)
            allowed = parts.hostname in local_hosts or f"{parts.scheme}://{parts.netloc}" in (
                also_allowed
            )
            if parts.scheme in ("http", "https", "ws", "wss") and not allowed:
                problems.outside_requests.append(route.request.url)
                route.abort()
            else:
                route.continue_()

        return check

    def make(*, also_allow: Iterable[str] = (), **options: Any) -> Page:
        """also_allow: origins (scheme://host:port) this page may ask besides the server."""
        context = browser.new_context(**{"base_url": server.url, **options})
        context.route("**/*", keep_local(set(also_allow)))
        contexts.append(context)
        page = context.new_page()
        page.on("console", on_console)
        page.on("pageerror", lambda error: problems.page_errors.append(str(error)))
        page.on("response", on_response)
        page.set_default_timeout(20_000)
        return page

    yield make
    for context in contexts:
        context.close()
    assert not problems.any(), f"the browser reported problems: {problems}"

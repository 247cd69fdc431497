"""The admin dashboard and job control, on a server without transcoding workers (so a job stays
queued for as long as the test needs): the owner cancels and retries processing in My videos; an
administrator (made with `videoforge users create --admin`) reads the overview and the job list,
disables an account and requires two-step sign-in of another, which then enrols at sign-in."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyotp
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage
from tests.browser.helpers import (
    PASSWORD,
    Mailbox,
    api_account,
    enter_password,
    screenshot,
    sign_in,
)
from videoforge.testing.server import ServerProcess

pytestmark = pytest.mark.slow

TITLE = "Waiting in line"


@pytest.fixture(scope="module")
def idle_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """Every role but the processor: uploads are queued and nobody takes them."""
    data_dir = tmp_path_factory.mktemp("browser-admin") / "var"
    env = {"VIDEOFORGE_ROLES": "gateway,auth,gallery,streaming"}
    with ServerProcess(data_dir, env) as running:
        yield running


def create_admin(server: ServerProcess) -> None:
    command = [sys.executable, "-m", "videoforge", "users", "create", "root", "root@example.com"]
    result = subprocess.run(
        [*command, "--password", PASSWORD, "--admin"],
        env=server.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def upload(client: httpx.Client, clip: Path) -> dict[str, str]:
    with clip.open("rb") as file:
        resp = client.post(
            "/api/gallery/videos",
            files={"file": (clip.name, file, "video/mp4")},
            data={"title": TITLE, "description": "", "visibility": "public"},
        )
    assert resp.status_code == 202, resp.text
    video: dict[str, str] = resp.json()
    return video


def cancel_and_retry(page: Page, client: httpx.Client, job_id: str) -> None:
    page.goto("/me/videos")
    row = page.locator("li.my-video", has_text=TITLE)
    expect(row.locator(".status")).to_have_text("Waiting to be processed")
    row.get_by_role("button", name="Cancel processing").click()
    expect(row).to_have_attribute("data-status", "failed")
    expect(row.locator(".status")).to_contain_text("Cancelled by the owner.")
    assert client.get(f"/api/jobs/{job_id}").json()["status"] == "cancelled"
    row.get_by_role("button", name="Retry").click()
    expect(row.locator(".status")).to_have_text("Waiting to be processed")
    assert client.get(f"/api/jobs/{job_id}").json()["status"] == "queued"


def read_the_dashboard(page: Page) -> None:
    page.get_by_role("link", name="Admin").click()
    overview = page.get_by_test_id("admin-overview")
    expect(overview.locator("[aria-labelledby='stat-Jobs'] [data-key='queued'] dd")).to_have_text(
        "1"
    )
    # The cancelled attempt's message stays on the queue too (a worker drops it), so: not empty.
    waiting = overview.locator("[aria-labelledby='stat-Queue'] [data-key='visible'] dd")
    expect(waiting).to_have_text(re.compile(r"^[1-9]\d*$"))
    expect(page.get_by_test_id("storage-used")).not_to_have_text("0 B")
    expect(page.get_by_role("table", name="Uploads by user")).to_contain_text("uma")
    screenshot(page, "admin-overview")

    page.get_by_role("link", name="Jobs").click()
    page.get_by_label("Status").select_option("queued")
    expect(page.locator("table.jobs tbody tr")).to_have_count(1)
    expect(page.locator("table.jobs")).to_contain_text(TITLE)
    page.get_by_label("Status").select_option("failed")
    expect(page.get_by_text("No jobs here.")).to_be_visible()
    page.get_by_role("link", name="Failures and dead letters").click()
    expect(page.get_by_text("The dead-letter queue is empty.")).to_be_visible()


def manage_users(page: Page) -> None:
    page.get_by_role("link", name="Users").click()
    uma = page.locator("tr[data-username='uma']")
    uma.get_by_role("button", name="Disable uma").click()
    expect(uma).to_have_attribute("data-disabled", "true")
    vera = page.locator("tr[data-username='vera']")
    required = vera.get_by_role("checkbox", name="Require two-step sign-in for vera")
    required.click()  # the box shows the server's answer once it arrives
    expect(required).to_be_checked()
    screenshot(page, "admin-users")


def enrol_when_required(page: Page) -> None:
    enter_password(page, "vera")
    expect(page.get_by_role("heading", name="Set up two-step sign-in")).to_be_visible()
    secret = page.get_by_test_id("totp-secret").get_attribute("data-secret")
    assert secret
    screenshot(page, "mfa-enrolment-required")
    page.get_by_label("Code from the app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_cancel_retry_and_the_admin_dashboard(
    new_page: NewPage, idle_server: ServerProcess, clip: Path
) -> None:
    mailbox = Mailbox(idle_server.data_dir / "mail")
    create_admin(idle_server)
    owner = api_account(idle_server, mailbox, "uma")
    api_account(idle_server, mailbox, "vera").close()
    video = upload(owner, clip)

    uma = new_page(base_url=idle_server.url, viewport={"width": 1024, "height": 800})
    sign_in(uma, "uma")
    cancel_and_retry(uma, owner, video["jobId"])
    uma.goto("/admin")
    expect(uma.get_by_role("alert")).to_have_text(
        "Only administrators can see this page. Ask an administrator if you need access."
    )

    admin = new_page(base_url=idle_server.url, viewport={"width": 1280, "height": 900})
    sign_in(admin, "root")
    read_the_dashboard(admin)
    manage_users(admin)

    assert owner.get("/api/auth/me").status_code == 401  # disabled: its tokens stop at once
    owner.close()
    uma.goto("/me/videos")
    expect(uma).to_have_url("/signin?next=%2Fme%2Fvideos")
    enter_password(uma, "uma")
    expect(uma.get_by_role("alert")).to_have_text("This account is disabled.")

    enrol_when_required(new_page(base_url=idle_server.url, viewport={"width": 390, "height": 844}))

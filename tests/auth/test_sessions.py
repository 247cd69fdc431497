"""GET /api/auth/sessions and DELETE /api/auth/sessions/{id}: an account's signed-in devices."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.auth.helpers import bearer, error_message, login_answer, sign_up


def sign_in_on(client: TestClient, username: str, device: str) -> dict[str, str]:
    resp = client.post(
        "/api/auth/login",
        json={"username": username, "password": "correct horse 42"},
        headers={"User-Agent": device},
    )
    assert resp.status_code == 200, resp.text
    answer: dict[str, str] = resp.json()
    return answer


def test_lists_live_sessions_and_marks_the_current_one(auth_client: TestClient) -> None:
    sign_up(auth_client, "alice")
    laptop = sign_in_on(auth_client, "alice", "Laptop browser")
    sign_in_on(auth_client, "alice", "Phone browser")
    ended = login_answer(auth_client, "alice")
    auth_client.post("/api/auth/logout", json={"refreshToken": ended["refreshToken"]})

    resp = auth_client.get("/api/auth/sessions", headers=bearer(laptop["accessToken"]))
    assert resp.status_code == 200, resp.text
    listed = resp.json()
    assert [s["userAgent"] for s in listed] == ["Phone browser", "Laptop browser"]
    assert [s["current"] for s in listed] == [False, True]
    assert all(s["createdAt"] and s["expiresAt"] for s in listed)
    # Another account sees only its own devices.
    sign_up(auth_client, "bob")
    bob = login_answer(auth_client, "bob")
    others = auth_client.get("/api/auth/sessions", headers=bearer(bob["accessToken"])).json()
    assert len(others) == 1 and others[0]["current"] is True


def test_signing_another_device_out_ends_its_tokens(auth_client: TestClient) -> None:
    sign_up(auth_client, "alice")
    laptop = sign_in_on(auth_client, "alice", "Laptop browser")
    phone = sign_in_on(auth_client, "alice", "Phone browser")
    listed = auth_client.get("/api/auth/sessions", headers=bearer(laptop["accessToken"])).json()
    phone_id = next(s["id"] for s in listed if not s["current"])

    resp = auth_client.delete(
        f"/api/auth/sessions/{phone_id}", headers=bearer(laptop["accessToken"])
    )
    assert resp.status_code == 204
    assert auth_client.get("/api/auth/me", headers=bearer(phone["accessToken"])).status_code == 401
    refresh = auth_client.post("/api/auth/refresh", json={"refreshToken": phone["refreshToken"]})
    assert refresh.status_code == 401
    assert auth_client.get("/api/auth/me", headers=bearer(laptop["accessToken"])).status_code == 200
    remaining = auth_client.get("/api/auth/sessions", headers=bearer(laptop["accessToken"]))
    assert [s["current"] for s in remaining.json()] == [True]


def test_another_accounts_session_cannot_be_ended(auth_client: TestClient) -> None:
    sign_up(auth_client, "alice")
    sign_up(auth_client, "bob")
    alice = login_answer(auth_client, "alice")
    bob = login_answer(auth_client, "bob")
    bob_sessions = auth_client.get("/api/auth/sessions", headers=bearer(bob["accessToken"])).json()

    resp = auth_client.delete(
        f"/api/auth/sessions/{bob_sessions[0]['id']}", headers=bearer(alice["accessToken"])
    )
    assert "no such" in error_message(resp, 404)
    assert auth_client.get("/api/auth/me", headers=bearer(bob["accessToken"])).status_code == 200
    assert auth_client.get("/api/auth/sessions").status_code == 401

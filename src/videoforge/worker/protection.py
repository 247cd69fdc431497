"""ECS task scale-in protection while a worker runs jobs, so scaling in stops only idle tasks.

ECS sets ECS_AGENT_URI in every container; a task protects itself with
`PUT $ECS_AGENT_URI/task-protection/v1/state {"ProtectionEnabled": true, "ExpiresInMinutes": N}`
(the task role needs ecs:UpdateTaskProtection). The protection is renewed while jobs run and
expires on its own if this process hangs, so a stuck task is not kept forever. Outside ECS
nothing here runs. A job received in the moments before the next check is not yet protected:
should that task be stopped then, the worker hands the job back and another one starts it.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable

import httpx

log = logging.getLogger(__name__)

STATE_PATH = "/task-protection/v1/state"


class ScaleInProtection:
    def __init__(
        self,
        agent_uri: str,
        busy: Callable[[], bool],
        *,
        check_seconds: float = 5.0,
        expires_minutes: int = 60,
    ) -> None:
        self.url = agent_uri.rstrip("/") + STATE_PATH
        self.busy = busy
        self.check_seconds = check_seconds
        self.expires_minutes = expires_minutes
        self.protected = False
        self._renew_at = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="scale-in-protection", daemon=True)

    @classmethod
    def from_environment(cls, busy: Callable[[], bool]) -> ScaleInProtection | None:
        """On ECS (ECS_AGENT_URI set), a protection driven by `busy`; elsewhere None."""
        uri = os.environ.get("ECS_AGENT_URI")
        return cls(uri, busy) if uri else None

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.check_seconds + 10)
        if self.protected:
            self._set(False)

    def check(self) -> None:
        """Protect while busy (renewing at half the expiry), unprotect when idle."""
        busy = self.busy()
        if busy and (not self.protected or time.monotonic() >= self._renew_at):
            self._set(True)
        elif not busy and self.protected:
            self._set(False)

    def _run(self) -> None:
        while not self._stop.wait(self.check_seconds):
            self.check()

    def _set(self, enabled: bool) -> None:
        body: dict[str, object] = {"ProtectionEnabled": enabled}
        if enabled:
            body["ExpiresInMinutes"] = self.expires_minutes
        try:
            httpx.put(self.url, json=body, timeout=10).raise_for_status()
        except httpx.HTTPError as exc:
            # Not fatal: an unprotected worker still hands its job back when stopped.
            log.warning("could not %s scale-in protection: %s", "set" if enabled else "end", exc)
            return
        self.protected = enabled
        self._renew_at = time.monotonic() + self.expires_minutes * 30  # half the expiry
        log.info("scale-in protection %s", "on" if enabled else "off")

"""Keeping the leases of running jobs alive: one heartbeat thread extends them all."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from videoforge.queue.base import JobQueue, Message

log = logging.getLogger(__name__)


@dataclass
class Lease:
    """A message being worked on. `stop` is the flag handed to the handler."""

    message: Message
    stop: threading.Event = field(default_factory=threading.Event)
    # Set when `extend` said the receipt is stale: someone else may be running the message now,
    # so this worker must neither delete nor release it.
    lost: bool = False


class Heartbeat:
    """Every third of the visibility timeout, extends the lease of every running job.

    A third leaves two missed beats of slack (a slow database, a long GC pause) before a lease
    runs out under a job that is still working.
    """

    def __init__(self, queue: JobQueue, visibility_timeout: float) -> None:
        self.queue = queue
        self.visibility_timeout = visibility_timeout
        self._leases: dict[str, Lease] = {}
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="videoforge-heartbeat", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        if self._thread.is_alive():
            self._thread.join()

    def hold(self, message: Message) -> Lease:
        lease = Lease(message)
        with self._lock:
            self._leases[message.receipt] = lease
        return lease

    def drop(self, lease: Lease) -> None:
        with self._lock:
            self._leases.pop(lease.message.receipt, None)

    def active(self) -> list[Lease]:
        with self._lock:
            return list(self._leases.values())

    def _beat(self) -> None:
        while not self._done.wait(self.visibility_timeout / 3):
            for lease in self.active():
                self._extend(lease)

    def _extend(self, lease: Lease) -> None:
        try:
            kept = self.queue.extend(lease.message.receipt, self.visibility_timeout)
        except Exception:
            # Transient (database restarting, network): the next beat tries again.
            log.exception("could not extend the lease of message %s", lease.message.id)
            return
        if not kept:
            log.warning(
                "lost the lease of message %s (someone else may be running it); stopping it",
                lease.message.id,
            )
            lease.lost = True
            lease.stop.set()

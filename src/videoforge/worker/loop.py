"""The worker pool: threads that take messages off the queue and hand them to a JobHandler.

Per message: run the handler with a stop flag while the heartbeat keeps the lease alive, then
settle the message by the outcome:
- success: delete it;
- PermanentJobError: `give_up(dead_lettered=False)`, then delete it;
- any other error: retry after a backoff (`retrying`, then `release`), or once the receives are
  used up, `give_up(dead_lettered=True)`, then `dead_letter`;
- lease lost (the heartbeat's `extend` failed): leave the message alone, someone else has it;
- interrupted by `stop()`: `retrying(delay 0)`, then `release` so it runs again at once on the
  next start.
The handler hears first and the queue second: should anything break in between, the message
is still there and comes back after its lease, so nothing is lost (the handler must cope with
running again, which the JobHandler contract asks of it anyway).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Protocol

from videoforge.config import Settings
from videoforge.logs import job_logging
from videoforge.queue.base import JobQueue, Message
from videoforge.worker.base import JobHandler, PermanentJobError
from videoforge.worker.lease import Heartbeat, Lease
from videoforge.worker.retry import RetryPolicy

log = logging.getLogger(__name__)

INTERRUPTED = "The worker stopped while processing; the job will start again."
LEASES_RAN_OUT = "The job was interrupted on every attempt (its worker stopped or died)."
# How often idle workers look for messages the queue dead-lettered on its own.
RECONCILE_SECONDS = 60.0


class WorkerContext(Protocol):
    """What the pool needs from the process context (videoforge.context.Context has it)."""

    settings: Settings
    queue: JobQueue


class WorkerPool:
    """`settings.worker_concurrency` threads running jobs from `ctx.queue`. Use once: start,
    then stop."""

    def __init__(self, ctx: WorkerContext, handler: JobHandler) -> None:
        settings = ctx.settings
        self.queue = ctx.queue
        self.handler = handler
        self.concurrency = settings.worker_concurrency
        self.visibility_timeout = settings.queue_visibility_timeout_seconds
        self.poll_seconds = settings.queue_poll_seconds
        self.retry_policy = RetryPolicy(
            max_receives=settings.queue_max_receives,
            base_seconds=settings.retry_base_seconds,
            max_seconds=settings.retry_max_seconds,
        )
        self._stopping = threading.Event()
        self._stopped = threading.Event()
        self._heartbeat = Heartbeat(self.queue, self.visibility_timeout)
        self._reconcile_lock = threading.Lock()
        self._next_reconcile = 0.0
        self._threads = [
            threading.Thread(target=self._work, name=f"videoforge-worker-{n}", daemon=True)
            for n in range(1, self.concurrency + 1)
        ]

    def start(self) -> None:
        self._heartbeat.start()
        for thread in self._threads:
            thread.start()
        log.info("started %d worker(s)", self.concurrency)

    def stop(self, timeout: float = 30) -> None:
        """Take no more work, ask running jobs to stop, wait up to `timeout` for them.

        Jobs that stop in time have their messages released for immediate redelivery. A job
        that ignores its stop flag keeps its lease until the process exits; the message then
        comes back when the lease runs out.
        """
        self._stopping.set()
        for lease in self._heartbeat.active():
            lease.stop.set()
        if not self._join(timeout):
            log.warning("some jobs did not stop within %.0f s; their leases will expire", timeout)
        self._heartbeat.stop()
        self._stopped.set()

    @property
    def running_jobs(self) -> int:
        return len(self._heartbeat.active())

    def _join(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            if thread.is_alive():
                thread.join(max(deadline - time.monotonic(), 0))
        return not any(thread.is_alive() for thread in self._threads)

    def _work(self) -> None:
        while not self._stopping.is_set():
            try:
                messages = self.queue.receive(self.visibility_timeout, max_messages=1)
            except Exception:
                log.exception("could not receive from the queue; trying again shortly")
                messages = []
            if not messages:
                self._reconcile_dead_letters()
                self._stopping.wait(self.poll_seconds)
                continue
            for message in messages:
                try:
                    self._process(message)
                except Exception:
                    # The message stays leased and comes back when the lease runs out.
                    log.exception("could not settle message %s", message.id)

    def _reconcile_dead_letters(self) -> None:
        """Tell the handler about messages the queue moved to the dead-letter queue by itself.

        A message whose last allowed attempt died with its worker (lease ran out) is moved by
        the queue, as SQS's redrive policy does, and no worker was there to call `give_up`.
        `give_up` is idempotent, so calling it again for known dead letters is harmless.
        """
        if time.monotonic() < self._next_reconcile or not self._reconcile_lock.acquire(False):
            return
        try:
            self._next_reconcile = time.monotonic() + RECONCILE_SECONDS
            for letter in self.queue.list_dead():
                self.handler.give_up(
                    letter.body, letter.last_error or LEASES_RAN_OUT, dead_lettered=True
                )
        except Exception:
            log.exception("could not reconcile the dead-letter queue")
        finally:
            self._reconcile_lock.release()

    def _process(self, message: Message) -> None:
        if self._stopping.is_set():  # received while stop() was being called
            self.queue.release(message.receipt, 0)
            return
        lease = self._heartbeat.hold(message)
        try:
            with job_logging(message.body.get("jobId")):
                self._run(lease)
        finally:
            self._heartbeat.drop(lease)

    def _run(self, lease: Lease) -> None:
        message = lease.message
        body = message.body
        try:
            self.handler.run(body, attempt=message.receive_count, stop=lease.stop)
        except PermanentJobError as exc:
            if not lease.lost:
                self.handler.give_up(body, str(exc), dead_lettered=False)
                self.queue.delete(message.receipt)
            return
        except Exception as exc:
            self._failed(lease, exc)
            return
        if not lease.lost:
            self.queue.delete(message.receipt)

    def _failed(self, lease: Lease, exc: Exception) -> None:
        message = lease.message
        if lease.lost:
            log.info("job of message %s stopped after losing its lease", message.id)
            return
        if self._stopping.is_set():
            log.info("job of message %s interrupted by shutdown; releasing it", message.id)
            self.handler.retrying(message.body, INTERRUPTED, 0)
            self.queue.release(message.receipt, 0, INTERRUPTED)
            return
        error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        decision = self.retry_policy.decide(message.receive_count)
        if decision.retry:
            log.warning(
                "attempt %d of message %s failed (%s); retrying in %.1f s",
                message.receive_count,
                message.id,
                error,
                decision.delay_seconds,
                exc_info=exc,
            )
            self.handler.retrying(message.body, error, decision.delay_seconds)
            self.queue.release(message.receipt, decision.delay_seconds, error)
        else:
            log.error(
                "attempt %d of message %s failed (%s); moving it to the dead-letter queue",
                message.receive_count,
                message.id,
                error,
                exc_info=exc,
            )
            self.handler.give_up(message.body, error, dead_lettered=True)
            self.queue.dead_letter(message.receipt, error)

"""The job queue on Amazon SQS (or anything speaking its API), with a dead-letter queue.

The main queue carries a RedrivePolicy (`create_queues` sets it): a message received
`max_receives` times whose lease runs out moves to the DLQ on SQS's side, even if every worker
died. Workers move a message there themselves (`dead_letter`) when they give up, sending the
error along as a message attribute.

Where SQS differs from the database queue, and why this class does what it does:
- Times are whole seconds (SQS's unit); fractions round up. Delays cap at 15 minutes on `send`.
- SQS cannot read a message by its receipt, and an old receipt may still act on a message that
  was delivered again since. So this object keeps a ledger of the leases it handed out: once a
  lease is settled or its time is up, the receipt is stale here (extend is False; release,
  delete and dead_letter do nothing), as in the database queue. `dead_letter` needs the message
  body, so it works only on the object that received the message.
- A released message counts as in flight, not delayed, until its delay ends. SQS messages are
  immutable, so `release` cannot keep the error; a message released on its last allowed receive
  goes to the DLQ at once, with its error. Messages the redrive policy moved carry no error, and
  it moves them on the next receive from the main queue, not when their lease runs out.
- A message keeps the id it was first sent with (a message attribute carries it through the DLQ
  and back), as in the database queue.
- SQS cannot peek. `list_dead` receives dead letters with a short lease and hands them straight
  back, so two listings at once miss each other's messages. With `wait_seconds=0` SQS samples
  only some of its servers and may return fewer messages than there are.
- `redrive()` of everything uses StartMessageMoveTask, which runs in the background (the count
  is SQS's estimate); where that API is missing (older regions, moto, other SQS-speaking
  servers) and for `redrive(ids)`, messages are received from the DLQ, sent to the main queue
  and then deleted, so a crash half-way duplicates a message but never loses one.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import boto3
from botocore.exceptions import ClientError

from videoforge.queue.base import DeadLetter, Message

log = logging.getLogger(__name__)

_MAX_VISIBILITY = 12 * 3600  # SQS's ceiling for a lease
_MAX_DELAY = 15 * 60  # SQS's ceiling for DelaySeconds
_PEEK_SECONDS = 30  # how long list_dead and redrive hold dead letters they look at
_FORGET_AFTER = 3600.0  # drop ledger entries of leases that ended this long ago
_MAX_ERROR_CHARS = 32_000  # keep the error attribute well inside SQS's 256 KiB message limit
# The id a message got when first sent, carried along when it is re-sent (to the DLQ and back),
# so that a job's message keeps one id for its whole life, as in the database queue.
_ORIGINAL_ID = "originalId"
_STALE = {"ReceiptHandleIsInvalid", "MessageNotInflight", "InvalidReceiptHandle"}


class SqsQueueError(RuntimeError):
    """An SQS call failed (missing queue, access denied, network)."""


@dataclass
class _Lease:
    message: Message
    raw_body: str
    deadline: float  # time.monotonic() by which the lease has surely ended


def sqs_client(
    region: str | None = None, endpoint_url: str | None = None, **credentials: str
) -> Any:
    return boto3.client("sqs", region_name=region, endpoint_url=endpoint_url, **credentials)


def create_queues(client: Any, name: str, *, max_receives: int) -> tuple[str, str]:
    """Create (or update) the queue `name` and its DLQ `name-dlq`, with a redrive policy after
    `max_receives` receives; return both URLs. Safe to run again."""
    dlq_url: str = client.create_queue(QueueName=f"{name}-dlq")["QueueUrl"]
    client.set_queue_attributes(
        QueueUrl=dlq_url, Attributes={"MessageRetentionPeriod": str(14 * 24 * 3600)}
    )
    queue_url: str = client.create_queue(QueueName=name)["QueueUrl"]
    policy = {"deadLetterTargetArn": _arn(client, dlq_url), "maxReceiveCount": str(max_receives)}
    client.set_queue_attributes(
        QueueUrl=queue_url, Attributes={"RedrivePolicy": json.dumps(policy)}
    )
    return queue_url, dlq_url


class SqsQueue:
    """A `JobQueue` on an SQS queue and its dead-letter queue."""

    def __init__(
        self,
        queue_url: str,
        *,
        dlq_url: str,
        max_receives: int,
        client: Any = None,
        region: str | None = None,
        endpoint_url: str | None = None,
        wait_seconds: int = 2,
        use_move_task: bool = True,
    ) -> None:
        if max_receives < 1:
            raise ValueError("max_receives must be at least 1")
        self.queue_url = queue_url
        self.dlq_url = dlq_url
        self.max_receives = max_receives
        self.client = client or sqs_client(region, endpoint_url)
        self.wait_seconds = min(max(wait_seconds, 0), 20)  # SQS long-polls up to 20 s
        self._use_move_task = use_move_task
        self._leases: dict[str, _Lease] = {}
        self._lock = threading.Lock()

    # -- sending and leasing ----------------------------------------------------------------

    def send(self, body: dict[str, Any], delay_seconds: float = 0) -> str:
        with self._errors("send to", self.queue_url):
            response = self.client.send_message(
                QueueUrl=self.queue_url,
                MessageBody=json.dumps(body),
                DelaySeconds=_seconds(delay_seconds, _MAX_DELAY),
            )
        message_id: str = response["MessageId"]
        return message_id

    def receive(self, visibility_timeout: float, max_messages: int = 1) -> list[Message]:
        seconds = _seconds(visibility_timeout, _MAX_VISIBILITY)
        started = time.monotonic()  # the lease starts later than this, so it ends later too
        with self._errors("receive from", self.queue_url):
            response = self.client.receive_message(
                QueueUrl=self.queue_url,
                MaxNumberOfMessages=min(max(max_messages, 1), 10),
                VisibilityTimeout=seconds,
                WaitTimeSeconds=self.wait_seconds,
                MessageSystemAttributeNames=["ApproximateReceiveCount"],
                MessageAttributeNames=[_ORIGINAL_ID],
            )
        self._forget_old_leases()
        received = []
        for raw in response.get("Messages", []):
            body = _parse(raw["Body"])
            message = Message(
                id=_original_id(raw),
                receipt=raw["ReceiptHandle"],
                body=body or {},
                receive_count=int(raw["Attributes"]["ApproximateReceiveCount"]),
            )
            with self._lock:
                self._leases[message.receipt] = _Lease(message, raw["Body"], started + seconds)
            if body is None:  # nobody can run it: set it aside rather than fail forever
                self.dead_letter(message.receipt, "message body is not a JSON object")
            else:
                received.append(message)
        return received

    def extend(self, receipt: str, visibility_timeout: float) -> bool:
        if self._stale(receipt):
            return False
        seconds = _seconds(visibility_timeout, _MAX_VISIBILITY)
        started = time.monotonic()
        if not self._change_visibility(receipt, seconds):
            self._end(receipt)
            return False
        with self._lock:
            if lease := self._leases.get(receipt):
                lease.deadline = started + seconds
        return True

    def release(self, receipt: str, delay_seconds: float, error: str | None = None) -> None:
        """SQS keeps no error on a message, so a message on its last allowed receive goes to
        the DLQ now, error and all, rather than on the next receive without it."""
        with self._lock:
            lease = self._leases.get(receipt)
        if lease and lease.message.receive_count >= self.max_receives:
            self.dead_letter(receipt, error or "released after its last allowed receive")
            return
        if not self._stale(receipt):
            self._change_visibility(receipt, _seconds(delay_seconds, _MAX_VISIBILITY))
        self._end(receipt)

    def delete(self, receipt: str) -> None:
        if not self._stale(receipt):
            self._delete(self.queue_url, receipt)
        self._end(receipt)

    def dead_letter(self, receipt: str, error: str) -> None:
        with self._lock:
            lease = self._leases.get(receipt)
        if lease is None:
            raise ValueError(
                "unknown receipt: SQS cannot read a message by its receipt, so dead_letter "
                "must be called on the SqsQueue that received the message"
            )
        if self._stale(receipt):
            return
        attributes = {
            "error": _string(error[:_MAX_ERROR_CHARS] or "(no error message)"),
            "receiveCount": {"DataType": "Number", "StringValue": str(lease.message.receive_count)},
            _ORIGINAL_ID: _string(lease.message.id),
        }
        with self._errors("send to", self.dlq_url):
            self.client.send_message(
                QueueUrl=self.dlq_url, MessageBody=lease.raw_body, MessageAttributes=attributes
            )
        self._delete(self.queue_url, receipt)  # after the send: a crash duplicates, never loses
        self._end(receipt)

    # -- looking at the queues --------------------------------------------------------------

    def depth(self) -> dict[str, int]:
        main, dead = self._counts(self.queue_url), self._counts(self.dlq_url)
        return {
            "visible": main["ApproximateNumberOfMessages"],
            "in_flight": main["ApproximateNumberOfMessagesNotVisible"],
            "delayed": main["ApproximateNumberOfMessagesDelayed"],
            "dead": sum(dead.values()),
        }

    def list_dead(self, limit: int = 100) -> list[DeadLetter]:
        letters: dict[str, DeadLetter] = {}
        with self._held_dead_letters() as batches:
            for batch in batches:
                for raw in batch:
                    letters.setdefault(_original_id(raw), self._dead_letter_from(raw))
                if len(letters) >= limit:
                    break
        return sorted(letters.values(), key=lambda letter: letter.created_at)[:limit]

    def redrive(self, ids: list[str] | None = None) -> int:
        if ids is None and self._use_move_task:
            moving = self._start_move_task()
            if moving is not None:
                return moving
        wanted = None if ids is None else set(ids)
        moved = 0
        with self._held_dead_letters() as batches:
            for batch in batches:
                for raw in batch:
                    letter_id = _original_id(raw)
                    if wanted is not None and letter_id not in wanted:
                        continue
                    with self._errors("send to", self.queue_url):
                        self.client.send_message(
                            QueueUrl=self.queue_url,
                            MessageBody=raw["Body"],
                            MessageAttributes={_ORIGINAL_ID: _string(letter_id)},
                        )
                    self._delete(self.dlq_url, raw["ReceiptHandle"])
                    moved += 1
                    if wanted is not None:
                        wanted.discard(letter_id)
                if wanted is not None and not wanted:
                    break
        return moved

    # -- helpers -----------------------------------------------------------------------------

    @contextmanager
    def _errors(self, action: str, url: str) -> Iterator[None]:
        try:
            yield
        except ClientError as exc:
            code, reason = _error(exc)
            raise SqsQueueError(f"could not {action} SQS queue {url}: {code} {reason}") from exc

    def _stale(self, receipt: str) -> bool:
        """True when this object handed the receipt out and its lease has ended."""
        with self._lock:
            lease = self._leases.get(receipt)
        return lease is not None and time.monotonic() >= lease.deadline

    def _end(self, receipt: str) -> None:
        """The lease is over (settled or lost): its receipt is stale from now on."""
        with self._lock:
            if lease := self._leases.get(receipt):
                lease.deadline = min(lease.deadline, time.monotonic())

    def _forget_old_leases(self) -> None:
        cutoff = time.monotonic() - _FORGET_AFTER
        with self._lock:
            for receipt in [r for r, lease in self._leases.items() if lease.deadline < cutoff]:
                del self._leases[receipt]

    def _change_visibility(self, receipt: str, seconds: int) -> bool:
        """False when SQS says the receipt no longer holds the message."""
        try:
            self.client.change_message_visibility(
                QueueUrl=self.queue_url, ReceiptHandle=receipt, VisibilityTimeout=seconds
            )
        except ClientError as exc:
            if _is_stale(exc):
                return False
            raise SqsQueueError(f"could not change a lease on {self.queue_url}: {exc}") from exc
        return True

    def _delete(self, url: str, receipt: str) -> None:
        try:
            self.client.delete_message(QueueUrl=url, ReceiptHandle=receipt)
        except ClientError as exc:
            if not _is_stale(exc):
                raise SqsQueueError(f"could not delete a message from {url}: {exc}") from exc

    def _counts(self, url: str) -> dict[str, int]:
        names = [
            "ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed",
        ]
        with self._errors("read the attributes of", url):
            attributes = self.client.get_queue_attributes(QueueUrl=url, AttributeNames=names)
        return {name: int(attributes["Attributes"].get(name, 0)) for name in names}

    @contextmanager
    def _held_dead_letters(self) -> Iterator[Iterator[list[dict[str, Any]]]]:
        """Batches of dead letters, each held for a short lease so the next receive finds
        others; whatever the caller did not delete becomes visible again at the end."""
        held: list[str] = []

        def batches() -> Iterator[list[dict[str, Any]]]:
            while True:
                with self._errors("receive from", self.dlq_url):
                    response = self.client.receive_message(
                        QueueUrl=self.dlq_url,
                        MaxNumberOfMessages=10,
                        VisibilityTimeout=_PEEK_SECONDS,
                        WaitTimeSeconds=self.wait_seconds,
                        MessageAttributeNames=["All"],
                        MessageSystemAttributeNames=["SentTimestamp"],
                    )
                batch = response.get("Messages", [])
                if not batch:
                    return
                held.extend(raw["ReceiptHandle"] for raw in batch)
                yield batch

        try:
            yield batches()
        finally:
            # Deleted ones fail as stale, which is fine; the rest are visible again at once.
            for start in range(0, len(held), 10):
                entries = [
                    {"Id": str(n), "ReceiptHandle": receipt, "VisibilityTimeout": 0}
                    for n, receipt in enumerate(held[start : start + 10])
                ]
                with suppress(ClientError):
                    self.client.change_message_visibility_batch(
                        QueueUrl=self.dlq_url, Entries=entries
                    )

    def _dead_letter_from(self, raw: dict[str, Any]) -> DeadLetter:
        attributes = raw.get("MessageAttributes", {})
        count = attributes.get("receiveCount", {}).get("StringValue")
        sent_ms = int(raw["Attributes"]["SentTimestamp"])
        return DeadLetter(
            id=_original_id(raw),
            body=_parse(raw["Body"]) or {"unparsed": raw["Body"]},
            # The redrive policy moves a message on the receive after its last allowed one.
            receive_count=int(count) if count else self.max_receives,
            last_error=attributes.get("error", {}).get("StringValue"),
            created_at=datetime.fromtimestamp(sent_ms / 1000, UTC),
        )

    def _start_move_task(self) -> int | None:
        """Ask SQS to move every dead letter back; None when the API is not there."""
        waiting = self._counts(self.dlq_url)["ApproximateNumberOfMessages"]
        with self._errors("look up the ARNs of", self.dlq_url):
            source, destination = _arn(self.client, self.dlq_url), _arn(self.client, self.queue_url)
        try:
            self.client.start_message_move_task(SourceArn=source, DestinationArn=destination)
        except ClientError as exc:
            code, reason = _error(exc)
            log.info("StartMessageMoveTask unavailable (%s %s); redriving by hand", code, reason)
            self._use_move_task = False  # don't pay for the failing call again
            return None
        return waiting


def _seconds(value: float, ceiling: int) -> int:
    """SQS takes whole seconds; round up so a lease is never shorter than asked."""
    return min(max(math.ceil(value), 0), ceiling)


def _parse(raw: str) -> dict[str, Any] | None:
    try:
        body = json.loads(raw)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _original_id(raw: dict[str, Any]) -> str:
    original = raw.get("MessageAttributes", {}).get(_ORIGINAL_ID, {}).get("StringValue")
    return str(original or raw["MessageId"])


def _string(value: str) -> dict[str, str]:
    return {"DataType": "String", "StringValue": value}


def _arn(client: Any, url: str) -> str:
    attributes = client.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    arn: str = attributes["Attributes"]["QueueArn"]
    return arn


def _error(exc: ClientError) -> tuple[str, str]:
    error = exc.response.get("Error", {})
    return str(error.get("Code", "")), str(error.get("Message", exc))


def _is_stale(exc: ClientError) -> bool:
    """SQS's ways of saying a receipt no longer holds its message (with or without the
    'AWS.SimpleQueueService.' prefix; AWS itself answers InvalidParameterValue for a
    message that was deleted)."""
    code, reason = _error(exc)
    short = code.rsplit(".", 1)[-1]
    return short in _STALE or (short == "InvalidParameterValue" and "ReceiptHandle" in reason)

"""What only the SQS queue does, on a real moto server: the redrive policy on SQS's side,
receipts SQS itself no longer honours, redrive with and without StartMessageMoveTask, poison
messages. The shared JobQueue contract runs on SQS too (see conftest.BACKENDS)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.queue.polling import eventually
from videoforge.queue.sqs import SqsQueue, create_queues
from videoforge.testing.aws import MotoServer, unique_name

pytestmark = pytest.mark.slow

LONG = 60


def make_sqs(aws: MotoServer, max_receives: int = 3, client: Any = None) -> SqsQueue:
    sqs = aws.client("sqs")
    queue_url, dlq_url = create_queues(sqs, unique_name("jobs"), max_receives=max_receives)
    return SqsQueue(
        queue_url, dlq_url=dlq_url, max_receives=max_receives, client=client or sqs, wait_seconds=0
    )


def twin(queue: SqsQueue) -> SqsQueue:
    """The same queues seen from another process (its own ledger of leases)."""
    return SqsQueue(
        queue.queue_url,
        dlq_url=queue.dlq_url,
        max_receives=queue.max_receives,
        client=queue.client,
        wait_seconds=0,
    )


def test_create_queues_sets_the_redrive_policy_and_can_run_again(aws: MotoServer) -> None:
    sqs = aws.client("sqs")
    name = unique_name("jobs")
    first = create_queues(sqs, name, max_receives=3)

    assert create_queues(sqs, name, max_receives=5) == first
    attributes = sqs.get_queue_attributes(QueueUrl=first[0], AttributeNames=["RedrivePolicy"])
    policy = json.loads(attributes["Attributes"]["RedrivePolicy"])
    assert policy["maxReceiveCount"] in (5, "5")
    assert policy["deadLetterTargetArn"].endswith(f"{name}-dlq")


def test_redrive_policy_moves_a_message_whose_worker_died(aws: MotoServer) -> None:
    queue = make_sqs(aws, max_receives=2)
    message_id = queue.send({"jobId": "j1"})
    for attempt in (1, 2):  # received, never settled: the worker died each time
        message = eventually(lambda: queue.receive(1))[0]
        assert message.receive_count == attempt

    # SQS moves it on the next receive once the lease has run out, not before.
    eventually(lambda: queue.receive(LONG) == [] and queue.depth()["dead"] == 1)
    [dead] = queue.list_dead()
    assert (dead.id, dead.body, dead.receive_count) == (message_id, {"jobId": "j1"}, 2)
    assert dead.last_error is None  # SQS keeps no reason for a message it moved itself


def test_receipts_sqs_no_longer_honours(aws: MotoServer) -> None:
    queue = make_sqs(aws)
    queue.send({"n": 1})
    [message] = queue.receive(LONG)
    other_process = twin(queue)

    other_process.delete(message.receipt)

    assert other_process.extend(message.receipt, LONG) is False
    other_process.release(message.receipt, 0)  # nothing left to release; no error either
    assert queue.depth() == {"visible": 0, "in_flight": 0, "delayed": 0, "dead": 0}


def test_a_lost_lease_cannot_delete_the_new_holders_message(aws: MotoServer) -> None:
    queue = make_sqs(aws)
    queue.send({"n": 1})
    [lost] = queue.receive(1)
    new_holder = twin(queue)
    taken_over = eventually(lambda: new_holder.receive(LONG))[0]

    queue.delete(lost.receipt)  # SQS would still accept this old receipt

    assert queue.depth()["in_flight"] == 1
    assert new_holder.extend(taken_over.receipt, LONG) is True
    new_holder.delete(taken_over.receipt)
    assert queue.depth()["in_flight"] == 0


def test_dead_letter_needs_the_queue_object_that_received(aws: MotoServer) -> None:
    queue = make_sqs(aws)
    queue.send({"n": 1})
    [message] = queue.receive(LONG)

    with pytest.raises(ValueError, match="SQS cannot read a message by its receipt"):
        twin(queue).dead_letter(message.receipt, "broken")


def test_a_message_that_is_not_json_is_set_aside(aws: MotoServer) -> None:
    queue = make_sqs(aws)
    queue.client.send_message(QueueUrl=queue.queue_url, MessageBody="not json")

    assert queue.receive(LONG) == []
    [dead] = queue.list_dead()
    assert dead.body == {"unparsed": "not json"}
    assert dead.last_error == "message body is not a JSON object"


def test_listing_dead_letters_leaves_them_in_place(aws: MotoServer) -> None:
    queue = make_sqs(aws)
    for n in range(12):  # more than one receive batch
        queue.send({"n": n})
    for message in eventually(lambda: queue.receive(LONG, max_messages=10)):
        queue.dead_letter(message.receipt, "broken")
    for message in eventually(lambda: queue.receive(LONG, max_messages=10)):
        queue.dead_letter(message.receipt, "broken")

    first, second = queue.list_dead(), queue.list_dead()

    assert len(first) == 12
    assert {d.id for d in first} == {d.id for d in second}
    assert queue.depth()["dead"] == 12


def test_depth_reads_both_queues(aws: MotoServer) -> None:
    queue = make_sqs(aws)
    queue.send({"state": "visible"})
    queue.send({"state": "delayed"}, delay_seconds=LONG)
    queue.send({"state": "dead"})
    dead = eventually(lambda: queue.receive(LONG))[0]
    queue.dead_letter(dead.receipt, "broken")
    queue.send({"state": "in flight"})
    eventually(lambda: queue.receive(LONG, max_messages=2))

    assert queue.depth() == {"visible": 0, "in_flight": 2, "delayed": 1, "dead": 1}


class MoveTaskClient:
    """The real moto client, with StartMessageMoveTask answered by us: missing (as in regions
    and SQS-speaking servers without it) or accepted (as AWS does)."""

    def __init__(self, client: Any, *, available: bool) -> None:
        self._client = client
        self.available = available
        self.move_tasks: list[dict[str, str]] = []

    def start_message_move_task(self, **params: str) -> dict[str, str]:
        if not self.available:
            error = {"Error": {"Code": "UnsupportedOperation", "Message": "not here"}}
            raise ClientError(error, "StartMessageMoveTask")
        self.move_tasks.append(params)
        return {"TaskHandle": "task-1"}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


def dead_letters(queue: SqsQueue, count: int) -> list[str]:
    ids = [queue.send({"n": n}) for n in range(count)]
    for message in eventually(lambda: queue.receive(LONG, max_messages=10)):
        queue.dead_letter(message.receipt, "broken")
    eventually(lambda: queue.depth()["dead"] == count)
    return ids


def test_redrive_by_hand_when_move_task_is_missing(aws: MotoServer) -> None:
    client = MoveTaskClient(aws.client("sqs"), available=False)
    queue = make_sqs(aws, client=client)
    ids = dead_letters(queue, 3)

    assert queue.redrive() == 3

    assert queue.list_dead() == []
    redriven = eventually(lambda: queue.receive(LONG, max_messages=10))
    assert sorted(m.id for m in redriven) == sorted(ids)  # a job's message keeps its id
    assert {m.receive_count for m in redriven} == {1}


def test_redrive_uses_the_move_task_where_sqs_has_it(aws: MotoServer) -> None:
    client = MoveTaskClient(aws.client("sqs"), available=True)
    queue = make_sqs(aws, client=client)
    dead_letters(queue, 2)

    assert queue.redrive() == 2

    [task] = client.move_tasks
    assert task["SourceArn"].endswith(queue.dlq_url.rsplit("/", 1)[-1])
    assert task["DestinationArn"].endswith(queue.queue_url.rsplit("/", 1)[-1])


def test_redrive_some_ids_is_always_by_hand(aws: MotoServer) -> None:
    client = MoveTaskClient(aws.client("sqs"), available=True)
    queue = make_sqs(aws, client=client)
    first, second = dead_letters(queue, 2)

    assert queue.redrive([second, "no-such-id"]) == 1

    assert client.move_tasks == []
    assert [d.id for d in queue.list_dead()] == [first]
    assert eventually(lambda: queue.receive(LONG))[0].id == second


def test_redrive_on_moto_falls_back_by_itself(aws: MotoServer) -> None:
    """moto has no StartMessageMoveTask: the real error sends redrive down the manual path."""
    queue = make_sqs(aws)
    dead_letters(queue, 1)

    assert queue.redrive() == 1
    assert queue.redrive() == 0
    assert eventually(lambda: queue.receive(LONG))[0].body == {"n": 0}

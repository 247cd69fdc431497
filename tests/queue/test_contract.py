"""The JobQueue contract (SQS semantics), run against every backend in conftest.BACKENDS."""

from __future__ import annotations

import threading
import time
from collections import Counter

from tests.queue.conftest import QueueFactory
from tests.queue.polling import eventually
from videoforge.queue.base import JobQueue, Message

LONG = 60.0  # a lease that does not run out during a test
SHORT = 0.3  # a lease that runs out quickly


def receive_one(queue: JobQueue, visibility_timeout: float = LONG) -> Message:
    messages = queue.receive(visibility_timeout)
    assert len(messages) == 1, messages
    return messages[0]


def receive_eventually(queue: JobQueue, visibility_timeout: float = LONG) -> Message:
    messages = eventually(lambda: queue.receive(visibility_timeout))
    assert len(messages) == 1
    return messages[0]


def test_send_receive_delete(make_queue: QueueFactory) -> None:
    queue = make_queue()
    message_id = queue.send({"jobId": "j1", "n": [1, 2]})

    message = receive_one(queue)
    assert (message.id, message.body, message.receive_count) == (
        message_id,
        {"jobId": "j1", "n": [1, 2]},
        1,
    )
    queue.delete(message.receipt)

    assert queue.receive(LONG) == []
    assert queue.depth() == {"visible": 0, "in_flight": 0, "delayed": 0, "dead": 0}


def test_receive_takes_up_to_max_messages(make_queue: QueueFactory) -> None:
    queue = make_queue()
    sent = {queue.send({"n": n}) for n in range(3)}

    first = queue.receive(LONG, max_messages=2)
    rest = queue.receive(LONG, max_messages=5)

    assert len(first) == 2 and len(rest) == 1
    assert {m.id for m in first + rest} == sent
    assert len({m.receipt for m in first + rest}) == 3


def test_invisible_while_leased(make_queue: QueueFactory) -> None:
    queue = make_queue()
    queue.send({"n": 1})
    receive_one(queue)

    assert queue.receive(LONG) == []
    assert queue.depth()["in_flight"] == 1


def test_redelivered_after_lease_runs_out(make_queue: QueueFactory) -> None:
    queue = make_queue()
    message_id = queue.send({"n": 1})
    first = receive_one(queue, SHORT)

    again = receive_eventually(queue)

    assert again.id == message_id
    assert again.receive_count == 2
    assert again.receipt != first.receipt


def test_extend_keeps_message_hidden(make_queue: QueueFactory) -> None:
    queue = make_queue()
    queue.send({"n": 1})
    message = receive_one(queue, SHORT)

    assert queue.extend(message.receipt, LONG)
    time.sleep(SHORT * 3)  # well past the original lease; the extended one has far to go

    assert queue.receive(LONG) == []
    assert queue.depth()["in_flight"] == 1


def test_extend_with_stale_receipt_fails(make_queue: QueueFactory) -> None:
    queue = make_queue()
    queue.send({"n": 1})
    lost = receive_one(queue, SHORT)
    taken_over = receive_eventually(queue)

    assert queue.extend(lost.receipt, LONG) is False
    assert queue.extend(taken_over.receipt, LONG) is True


def test_release_with_delay(make_queue: QueueFactory) -> None:
    queue = make_queue()
    queue.send({"n": 1})
    message = receive_one(queue)

    queue.release(message.receipt, delay_seconds=LONG, error="try later")

    assert queue.receive(LONG) == []
    assert queue.depth() == {"visible": 0, "in_flight": 0, "delayed": 1, "dead": 0}
    assert queue.extend(message.receipt, LONG) is False  # a released lease is gone


def test_release_without_delay_redelivers_at_once(make_queue: QueueFactory) -> None:
    queue = make_queue()
    message_id = queue.send({"n": 1})
    queue.release(receive_one(queue).receipt, delay_seconds=0)

    again = receive_eventually(queue)

    assert (again.id, again.receive_count) == (message_id, 2)


def test_send_with_delay(make_queue: QueueFactory) -> None:
    queue = make_queue()
    queue.send({"n": 1}, delay_seconds=SHORT)

    assert queue.depth()["delayed"] == 1
    assert receive_eventually(queue).body == {"n": 1}


def test_dead_lettered_after_max_receives(make_queue: QueueFactory) -> None:
    queue = make_queue(max_receives=2)
    message_id = queue.send({"jobId": "j1"})
    for attempt in (1, 2):
        message = receive_eventually(queue)
        assert message.receive_count == attempt
        queue.release(message.receipt, 0, error=f"boom {attempt}")

    assert eventually(lambda: queue.depth()["dead"] == 1)
    assert queue.receive(LONG) == []
    [dead] = queue.list_dead()
    assert (dead.id, dead.body, dead.receive_count) == (message_id, {"jobId": "j1"}, 2)
    assert dead.last_error == "boom 2"
    assert dead.created_at.utcoffset() is not None


def test_dead_lettered_after_max_receives_when_leases_run_out(make_queue: QueueFactory) -> None:
    queue = make_queue(max_receives=1)
    queue.send({"n": 1})
    receive_one(queue, SHORT)  # and never settled: the worker died, say

    assert eventually(lambda: len(queue.list_dead()) == 1)
    assert queue.receive(LONG) == []


def test_dead_letter_now(make_queue: QueueFactory) -> None:
    queue = make_queue()
    message_id = queue.send({"n": 1})
    message = receive_one(queue)

    queue.dead_letter(message.receipt, "not a video")

    assert queue.receive(LONG) == []
    [dead] = queue.list_dead()
    assert (dead.id, dead.last_error, dead.receive_count) == (message_id, "not a video", 1)
    assert queue.depth() == {"visible": 0, "in_flight": 0, "delayed": 0, "dead": 1}


def test_list_dead_and_redrive(make_queue: QueueFactory) -> None:
    queue = make_queue()
    first, second = queue.send({"n": 1}), queue.send({"n": 2})
    for message in queue.receive(LONG, max_messages=2):
        queue.dead_letter(message.receipt, "broken")
    assert {d.id for d in queue.list_dead()} == {first, second}
    assert len(queue.list_dead(limit=1)) == 1

    assert queue.redrive([first]) == 1
    redriven = receive_eventually(queue)
    assert (redriven.id, redriven.receive_count) == (first, 1)  # receive count starts afresh
    assert [d.id for d in queue.list_dead()] == [second]

    assert queue.redrive() == 1
    assert receive_eventually(queue).id == second
    assert queue.list_dead() == []
    assert queue.redrive() == 0


def test_depth_counts_each_state(make_queue: QueueFactory) -> None:
    queue = make_queue()
    queue.send({"state": "in flight"})
    receive_one(queue)
    queue.send({"state": "dead"})
    queue.dead_letter(receive_one(queue).receipt, "broken")
    queue.send({"state": "delayed"}, delay_seconds=LONG)
    queue.send({"state": "visible"})

    assert queue.depth() == {"visible": 1, "in_flight": 1, "delayed": 1, "dead": 1}


def test_queues_do_not_see_each_other(make_queue: QueueFactory) -> None:
    one, other = make_queue(), make_queue()
    one.send({"n": 1})

    assert other.receive(LONG) == []
    assert other.depth()["visible"] == 0


def test_concurrent_receivers_never_share_a_message(make_queue: QueueFactory) -> None:
    queue = make_queue()
    sent = {queue.send({"n": n}) for n in range(40)}
    received: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(8)
    errors: list[BaseException] = []

    def receiver() -> None:
        try:
            start.wait()
            while batch := queue.receive(LONG, max_messages=3):
                with lock:
                    received.extend(m.id for m in batch)
        except BaseException as exc:  # surfaced below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=receiver) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    duplicates = [i for i, count in Counter(received).items() if count > 1]
    assert duplicates == []
    assert set(received) == sent

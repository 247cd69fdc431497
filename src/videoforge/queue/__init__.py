"""Job queues with SQS's semantics: leases, redelivery, bounded receives, dead-letter queue."""

from videoforge.queue.base import JobQueue, Message

__all__ = ["JobQueue", "Message"]

"""Workers: the loop running queued jobs (loop.py), their leases (lease.py), retries (retry.py)."""

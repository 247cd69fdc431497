"""The admin dashboard API (/api/admin): every job and user, the queue, storage."""

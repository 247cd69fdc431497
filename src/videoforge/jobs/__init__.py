"""Transcoding jobs: their statuses and moves (status), progress over tasks (progress),
queueing (queueing), the worker's side (state), and the /api/jobs verbs (service, routes)."""

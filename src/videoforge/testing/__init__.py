"""Helpers for tests and benchmarks: tiny generated clips, the real server as a child process,
a client of its HTTP API and checks of what it leaves behind."""

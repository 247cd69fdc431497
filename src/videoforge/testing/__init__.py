"""Helpers for tests and benchmarks: tiny clips generated with ffmpeg's lavfi sources."""

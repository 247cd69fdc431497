"""Benchmarks of VideoForge's media pipeline, run as scripts (`uv run python bench/...`)."""

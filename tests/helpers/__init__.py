"""Plain helpers that several test modules share, by topic (shared fixtures: tests/conftest.py)."""

"""Benchmarks: `make bench` (or `python -m bench`). They print figures and write bench/results.json;
they are not tests and assert nothing about time."""

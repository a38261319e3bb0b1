"""Settings and waiting helpers for tests that run the real Runtime against the simulators."""

from __future__ import annotations

from tools.support import settings_for  # noqa: F401 - one builder of test settings, shared with tools and bench
from tools.support.waiting import until


async def wait_for(predicate, timeout: float = 10.0, interval: float = 0.05):
    """Await until ``predicate()`` (sync or async) is truthy; returns its last value (falsy when the
    time ran out: the test asserts it, or checks that something stayed quiet)."""
    return await until(predicate, timeout, interval=interval, raise_on_timeout=False)

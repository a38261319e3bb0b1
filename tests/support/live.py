"""Settings and waiting helpers for tests that run the real Runtime against the simulators."""

from __future__ import annotations

import asyncio

from tools.support import settings_for  # noqa: F401 - one builder of test settings, shared with tools and bench


async def wait_for(predicate, timeout: float = 10.0, interval: float = 0.05):
    """Await until ``predicate()`` (sync or async) is truthy; returns its last value."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = predicate()
        if asyncio.iscoroutine(value):
            value = await value
        if value or asyncio.get_running_loop().time() > deadline:
            return value
        await asyncio.sleep(interval)

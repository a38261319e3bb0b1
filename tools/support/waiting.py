"""Waiting for a condition, the one way the tools, the benchmarks and the tests do it (never a fixed sleep).

``wait_until`` blocks (threads, processes, a server coming up); ``until`` awaits (the event loop
keeps running while it waits, and the predicate may be a coroutine). Both return the predicate's
first truthy value and raise :class:`WaitTimedOut` when the time is up.
"""

from __future__ import annotations

import asyncio
import time


class WaitTimedOut(AssertionError, TimeoutError):
    """The condition did not come true in time. An AssertionError, so a test reports it as its
    failure; a TimeoutError, so a tool may handle it as one."""


def _gave_up(what: str, timeout: float) -> WaitTimedOut:
    return WaitTimedOut(f"timed out after {timeout:g} s waiting for {what}")


def wait_until(predicate, timeout: float = 10.0, what: str = "the condition", interval: float = 0.05):
    """Block until ``predicate()`` is truthy and return its value; WaitTimedOut after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise _gave_up(what, timeout)
        time.sleep(interval)


async def until(predicate, timeout: float = 20.0, what: str = "the condition", interval: float = 0.05,
                raise_on_timeout: bool = True):
    """Await until ``predicate()`` (a value, or a coroutine giving one) is truthy and return it;
    WaitTimedOut after ``timeout`` s, or with ``raise_on_timeout=False`` the last (falsy) value."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = predicate()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value
        if loop.time() > deadline:
            if raise_on_timeout:
                raise _gave_up(what, timeout)
            return value
        await asyncio.sleep(interval)

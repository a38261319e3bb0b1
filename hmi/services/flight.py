"""Single flight: at most one run of a task at a time; a tick that finds it running is skipped.

Sync and clear also exclude each other (both change what mo_batch holds), through one
shared "table" lock: a clear waits for a running sync to finish, a sync tick that finds a
clear running is skipped.

A run is over when its work is: a run cancelled while a database call of its work is still
executing stays inside that call until it has ended (hmi.store.runner), so the flight is never
released while its transaction could still commit.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Awaitable, Callable, TypeVar

T = TypeVar("T")

log = logging.getLogger("hmi.scheduler")


class Busy(Exception):
    """The task is already running; this request was not started (never queued)."""

    def __init__(self, task: str) -> None:
        super().__init__(f"{task} is already running")
        self.task = task


class SingleFlight:
    def __init__(self, name: str, exclusive_with: asyncio.Lock | None = None) -> None:
        self.name = name
        self._running = False
        self._shared = exclusive_with

    @property
    def running(self) -> bool:
        return self._running

    async def run(self, work: Callable[[], Awaitable[T]], wait_for_shared: bool = False) -> T:
        """Run ``work`` unless this task is already running (then raise Busy).

        ``wait_for_shared``: wait for the shared lock (an operator's clear waits for a sync
        to end) instead of refusing (a timer tick does not wait).
        """
        if self._running:
            raise Busy(self.name)
        if self._shared is not None and self._shared.locked() and not wait_for_shared:
            raise Busy(self.name)
        self._running = True
        try:
            if self._shared is None:
                return await work()
            async with self._shared:
                return await work()
        finally:
            self._running = False

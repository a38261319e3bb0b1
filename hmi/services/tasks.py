"""Background tasks with owners: strong references until done, failures logged, drained at stop.

The event loop keeps only weak references to tasks (and qasync 0.28 none of its own), so a
task nobody holds can vanish mid-flight; and a failure in a task nobody awaits would
otherwise go unseen.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Coroutine


class TaskGroup:
    def __init__(self, owner: str, log: logging.Logger) -> None:
        self._owner = owner
        self._log = log
        self._tasks: set[asyncio.Task] = set()

    def __len__(self) -> int:
        return len(self._tasks)

    def spawn(self, coroutine: Coroutine) -> asyncio.Task:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            self._log.error("%s task failed: %r", self._owner, task.exception(), exc_info=task.exception())

    async def drain(self, timeout: float) -> None:
        """Let running tasks finish (their transactions commit or roll back); cancel the rest."""
        if self._tasks:
            _done, pending = await asyncio.wait(set(self._tasks), timeout=timeout)
            for task in pending:
                task.cancel()

"""Runs blocking store calls off the event loop thread.

One small dedicated pool keeps database work ordered and bounded (a burst of polls can
never occupy every thread of the loop's default executor), and ``shutdown`` lets the
service finish or roll back the transaction in flight before the process exits.
"""

from __future__ import annotations

import asyncio
import functools
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, TypeVar

T = TypeVar("T")


class DbRunner:
    def __init__(self, max_workers: int = 2) -> None:
        self._executor = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="hmi-db")

    async def __call__(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(fn, *args, **kwargs))

    def shutdown(self) -> None:
        """Wait for the call in flight (its transaction commits or rolls back), refuse new ones."""
        self._executor.shutdown(wait=True, cancel_futures=True)

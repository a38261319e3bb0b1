"""Runs blocking store calls off the event loop thread.

One small dedicated pool keeps database work ordered and bounded (a burst of polls can
never occupy every thread of the loop's default executor).

A call cannot be interrupted from the loop once its thread runs it. Two consequences:

- A caller cancelled while its call runs keeps waiting (inside ``__call__``) until the call
  has committed or rolled back, so whatever it holds (a single-flight, the table lock) is
  released only when the database work is really over and the next run can never overlap it.
- :meth:`stop` never blocks the loop thread: it waits a bounded time for the calls in flight,
  asks ``interrupt`` to cancel their statements (PostgreSQL cancel, SQLite interrupt), and
  then abandons what is still running; the process exits anyway and the database rolls the
  abandoned transaction back when its connection closes.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable, TypeVar

T = TypeVar("T")

log = logging.getLogger("hmi.store")


class RunnerStopped(Exception):
    """A database call was requested after the service began to stop."""


class DbRunner:
    def __init__(self, max_workers: int = 2) -> None:
        self._executor = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="hmi-db")
        self._in_flight: set[Future] = set()
        self._stopped = False
        self._abandoned: asyncio.Event | None = None

    async def __call__(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        if self._stopped:
            raise RunnerStopped(f"database call {getattr(fn, '__name__', fn)!s} refused: Batch HMI is stopping")
        future = self._executor.submit(functools.partial(fn, *args, **kwargs))
        self._in_flight.add(future)
        future.add_done_callback(self._in_flight.discard)
        waiter = asyncio.wrap_future(future)
        try:
            return await asyncio.shield(waiter)
        except asyncio.CancelledError:
            if future.cancel():  # still queued: it never touched the database
                raise
            # Running in its thread: hold the caller until the transaction has ended, unless
            # the service is stopping and abandons it (see stop()).
            waiter.add_done_callback(_ignore_outcome)  # the caller is gone: its outcome is moot
            abandoned = self._abandon_event()
            if not abandoned.is_set():
                watcher = asyncio.ensure_future(abandoned.wait())
                try:
                    await asyncio.wait({waiter, watcher}, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    watcher.cancel()
            raise

    def _abandon_event(self) -> asyncio.Event:
        if self._abandoned is None:
            self._abandoned = asyncio.Event()
        return self._abandoned

    async def stop(self, grace: float = 1.0, interrupt: Callable[[], int] | None = None,
                   interrupt_grace: float = 0.5) -> bool:
        """Refuse new calls, let the calls in flight end; True if none was left running.

        Waits up to ``grace`` seconds, then calls ``interrupt`` (cancels the statements of the
        connections in use) and waits up to ``interrupt_grace`` more. Never blocks the loop.
        """
        self._stopped = True
        self._executor.shutdown(wait=False, cancel_futures=True)
        pending = {asyncio.wrap_future(f) for f in list(self._in_flight) if not f.done()}
        for waiter in pending:
            waiter.add_done_callback(_ignore_outcome)  # the callers report their own outcomes
        if pending:
            _done, pending = await asyncio.wait(pending, timeout=grace)
        if pending and interrupt is not None:
            interrupted = interrupt()
            log.warning("Stopping: %d database call(s) still running after %g s; %d statement(s) cancelled",
                        len(pending), grace, interrupted)
            _done, pending = await asyncio.wait(pending, timeout=interrupt_grace)
        if pending:
            log.warning("Stopping with %d database call(s) still running: abandoned, the database rolls "
                        "their transactions back when the connection closes", len(pending))
        self._abandon_event().set()
        return not pending


def _ignore_outcome(waiter: asyncio.Future) -> None:
    if not waiter.cancelled():
        waiter.exception()

"""The process ends within a few seconds of SIGTERM, SIGINT or the window closing, in every state.

A database statement or an Odoo request runs in a worker thread that nothing can interrupt
from the outside (SQLite waiting for another process's lock, PostgreSQL waiting for another
session's lock, Odoo not answering). The stop sequence waits for them a bounded time and then
abandons them; but the interpreter joins every worker thread of a ThreadPoolExecutor at exit,
so a plain return would still wait for them. Two guards end the process instead:

- :func:`exit_abandoning_lingering_calls`: after the loop has ended, if such threads are
  still alive, flush the logs and leave with ``os._exit`` (the database rolls back what the
  abandoned connection had not committed).
- :class:`ExitWatchdog`: armed when stopping begins; if the stop sequence itself has not
  finished by the deadline (something blocked the loop thread), it logs that and ends the
  process with exit code 1.
"""

from __future__ import annotations

import logging
import os
import sys
import threading

log = logging.getLogger("hmi.app")

#: From the stop request to the end of the process: the stop sequence's budget is below it.
HARD_EXIT_SECONDS = 4.5
EXIT_WATCHDOG_FIRED = 1


def _flush_logs() -> None:
    for handler in list(logging.getLogger().handlers):
        try:
            handler.flush()
        except Exception:  # noqa: BLE001 - leaving anyway
            pass
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001
            pass


def lingering_threads() -> list[threading.Thread]:
    """Threads that would keep the interpreter from exiting (non-daemon, alive, not this one)."""
    current = threading.current_thread()
    return [t for t in threading.enumerate() if t is not current and t.is_alive() and not t.daemon]


def exit_abandoning_lingering_calls(code: int) -> int:
    """Return ``code`` if nothing lingers; else log the abandoned calls and end the process now."""
    lingering = lingering_threads()
    if not lingering:
        return code
    log.warning("Exiting with %d call(s) still running in %s: abandoned", len(lingering),
                ", ".join(sorted(t.name for t in lingering)))
    _flush_logs()
    os._exit(code)


class ExitWatchdog:
    def __init__(self, seconds: float = HARD_EXIT_SECONDS) -> None:
        self.seconds = seconds
        self._timer: threading.Timer | None = None

    def arm(self) -> None:
        if self._timer is None:
            self._timer = threading.Timer(self.seconds, self._fire)
            self._timer.name = "hmi-exit-watchdog"
            self._timer.daemon = True
            self._timer.start()

    def disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _fire(self) -> None:
        log.error("Stopping took longer than %g s; exiting now", self.seconds)
        _flush_logs()
        os._exit(EXIT_WATCHDOG_FIRED)

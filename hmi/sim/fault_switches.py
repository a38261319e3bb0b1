"""Switching a fake's faults: the same three calls on both fake Odoos (hmi.sim.odoo, hmi.sim.stock_http).

A fake's faults are one dataclass (``OdooFaults``, ``StockFaults``) whose ``check()`` raises TypeError on a
value of the wrong type; the fake holds it as ``faults`` under its ``_lock``. Faults also arrive as JSON over
``POST /fake/faults``, so every change is checked before it takes effect.
"""

from __future__ import annotations

import copy
import dataclasses
import logging
import threading
from typing import Any, Generic, Protocol, TypeVar

log = logging.getLogger("hmi.sim.odoo")


class CheckedFaults(Protocol):
    def check(self) -> None: ...


F = TypeVar("F", bound=CheckedFaults)


class FaultSwitches(Generic[F]):
    """set_faults / clear_faults / faults_snapshot, for a fake with ``faults`` (a dataclass) and ``_lock``."""

    faults: F
    _lock: threading.RLock

    def set_faults(self, **changes: Any) -> F:
        """Change some faults, e.g. set_faults(http_500=True). Unknown names raise TypeError."""
        with self._lock:
            faults = dataclasses.replace(self.faults, **changes)  # type: ignore[type-var]  # F is a dataclass
            faults.check()
            self.faults = faults
            log.info("Faults now %s", self.faults)
            return copy.deepcopy(self.faults)

    def clear_faults(self) -> None:
        """Every fault off (the dataclass's defaults)."""
        with self._lock:
            self.faults = type(self.faults)()

    def faults_snapshot(self) -> F:
        with self._lock:
            return copy.deepcopy(self.faults)

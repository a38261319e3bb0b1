"""Crash points: named places in the service layer where a test can stop the process dead.

The model-based test (tests/explore) must reach a crash *between* any two steps of a sync, a
completion round or a Clear: after the rows were stored but before the PLC was written, after
the PLC took the recipes but before that was recorded, after Odoo took the consumption but
before it was marked done, and so on. The services call :func:`crash_point` at each such
place. In production nothing is armed and the call returns at once.

An armed point raises :class:`SimulatedCrash`, a ``BaseException`` so that no ``except
Exception`` in the services can swallow it: the rest of the coroutine never runs, exactly as
if the process had died there. What was committed stays committed; what was not is rolled back
with its connection. The test then abandons the runtime and starts a new one on the same
database and PLC, as a restart would.
"""

from __future__ import annotations

from typing import Callable

#: Every point the services pass, in the order a cycle reaches them (the test picks from these).
POINTS = (
    "sync.after_store",            # pending rows and ledger reservations committed, PLC not written
    "sync.after_plc_write",        # the PLC took the recipes, nothing recorded yet
    "sync.after_mark_downloaded",  # recorded on_plc
    "poll.after_reading",          # a reading (maybe the DONE one) stored, the read flag not set yet
    "completion.after_push",       # Odoo took the consumption, not recorded as reported yet
    "completion.after_reported",   # recorded as reported, Odoo not asked to mark the MO done
    "completion.after_mark_done",  # Odoo marked the MO done, not recorded yet
    "clear.after_archive",         # Clear committed, the PLC's WRITE slots not blanked yet
    "failures.after_store",        # an equipment-failure occurrence stored, the PLC's flag not acknowledged
    "failures.after_plc_ack",      # the PLC took the acknowledgement, not recorded yet
    "failures.after_report",       # Odoo took a failure report, not recorded as reported yet
)


class SimulatedCrash(BaseException):
    """Raised by an armed crash point: the process 'dies' here (tests only)."""


_armed: Callable[[str], bool] | None = None


def arm(decide: Callable[[str], bool] | None) -> None:
    """Arm the points for which ``decide(name)`` is true (None disarms all). Tests only."""
    global _armed
    _armed = decide


def crash_point(name: str) -> None:
    """Die here if a test armed this point; otherwise nothing."""
    if name not in POINTS:
        raise ValueError(f"unknown crash point {name!r}")
    if _armed is not None and _armed(name):
        raise SimulatedCrash(name)

"""LineOwnership: may this instance automate its line right now?

The fence (hmi.store.fencing) refuses every write once the instance has lost its line. This
object makes the services stop *before* they try: sync, poll and completion ask :meth:`allows`
at the start of each round and skip the round while the line is lost, and the sync asks again
right before it writes the PLC. Losing the line raises the CRITICAL alarm
``line.ownership_lost`` (banner, alarm dock, overview) and one CRITICAL log line; after the
lock is taken again (hmi.app.runtime) the instance reconciles with the PLC first (the sync's
settling of unconfirmed rows), and only then resumes and returns the alarm to normal.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from hmi.operator_text import QT_TRANSLATE_NOOP, OperatorText
from hmi.store.fencing import LineFence

if TYPE_CHECKING:
    from hmi.services.alarms import AlarmService

log = logging.getLogger("hmi.ownership")

ALARM_KIND = "line.ownership_lost"


class LineOwnership:
    def __init__(self, fence: LineFence | None, alarms: "AlarmService | None" = None) -> None:
        self.fence = fence
        self.alarms = alarms
        #: The lock was taken again; the PLC has not been asked yet what happened meanwhile.
        self.reconciling = False
        self._said: str | None = None  # the loss already reported (alarm raised, line logged)

    @property
    def lost(self) -> str | None:
        """Why this instance may not automate its line (None: it may)."""
        if self.fence is None:
            return None
        if self.fence.lost is not None:
            return self.fence.lost
        if self.reconciling:
            return "the line lock was taken again; reconciling with the PLC first"
        return None

    @property
    def ok(self) -> bool:
        return self.lost is None

    async def allows(self, what: str) -> bool:
        """True when ``what`` (a sync, a poll, a completion round) may run; else say why, once."""
        reason = self.lost
        if reason is None:
            return True
        await self.report(reason)
        log.debug("%s skipped: %s", what, reason)
        return False

    async def report(self, reason: str) -> None:
        """The line is lost: say it once, with the CRITICAL alarm."""
        if self._said == reason or (self._said is not None and self.reconciling):
            return
        self._said = reason
        log.critical("This instance does not own its line any more (%s): no sync, download, poll or completion "
                     "until it holds the line again", reason)
        if self.alarms is not None:
            try:
                await self.alarms.raise_alarm(ALARM_KIND, OperatorText(QT_TRANSLATE_NOOP("OperatorText",
                    "This instance lost its line and stopped: {reason}"), reason=reason))
            except Exception as exc:  # noqa: BLE001 - the database may be what went away; the log has it
                log.debug("line.ownership_lost alarm not stored: %s", exc)

    async def resumed(self) -> None:
        """Reconciled after taking the lock again: automation goes on."""
        self.reconciling = False
        if self._said is None:
            return
        self._said = None
        log.warning("This instance holds its line again (epoch %d) and has reconciled with the PLC; automation "
                    "goes on", self.fence.epoch if self.fence else 0)
        if self.alarms is not None:
            await self.alarms.clear(ALARM_KIND)

"""EquipmentFailureService: take the PLC's equipment-failure records into the plant's records.

The PLC program writes a record (equipment code, info text, its clock in BCD) into the failure
area and flags it new (handshake word 0); the HMI stores it and acknowledges it (handshake word 1)
so the PLC can show the next one.

**One row per PLC record, an occurrence counter** (hmi.store.equipment_failures): line, equipment
code, PLC time (as read, also invalid BCD) and text identify a record. A new flag on a record whose
latest occurrence we acknowledged is a new occurrence — the PLC raised it again, even with an
invalid clock and the same text — so it is counted (``occurrences`` + 1), logged, and reported to
Odoo again. A new flag on a record stored but not yet acknowledged (a restart or a failed write in
between) is the same occurrence: only the acknowledgement is written again.

**The poll never waits for Odoo.** ``check`` (after each good poll) reads, stores and acknowledges
— database and PLC only. ``report_outstanding`` (the scheduler's completion tick, and
``Runtime.poll_and_complete``) reports every occurrence Odoo has not heard of, from the table, so a
crash anywhere repeats nothing and loses nothing: the row is written before the PLC flag is
acknowledged, and marked reported only after Odoo accepted it. A report covers the occurrences
Odoo has not heard of: the first as the PLC's text, a later one with "(occurrence N)" or
"(occurrences N-M)" after it. Refused reports are retried with a growing pause.

A record that cannot be read fully (invalid BCD, unreadable text) is stored with what could be
read and a note. Nothing here raises into the poll or the completion tick.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable

from sqlalchemy.exc import SQLAlchemyError

from hmi.odoo import OdooError
from hmi.odoo.errors import OdooApplicationError
from hmi.plc.errors import PlcError
from hmi.plc.failure_area import PlcFailureRecord
from hmi.services.crash_points import crash_point
from hmi.services.messages import first_line
from hmi.clock import PlantClock
from hmi.store import DbRunner
from hmi.store.equipment_failures import AGAIN, FIRST, SAME, EquipmentFailureStore
from hmi.records import StoredFailure

if TYPE_CHECKING:
    from hmi.plc.link import PlcLink

log = logging.getLogger("hmi.failures")

#: The pause after the first refused or failed report; it doubles with each failed round ...
REPORT_RETRY_FIRST_SECONDS = 5.0
#: ... up to this.
REPORT_RETRY_MAX_SECONDS = 300.0


@dataclass
class FailureCheck:
    stored: StoredFailure | None = None
    #: FIRST, AGAIN or SAME (hmi.store.equipment_failures); None when it could not be stored.
    outcome: str | None = None
    acknowledged: bool = False

    @property
    def new(self) -> bool:
        """A new occurrence was counted (a record never seen, or one the PLC raised again)."""
        return self.outcome in (FIRST, AGAIN)


class EquipmentFailureService:
    def __init__(self, store: EquipmentFailureStore, db: DbRunner, plc: "PlcLink", odoo: Any,
                 line: str | None = None, clock: PlantClock | None = None) -> None:
        self.store = store
        self.db = db
        self.plc = plc
        self.odoo = odoo
        self.line = line
        #: The plant's wall clock: a report's date when the PLC's own clock does not apply.
        self.clock = clock or PlantClock()
        self.retry_first_seconds = REPORT_RETRY_FIRST_SECONDS
        self.retry_max_seconds = REPORT_RETRY_MAX_SECONDS
        self._failed_at = 0.0
        self._failed_rounds = 0
        #: Occurrences may wait for Odoo (set at start, by each new occurrence, by a failed round).
        self._outstanding = True
        #: Open occurrences may have been acknowledged on the PLC without the row saying so.
        self._settle = True
        self._reporting = asyncio.Lock()
        self._said: set[tuple] = set()
        # Read the failure area with every scan (inside the scan's last request where the map allows).
        plc.watch_failure_area = plc.has_failure_area

    # ---- the poll's part: read, store, acknowledge (never Odoo) ---------------------------------
    async def check(self) -> FailureCheck | None:
        """Handle the failure record the last scan read (None when there was none to handle)."""
        try:
            return await self._check()
        except Exception:  # noqa: BLE001 - the poll must go on whatever happens here
            log.exception("Equipment failure check failed")
            return None

    async def _check(self) -> FailureCheck | None:
        record = self.plc.take_failure_record()
        if record is None:
            return None
        if not record.is_new:
            if record.flag == 1 and self._settle:
                await self._close_open_occurrences()
            return None
        return await self._take(record)

    async def _close_open_occurrences(self) -> None:
        """The PLC shows its record acknowledged: an open occurrence (our write got through, then
        the service stopped or the database failed before the row said so) is closed, so that the
        PLC raising that record again counts."""
        try:
            await self.db(self.store.close_open_occurrences, self.line)
        except SQLAlchemyError as exc:
            log.debug("Closing acknowledged equipment-failure occurrences waits for the database: %s",
                      first_line(exc))
            return
        self._settle = False

    async def _take(self, record: PlcFailureRecord) -> FailureCheck:
        result = FailureCheck()
        notes = "; ".join(record.notes) or None
        try:
            stored, outcome = await self.db(
                self.store.record, equipment_code=record.equipment_code or "(unreadable)", info=record.info,
                failure_time=record.occurred_at, failure_time_text=record.time_text, notes=notes, line=self.line)
        except Exception as exc:  # noqa: BLE001 - database away: the PLC keeps the flag, next scan retries
            self._once(("db",), logging.ERROR, "Cannot store the PLC's equipment failure record of %s, "
                       "it stays unacknowledged on the PLC until the database is back: %s",
                       record.equipment_code, first_line(exc))
            return result
        self._said.discard(("db",))
        result.stored, result.outcome = stored, outcome
        note = f" - note: {notes}" if notes else ""
        if outcome == FIRST:
            log.warning("Equipment failure on %s: %s (PLC time %s)%s", stored.equipment_code, stored.info,
                        stored.failure_time_text, note)
        elif outcome == AGAIN:
            log.warning("Equipment failure on %s: %s (PLC time %s) again, occurrence %d%s", stored.equipment_code,
                        stored.info, stored.failure_time_text, stored.occurrences, note)
        if outcome != SAME:
            self._outstanding = True
        crash_point("failures.after_store")
        try:
            await self.plc.acknowledge_failure()
        except PlcError as exc:
            self._once(("ack",), logging.WARNING, "Could not acknowledge the equipment failure record on the PLC "
                       "(stored; tried again at the next poll): %s", exc)
            return result
        self._said.discard(("ack",))
        crash_point("failures.after_plc_ack")
        try:
            await self.db(self.store.mark_plc_acknowledged, stored.id)
        except Exception as exc:  # noqa: BLE001 - the PLC has it: the next acknowledged read closes the occurrence
            self._settle = True
            self._once(("db",), logging.ERROR, "Cannot record that the PLC has the equipment failure record of %s "
                       "(recorded at a later poll): %s", stored.equipment_code, first_line(exc))
            return result
        result.acknowledged = True
        return result

    # ---- Odoo's part: off the poll ---------------------------------------------------------------
    async def report_outstanding(self) -> int:
        """Report every stored occurrence Odoo has not heard of; how many records were reported.

        Called by the completion tick, never by the poll. One round at a time (a second caller
        returns at once); after a refused or failed report the next round waits (5 s, doubling up
        to 5 minutes). Never raises.
        """
        if self._reporting.locked() or not self._outstanding or self._pausing():
            return 0
        async with self._reporting:
            try:
                return await self._report_round()
            except SQLAlchemyError as exc:
                # The database is away: the poll and completion report that outage once; tried again later.
                log.debug("Equipment failure reports wait for the database: %s", first_line(exc))
            except Exception:  # noqa: BLE001 - a defect: tried again after the pause, with its traceback
                log.exception("Reporting equipment failures to Odoo failed")
            self._outstanding = True
            self._back_off()
            return 0

    async def _report_round(self) -> int:
        report = getattr(self.odoo, "report_equipment_failure", None)
        if report is None:
            self._once(("no-route",), logging.INFO, "Equipment failures are not reported to Odoo: the configured "
                       "Odoo protocol has no equipment-failure endpoint (grt_scada only)")
            self._outstanding = False
            return 0
        self._outstanding = False  # a new occurrence counted meanwhile sets it again
        reported, failed = 0, False
        for stored in await self.db(self.store.unreported, self.line):
            outcome = await self._report(report, stored)
            if outcome is None:  # Odoo cannot be reached or did not answer: the rest waits too
                failed = True
                break
            reported += outcome
            failed = failed or not outcome  # this record refused: the others still go
        if failed:
            self._outstanding = True
            self._back_off()
        else:
            self._failed_rounds = 0
        return reported

    async def _report(self, report: Callable, stored: StoredFailure) -> bool | None:
        """True: reported; False: Odoo refused this record; None: Odoo unreachable or no answer."""
        through = stored.occurrences
        try:
            await report(stored.equipment_code, self.description(stored), self.report_date(stored))
        except (OdooError, ValueError) as exc:
            await self.db(self.store.mark_report_failed, stored.id, str(exc))
            self._once(("report", stored.id), logging.WARNING,
                       "Equipment failure of %s not reported to Odoo yet, will retry: %s", stored.equipment_code, exc)
            return False if isinstance(exc, (OdooApplicationError, ValueError)) else None
        crash_point("failures.after_report")
        await self.db(self.store.mark_reported, stored.id, through)
        self._said.discard(("report", stored.id))
        if through > 1:
            log.info("Equipment failure of %s reported to Odoo (occurrence %d)", stored.equipment_code, through)
        else:
            log.info("Equipment failure of %s reported to Odoo", stored.equipment_code)
        return True

    @staticmethod
    def description(stored: StoredFailure) -> str:
        """The PLC's text (and the read notes); a later occurrence says which."""
        text = stored.info + (f" ({stored.notes})" if stored.notes else "")
        first, last = stored.reported_occurrences + 1, stored.occurrences
        if last <= 1:
            return text
        return f"{text} (occurrence {last})" if first >= last else f"{text} (occurrences {first}-{last})"

    def report_date(self, stored: StoredFailure) -> datetime:
        """The PLC's clock for a first occurrence it could be read for; otherwise when the latest
        occurrence was read, on the plant's clock (the PLC's time is the same for every occurrence)."""
        if stored.occurrences <= 1 and stored.failure_time is not None:
            return stored.failure_time
        return self.clock.local(stored.last_occurred_at).replace(tzinfo=None)

    def _back_off(self) -> None:
        self._failed_rounds += 1
        self._failed_at = time.monotonic()

    def _pausing(self) -> bool:
        """Within the pause after a failed round (the first pause, doubled with each failed round)."""
        if not self._failed_rounds:
            return False
        pause = min(self.retry_max_seconds, self.retry_first_seconds * 2 ** (self._failed_rounds - 1))
        return time.monotonic() < self._failed_at + pause

    # ---- what the window and the API show -------------------------------------------------------
    async def list(self, **filters: Any) -> list[StoredFailure]:
        """Latest occurrence first; filters: equipment_code, text, unacknowledged_only, limit, offset."""
        return await self.db(lambda: self.store.list(line=self.line, **filters))

    async def unacknowledged_count(self) -> int:
        return await self.db(self.store.unacknowledged_count, self.line)

    async def acknowledge(self, failure_id: int, actor: str) -> bool:
        """An operator has seen it; audited with who did it."""
        done = await self.db(self.store.acknowledge, failure_id, actor)
        if done:
            log.info("Equipment failure %d acknowledged by %s", failure_id, actor, extra={"actor": actor})
        return done

    def _once(self, key: tuple, level: int, message: str, *args: Any) -> None:
        if key in self._said:
            return
        self._said.add(key)
        log.log(level, message, *args)

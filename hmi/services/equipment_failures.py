"""EquipmentFailureService: take the PLC's equipment-failure records into the plant's records.

The PLC program writes a record (equipment code, info text, its clock in BCD) into the failure
area and flags it new (handshake word 0). After each good poll the poll service calls ``check``:
a new record is stored once (equipment, PLC time and text identify it), logged as a WARNING
naming equipment and text, reported to Odoo once, and then acknowledged on the PLC (handshake
word 1) so the PLC can show the next one. A restart anywhere in between repeats nothing: the
record is found stored, an unreported one is reported, and the flag is acknowledged.

A record that cannot be read fully (invalid BCD, unreadable text) is stored with what could be
read and a note. Nothing here raises into the poll.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import SQLAlchemyError

from hmi.odoo import OdooError
from hmi.plc.errors import PlcError
from hmi.plc.failure_area import PlcFailureRecord
from hmi.services.messages import first_line
from hmi.store import DbRunner
from hmi.store.equipment_failures import EquipmentFailureStore, StoredFailure

if TYPE_CHECKING:
    from hmi.plc.link import PlcLink

log = logging.getLogger("hmi.failures")

#: Seconds between retries of reports Odoo refused or could not take.
REPORT_RETRY_SECONDS = 60.0


@dataclass
class FailureCheck:
    stored: StoredFailure | None = None
    new: bool = False
    reported: bool = False
    acknowledged: bool = False


class EquipmentFailureService:
    def __init__(self, store: EquipmentFailureStore, db: DbRunner, plc: "PlcLink", odoo: Any,
                 line: str | None = None, report_retry_seconds: float = REPORT_RETRY_SECONDS) -> None:
        self.store = store
        self.db = db
        self.plc = plc
        self.odoo = odoo
        self.line = line
        self.report_retry_seconds = report_retry_seconds
        self._next_retry = 0.0
        self._retry_task: asyncio.Task | None = None
        self._report_lock = asyncio.Lock()  # the background retry and a new record never report one row twice
        self._said: set[tuple] = set()
        # Read the failure area with every scan (inside the scan's last request where the map allows).
        plc.watch_failure_area = plc.register_map.failure_area is not None

    async def check(self) -> FailureCheck | None:
        """Handle the failure record the last scan read (None when there was none to handle)."""
        try:
            return await self._check()
        except Exception:  # noqa: BLE001 - the poll must go on whatever happens here
            log.exception("Equipment failure check failed")
            return None

    async def _check(self) -> FailureCheck | None:
        record = self.plc.take_failure_record()
        if record is None or not record.is_new:
            self._start_retry()
            return None
        return await self._take(record)

    def _start_retry(self) -> None:
        """Retry refused reports in the background: a slow Odoo must not hold up the poll."""
        if time.monotonic() < self._next_retry or (self._retry_task is not None and not self._retry_task.done()):
            return
        self._next_retry = time.monotonic() + self.report_retry_seconds
        self._retry_task = asyncio.create_task(self._retry_reports(), name="equipment-failure-reports")

    async def stop(self) -> None:
        """Cancel a report retry in flight (the record stays unreported and is retried next start)."""
        task, self._retry_task = self._retry_task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _take(self, record: PlcFailureRecord) -> FailureCheck:
        result = FailureCheck()
        notes = "; ".join(record.notes) or None
        try:
            stored, created = await self.db(
                self.store.store, equipment_code=record.equipment_code or "(unreadable)", info=record.info,
                failure_time=record.occurred_at, failure_time_text=record.time_text, notes=notes, line=self.line)
        except Exception as exc:  # noqa: BLE001 - database away: the PLC keeps the flag, next scan retries
            self._once(("db",), logging.ERROR, "Cannot store the PLC's equipment failure record of %s, "
                       "it stays unacknowledged on the PLC until the database is back: %s",
                       record.equipment_code, str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
            return result
        self._said.discard(("db",))
        result.stored, result.new = stored, created
        if created:
            log.warning("Equipment failure on %s: %s (PLC time %s)%s", stored.equipment_code, stored.info,
                        stored.failure_time_text, f" - note: {notes}" if notes else "")
        if stored.reported_at is None:
            result.reported = await self._report(stored)
        try:
            await self.plc.acknowledge_failure()
        except PlcError as exc:
            self._once(("ack",), logging.WARNING, "Could not acknowledge the equipment failure record on the PLC "
                       "(stored; tried again at the next poll): %s", exc)
            return result
        self._said.discard(("ack",))
        await self.db(self.store.mark_plc_acknowledged, stored.id)
        result.acknowledged = True
        return result

    async def _report(self, stored: StoredFailure) -> bool:
        async with self._report_lock:
            current = await self.db(self.store.get, stored.id)
            if current is not None and current.reported_at is not None:
                return True
            return await self._report_now(stored)

    async def _report_now(self, stored: StoredFailure) -> bool:
        report = getattr(self.odoo, "report_equipment_failure", None)
        if report is None:
            self._once(("no-route",), logging.INFO, "Equipment failures are not reported to Odoo: the configured "
                       "Odoo protocol has no equipment-failure endpoint (grt_scada only)")
            return False
        description = stored.info + (f" ({stored.notes})" if stored.notes else "")
        when = stored.failure_time or stored.read_at.replace(tzinfo=None)
        try:
            await report(stored.equipment_code, description, when)
        except (OdooError, ValueError) as exc:
            await self.db(self.store.mark_report_failed, stored.id, str(exc))
            self._once(("report", stored.id), logging.WARNING,
                       "Equipment failure of %s not reported to Odoo yet, will retry: %s", stored.equipment_code, exc)
            self._next_retry = time.monotonic() + self.report_retry_seconds
            return False
        await self.db(self.store.mark_reported, stored.id)
        log.info("Equipment failure of %s reported to Odoo", stored.equipment_code)
        return True

    async def _retry_reports(self) -> None:
        if getattr(self.odoo, "report_equipment_failure", None) is None:
            return
        try:
            for stored in await self.db(self.store.unreported, self.line):
                if not await self._report(stored):
                    return
        except SQLAlchemyError as exc:
            # The database is away: the poll and completion report that outage once; tried again later.
            log.debug("Equipment failure reports wait for the database: %s", first_line(exc))
        except Exception:  # noqa: BLE001 - a defect: tried again at the next interval, with its traceback
            log.exception("Retrying equipment failure reports failed")

    # ---- what the window and the API show -------------------------------------------------------
    async def list(self, **filters: Any) -> list[StoredFailure]:
        """Newest first; filters: equipment_code, text, unacknowledged_only, limit, offset."""
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

"""PollService: read the PLC's READ slots and bring mo_batch up to date.

A slot is matched to a row by batch_no AND the PLC key (the MO name, or its short key when
the name does not fit the PLC's text field). A row the PLC already marked complete is never
changed (the seed's "Data Protection During PLC Read"). A batch the PLC reports failed
(status_operation = 1) is recorded as such; cancelling it in Odoo and archiving it is the
CompletionService's job, driven by the stored row, so it happens whatever the PLC does with
the slot afterwards. A finished slot gets its read flag set so the PLC knows the HMI has seen it.

The poll talks to the PLC and the database only, never to Odoo: a hanging Odoo can never
delay a PLC reading.

Where the register map has the PLC's manual-weighing area (a scale station for the hand-added
components, origin D9000…), the same scan reads it; a new weighing (flag 0) confirms the matching
line of the batch's hand-added checklist (source "plc") through the HandAddService, and its flag is
set so the PLC can show the next one. A weighing that cannot be taken (no such batch or component,
implausible) is named in a WARNING and acknowledged too: the operator confirms that one by hand.

Repeated conditions (a protected batch, an implausible value, a slot holding an MO we do
not know) are logged once per batch, not once per poll: at 1 Hz a plant-floor log would
otherwise fill with the same line.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from hmi.domain import ConnectionState, DownloadState, FencedOut, HandAddSource, ManualWeighingReading, PlcSlotReading
from hmi.operator_text import QT_TRANSLATE_NOOP, OperatorText
from hmi.plc.errors import PlcConnectionError, PlcError, PlcTimeoutError
from hmi.services.crash_points import crash_point
from hmi.services.flight import Busy, SingleFlight
from hmi.services.hand_add import HandAddRefused, HandAddService
from hmi.services.messages import first_line
from hmi.services.sync import held_alarm_text
from hmi.store import BatchStore, DbRunner, ReadingResult

if TYPE_CHECKING:
    from hmi.domain import Batch
    from hmi.plc.link import PlcLink
    from hmi.services.alarms import AlarmService
    from hmi.services.health import HealthMonitor
    from hmi.services.ownership import LineOwnership
    from hmi.services.readings import ReadingRecorder

log = logging.getLogger("hmi.poll")

#: The actor of a confirmation read from the PLC's manual-weighing area.
PLC_SCALE_ACTOR = "PLC scale"


@dataclass
class PollReport:
    read: int = 0
    updated: int = 0
    protected: int = 0
    done: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    error: str | None = None
    #: "MO product_id" of a manual weighing taken into the hand-added checklist by this poll.
    weighed: list[str] = field(default_factory=list)


class PollService:
    def __init__(
        self,
        store: BatchStore,
        db: DbRunner,
        plc: "PlcLink",
        max_kg_per_silo: float = 5000.0,
        line: str | None = None,
        alarms: "AlarmService | None" = None,
        health: "HealthMonitor | None" = None,
        recorder: "ReadingRecorder | None" = None,
        hand_add: "HandAddService | None" = None,
        ownership: "LineOwnership | None" = None,
    ) -> None:
        self.alarms = alarms
        self.ownership = ownership
        self.health = health
        self.store = store
        self.hand_add = hand_add
        self.db = db
        self.plc = plc
        self.max_kg_per_silo = max_kg_per_silo
        self.line = line
        #: Keeps the dosing samples (changed values only, one INSERT per round); None = not recorded.
        self.recorder = recorder
        self.flight = SingleFlight("poll")
        self._said: set[tuple] = set()  # conditions already logged, so each is logged once
        self._read_failure: str | None = None  # why the READ area cannot be read, while that lasts
        self._manual_taken: ManualWeighingReading | None = None  # last weighing taken, until its flag is set
        #: EquipmentFailureService (set by the runtime): handles the failure record each good read carries.
        self.equipment_failures = None
        #: SyncService.withdraw_orphaned_recipes (set by the runtime): run after the first good read since
        #: the start, so that recipes a Clear cut off by a crash left in the WRITE slots are blanked
        #: before the PLC can take them, without waiting for the first sync.
        self.withdraw_orphaned_recipes = None
        self._orphans_checked = False

    async def poll(self) -> PollReport | None:
        """One poll; None if the previous one is still running (this tick is skipped)."""
        try:
            return await self.flight.run(self._poll)
        except Busy:
            log.debug("PLC poll still running; tick skipped")
            return None

    async def _poll(self) -> PollReport:
        report = PollReport()
        if self.ownership is not None and not await self.ownership.allows("PLC poll"):
            report.error = f"not polled: {self.ownership.lost}"
            return report
        try:
            return await self._poll_owned(report)
        except FencedOut as exc:
            report.error = f"stopped: {exc}"
            if self.ownership is not None:
                await self.ownership.report(str(exc))
            return report

    async def _poll_owned(self, report: PollReport) -> PollReport:
        try:
            scan = await self.plc.scan()
        except PlcError as exc:
            report.error = str(exc)
            self._read_failed(exc)
            await self._plc_alarm(exc)
            return report
        if self._read_failure is not None:
            log.info("PLC poll reading again (it failed with: %s)", self._read_failure)
            self._read_failure = None
        await self._plc_alarm(None)
        if not self._orphans_checked and self.withdraw_orphaned_recipes is not None:
            self._orphans_checked = await self.withdraw_orphaned_recipes()
        if self.equipment_failures is not None:
            await self.equipment_failures.check()
        try:
            batches = await self.db(self.store.list_batches, self.line)
        except Exception as exc:  # noqa: BLE001 - database away (restart, lock): try again next poll
            report.error = f"Cannot read mo_batch: {exc}"
            self._once(("db",), logging.ERROR, "Cannot read mo_batch, PLC readings are not stored until "
                       "the database is back: %s", first_line(exc))
            if self.alarms is not None:
                await self.alarms.raise_alarm("database.unreachable", OperatorText(QT_TRANSLATE_NOOP("OperatorText",
                    "The database does not answer, PLC readings are not stored: {error}"),
                    error=first_line(exc)))
            return report
        if ("db",) in self._said:
            self._said.discard(("db",))
            log.info("Database reachable again; PLC readings are stored again")
        if self.alarms is not None:
            await self.alarms.clear("database.unreachable")
            await self._table_alarms(batches)
        readings = scan.slots
        rows = {(b.batch_no, b.plc_key): b for b in batches}
        expected_slots = {batch_no for batch_no, _ in rows}
        seen: set[str] = set()
        for reading in readings:
            if reading.is_empty:
                continue
            report.read += 1
            if (reading.batch_no, reading.mo_id) not in rows:
                if reading.batch_no in expected_slots:
                    self._once(("foreign", reading.slot, reading.mo_id), logging.WARNING,
                               "PLC slot %d reports MO %r as batch %d, which is not the batch stored for that "
                               "number; its readings are ignored",
                               reading.slot, reading.mo_id, reading.batch_no)
                continue
            row = rows[(reading.batch_no, reading.mo_id)]
            seen.add(row.mo_id)
            await self._apply(reading, row.mo_id, report)
            if self.recorder is not None and not row.status_manufacturing:
                self.recorder.observe(reading, row)
        self._forget_except(seen)
        if self.recorder is not None:
            self.recorder.forget_except({(b.mo_id, b.batch_no) for b in batches})
            await self.recorder.flush()
        if scan.manual_weighing is not None:
            await self._take_manual_weighing(scan.manual_weighing, rows, report)
        return report

    async def _take_manual_weighing(self, weighing: ManualWeighingReading, rows: dict[tuple[int, str], "Batch"],
                                    report: PollReport) -> None:
        if weighing.is_empty or weighing.status_read_data or self.hand_add is None:
            self._manual_taken = None
            return
        if weighing != self._manual_taken:  # a new weighing (not one whose flag could not be set yet)
            row = rows.get((weighing.batch_no, weighing.mo_id))
            what = f"product {weighing.product_id}, {weighing.kg:g} kg for batch {weighing.batch_no} ({weighing.mo_id})"
            if row is None:
                log.warning("PLC manual weighing of %s not taken: no such batch in the table; confirm it in the "
                            "batch details", what)
            else:
                try:
                    await self.hand_add.confirm(row.mo_id, weighing.product_id, weighing.kg, PLC_SCALE_ACTOR,
                                                source=HandAddSource.PLC)
                except HandAddRefused as exc:
                    log.warning("PLC manual weighing of %s not taken: %s; confirm it in the batch details", what,
                                exc, extra={"mo_id": row.mo_id})
                except Exception as exc:  # noqa: BLE001 - database away: the flag stays 0, the next poll retries
                    self._once(("db",), logging.ERROR, "Cannot store the PLC manual weighing of %s: %s", what,
                               first_line(exc))
                    return
                else:
                    report.weighed.append(f"{row.mo_id} {weighing.product_id}")
            self._manual_taken = weighing
        try:
            await self.plc.acknowledge_manual_weighing()
        except PlcError as exc:
            self._once(("ack", "manual"), logging.WARNING, "Could not set the read flag of the PLC's manual "
                       "weighing: %s", exc)

    def _read_failed(self, exc: PlcError) -> None:
        """Say once why polls fail. Lost connections and timeouts are the link's to report (it logs
        each outage once); an exception answer (the PLC refuses the read) is reported here, or a
        plant would see readings stop without a word in the log."""
        if isinstance(exc, (PlcConnectionError, PlcTimeoutError)) or self._read_failure is not None:
            return
        self._read_failure = str(exc)
        log.warning("PLC poll failed, batch progress is not updated until it reads again: %s", exc)

    async def _apply(self, reading: PlcSlotReading, mo_id: str, report: PollReport) -> None:
        context = {"mo_id": mo_id, "batch_no": reading.batch_no}
        try:
            result = await self.db(self.store.apply_plc_reading, reading, self.max_kg_per_silo, None, self.line)
        except FencedOut:
            raise
        except Exception as exc:  # noqa: BLE001 - database away: try again next poll
            # One line per outage, not one per batch: every batch fails for the same reason.
            self._once(("db",), logging.ERROR, "Cannot store PLC reading of MO %s, PLC readings are not stored "
                       "until the database is back: %s", mo_id, first_line(exc), extra=context)
            return
        if result.outcome == ReadingResult.SKIPPED_DONE:
            report.protected += 1
            self._once(("protected", mo_id), logging.INFO,
                       "Skip update for MO %s: the batch is already complete and locked", mo_id, extra=context)
        elif result.outcome == ReadingResult.UPDATED:
            report.updated += 1
            if result.became_downloaded:
                log.warning("Batch %d (MO %s): the PLC reports it, so its unconfirmed download is recorded as "
                            "downloaded, not downloaded again", reading.batch_no, mo_id, extra=context)
            for rejected in result.rejected:
                self._once(("rejected", mo_id, rejected.split(":")[0]), logging.WARNING,
                           "Rejected PLC value for MO %s (batch %d): %s", mo_id, reading.batch_no,
                           rejected, extra=context)
            if result.became_failed:
                report.failed.append(mo_id)
                if self.alarms is not None:
                    await self.alarms.raise_alarm(
                        "batch.failed", OperatorText(QT_TRANSLATE_NOOP("OperatorText",
                            "Batch {batch} (MO {mo}) FAILED on the PLC"),
                            batch=reading.batch_no, mo=mo_id), mo_id, mo_id=mo_id, batch_no=reading.batch_no)
                log.warning("Batch %d (MO %s) FAILED on the PLC; it is cancelled in Odoo and archived",
                            reading.batch_no, mo_id, extra=context)
            elif result.became_done and result.reason:
                # A refused final reading: held for a person, never pushed with the earlier figures.
                report.done.append(mo_id)
                log.error("Batch %d (MO %s) DONE but held (ATTENTION): %s", reading.batch_no, mo_id, result.reason,
                          extra=context)
                if self.alarms is not None:
                    await self.alarms.raise_alarm(
                        "batch.reading_refused", OperatorText(QT_TRANSLATE_NOOP("OperatorText",
                            "Batch {batch} (MO {mo}) needs ATTENTION: its final PLC reading was refused: {reason}"),
                            batch=reading.batch_no, mo=mo_id, reason=result.reason),
                        mo_id, mo_id=mo_id, batch_no=reading.batch_no)
            elif result.became_done and not reading.status_operation:
                report.done.append(mo_id)
                log.info("Batch %d (MO %s) DONE: finished weight %g kg", reading.batch_no, mo_id,
                         reading.weight_finished_good, extra=context)

        crash_point("poll.after_reading")
        if reading.status_manufacturing and not reading.status_read_data:
            try:
                await self.plc.acknowledge_read(reading.slot)
            except PlcError as exc:
                self._once(("ack", reading.slot), logging.WARNING, "Could not set the read flag of PLC slot %d: %s",
                           reading.slot, exc)

    async def _plc_alarm(self, exc: PlcError | None) -> None:
        """plc.offline while the link is down, plc.stale while it is up but reads fail; both end at a good read."""
        if self.alarms is None:
            return
        if exc is None:
            await self.alarms.clear("plc.offline")
            await self.alarms.clear("plc.stale")
        elif isinstance(exc, PlcConnectionError) or self.plc.connection.state in (ConnectionState.DISCONNECTED,
                                                                                  ConnectionState.CONNECTING):
            await self.alarms.raise_alarm("plc.offline", OperatorText(QT_TRANSLATE_NOOP("OperatorText",
                "PLC {plc} offline: {error}"), plc=self.plc.connection.endpoint, error=str(exc)))
        else:
            await self.alarms.raise_alarm("plc.stale", OperatorText(QT_TRANSLATE_NOOP("OperatorText",
                "PLC {plc} readings fail, the table is not current: {error}"),
                plc=self.plc.connection.endpoint, error=str(exc)))

    async def _table_alarms(self, batches: list) -> None:
        """Held and stuck batches of the table, raised while they last."""
        held = {b.mo_id: b for b in batches if b.download_state is DownloadState.HELD}
        for mo_id, batch in held.items():
            reason = batch.hold_reason or OperatorText(QT_TRANSLATE_NOOP("OperatorText",
                "the download could not be confirmed"))
            await self.alarms.raise_alarm("batch.held", held_alarm_text(batch.batch_no, mo_id, reason), mo_id,
                                          mo_id=mo_id, batch_no=batch.batch_no)
        await self.alarms.clear_all("batch.held", keep=set(held))
        stuck = {b.mo_id: b for b in self.health.stuck_batches(batches)} if self.health is not None else {}
        for mo_id, batch in stuck.items():
            minutes = self.health.stuck_after.total_seconds() / 60
            await self.alarms.raise_alarm("batch.stuck", OperatorText(QT_TRANSLATE_NOOP("OperatorText",
                "Batch {batch} (MO {mo}) STUCK: no PLC progress for more than {minutes} minutes"),
                batch=batch.batch_no, mo=mo_id, minutes=f"{minutes:g}"), mo_id, mo_id=mo_id, batch_no=batch.batch_no)
        await self.alarms.clear_all("batch.stuck", keep=set(stuck))

    def _once(self, key: tuple, level: int, message: str, *args, extra: dict | None = None) -> None:
        if key in self._said:
            return
        self._said.add(key)
        log.log(level, message, *args, extra=extra)

    def _forget_except(self, mo_ids: set[str]) -> None:
        """Drop remembered conditions of batches that left the PLC's READ area."""
        self._said = {key for key in self._said if key[0] in ("foreign", "ack", "db") or key[1] in mo_ids}

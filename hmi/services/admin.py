"""AdminService: what the toolbar, the admin API and the tests ask of the running system.

Besides status and the sync trigger, it holds the operator's actions on batches, each
logged with who did it:

- **Clear** archives the batches of the line the operator was shown as ``cleared`` and puts
  their MOs on the Held list (they reached the PLC, which may still hold or dose them), then
  blanks the PLC's WRITE slots so it cannot take recipes it has not started. "Clear and
  release" is for a PLC that was reset: MOs that never started dosing are released, the others
  are held all the same. Batches the PLC finished or failed are never cleared: what they must
  report to Odoo stays in the table until it is reported (or a supervisor archives it).
- **Release** takes MOs off the Held list with a reason: the sync may fetch them again.
- Per batch: **Retry** (an ATTENTION batch is reported or cancelled again), **Cancel in
  Odoo** (a batch the PLC failed or that is held: cancelled in Odoo, its WRITE slot blanked,
  archived; its ledger row is closed, so it is never fetched again) and **Archive as failed**
  (archived and held, Odoo left as it is).

Every action is scoped to this instance's line: a batch or a held MO of another line sharing
the database is refused as "not in this line's table", whoever asks.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable, Protocol

from hmi.domain import Batch, BatchState, HistoryStatus, TableChanged
from hmi.odoo import OdooError
from hmi.operator_text import QT_TRANSLATE_NOOP, OperatorText
from hmi.plc.errors import PlcError
from hmi.services.crash_points import crash_point
from hmi.services.flight import SingleFlight
from hmi.services.health import HealthMonitor, SyncRecord
from hmi.services.sync import SyncOutcome, SyncService
from hmi.store import BatchStore, DbRunner
from hmi.store.audit_log import AuditLogStore
from hmi.records import AuditPage, DosedBooking, HeldMo
from hmi.store.bookings import BookingStore
from hmi.clock import utc_now
from hmi.store.repository import ClearResult
from hmi.records import HistoryPage

if TYPE_CHECKING:
    from hmi.odoo import AsyncOdooClient
    from hmi.services.alarms import AlarmService
    from hmi.plc.link import PlcLink
    from hmi.services.hand_add import HandAddService

log = logging.getLogger("hmi.admin")

#: Which per-batch action each state allows (the window offers only these).
BATCH_ACTIONS: dict[str, tuple[BatchState, ...]] = {
    "retry": (BatchState.ATTENTION,),
    "cancel": (BatchState.FAILED, BatchState.ATTENTION, BatchState.HELD),
    "archive_failed": (BatchState.FAILED, BatchState.ATTENTION, BatchState.HELD),
}


class ActionRefused(Exception):
    """A per-batch action or a release that does not apply; the message says why, for the operator."""

    @property
    def text(self) -> str:
        """Why, as given (an OperatorText the window shows in its language)."""
        return self.args[0] if self.args else ""


@dataclass(frozen=True)
class PlcLinkReport:
    """The PLC link as the health report sees it (no link: PLC_ENABLED=false)."""

    state: str
    endpoint: str
    last_good_read: datetime | None
    last_error: str | None


@dataclass(frozen=True)
class SchedulerStatus:
    """The scheduler's timers at one look (hmi.app.scheduler.Scheduler.status)."""

    auto_sync_enabled: bool
    interval_minutes: float
    batch_limit: int | None  # None: no sync service in this process
    poll_interval_seconds: float
    next_sync_at: datetime | None  # None: no sync timer running (auto-sync off)
    sync_running: bool


@dataclass(frozen=True)
class AlarmCounts:
    """Visible alarms (active or unacknowledged, not shelved) per priority, and how many are unacknowledged."""

    critical: int = 0
    high: int = 0
    medium: int = 0
    low: int = 0
    unacknowledged: int = 0


@dataclass(frozen=True)
class HealthReport:
    """One look at everything the plant depends on; ``healthy`` is the one verdict of it."""

    time: datetime
    healthy: bool
    plc: PlcLinkReport | None
    plc_quality: str
    odoo_state: str  # OK, FAULT or UNKNOWN (not contacted yet)
    odoo_last_contact: datetime | None
    odoo_last_error: str | None
    database_error: str | None  # None: the batch table could be read
    last_sync: SyncRecord | None
    consecutive_sync_failures: int
    alert: str | None
    stuck_batches: tuple[Batch, ...]
    attention_batches: tuple[Batch, ...]
    held_batches: tuple[Batch, ...]
    held_mos: int | None  # None: unknown (the database did not answer)
    system_log: dict[str, Any] | None
    scheduler: SchedulerStatus | None
    alarms: AlarmCounts | None


class SchedulerControl(Protocol):
    """Implemented by the Qt scheduler; the API and the window switch auto-sync through it."""

    @property
    def auto_sync_enabled(self) -> bool: ...

    def set_auto_sync_enabled(self, enabled: bool, actor: str) -> None: ...

    def status(self) -> SchedulerStatus: ...


class AdminService:
    def __init__(
        self,
        store: BatchStore,
        db: DbRunner,
        sync: SyncService,
        health: HealthMonitor,
        table_lock: asyncio.Lock,
        odoo: "AsyncOdooClient",
        plc: "PlcLink | None",
        line: str | None = None,
        alarms: "AlarmService | None" = None,
    ) -> None:
        self.alarms = alarms
        self.store = store
        self.db = db
        self.sync_service = sync
        self.health_monitor = health
        self.odoo = odoo
        self.plc = plc
        self.line = line
        self.scheduler: SchedulerControl | None = None
        #: The hand-added checklist (set by the composition root); the API and the window reach it here.
        self.hand_add: "HandAddService | None" = None
        #: The audit writer's counters (written, dropped by cause), set by the runtime.
        self.system_log_stats: Callable[[], dict[str, int] | None] | None = None
        self._clear_flight = SingleFlight("clear", exclusive_with=table_lock)

    async def list_batches(self):
        return await self.db(self.store.list_batches, self.line)

    async def clear(self, actor: str, plc_was_reset: bool = False, mo_ids: list[str] | None = None) -> ClearResult:
        """Archive this line's batches as ``cleared`` (with the actor), except the ones the PLC finished
        or failed (they stay until Odoo has heard of them).

        ``mo_ids``: the batches the operator was shown and confirmed; when the table holds others by
        now, nothing is cleared and :class:`TableChanged` says what it holds. Every cleared MO goes on
        the Held list, except, with ``plc_was_reset``, those that never started dosing (released).
        Then the PLC's WRITE slots are blanked, outside the database transaction. Waits for a
        running sync to finish first; refuses (Busy) a second clear.
        """

        async def work() -> ClearResult:
            try:
                result = await self.db(self.store.clear, actor, self.line, "Cleared by operator", plc_was_reset,
                                       mo_ids)
            except TableChanged as exc:
                log.warning("Clear by %s not done: the table changed since it was shown (it holds %s now)", actor,
                            ", ".join(exc.current) or "nothing", extra={"actor": actor})
                raise
            reset = " (the PLC was reset)" if plc_was_reset else ""
            log.warning("Batch table cleared by %s%s: %d batch(es) archived as cleared; held until released: %s; "
                        "released: %s; staying until reported to Odoo: %s", actor, reset, result.count,
                        ", ".join(result.held) or "none", ", ".join(result.released) or "none",
                        ", ".join(result.kept) or "none", extra={"actor": actor})
            crash_point("clear.after_archive")
            if result.count:
                await self._blank_write_slots(actor)
                await self._say_dosed(result.held, actor, "cleared")
            return result

        result = await self._clear_flight.run(work, wait_for_shared=True)
        await self.review_alarms()
        return result

    async def review_alarms(self) -> None:
        """After an operator changed the table or the Held list: batch alarms of MOs that left the
        table return to normal; mo.held is active while the Held list of this line is not empty."""
        if self.alarms is None:
            return
        try:
            batches = await self.db(self.store.list_batches, self.line)
            held = await self.db(self.store.ledger.list_held, self.line)
        except Exception as exc:  # noqa: BLE001 - the detectors report the database; try again next action
            log.debug("Alarm review skipped: %s", exc)
            return
        in_table = {b.mo_id for b in batches}
        for kind in ("odoo.push_failed", "batch.failed", "batch.held", "batch.stuck", "batch.reading_refused"):
            await self.alarms.clear_all(kind, keep=in_table)
        if held:
            names = ", ".join(h.mo_id for h in held[:5]) + (" …" if len(held) > 5 else "")
            await self.alarms.raise_alarm("mo.held", OperatorText(QT_TRANSLATE_NOOP("OperatorText",
                "{count} MO(s) on the Held list, not fetched until released: {names}"),
                count=len(held), names=names))
        else:
            await self.alarms.clear("mo.held")

    async def _blank_write_slots(self, actor: str, slots: list[int] | None = None) -> None:
        if self.plc is None:
            return
        try:
            await self.plc.clear_write_slots(slots)
        except PlcError as exc:
            log.warning("Clear: the PLC's WRITE slots could not be blanked (%s); recipes it has not taken yet "
                        "may still start until the next sync blanks them. The cleared MOs are held, so none is "
                        "downloaded again", exc,
                        extra={"actor": actor})

    async def held(self) -> list[HeldMo]:
        return await self.db(self.store.ledger.list_held, self.line)

    async def release(self, mo_ids: list[str], reason: str, actor: str) -> list[str]:
        """Take MOs off the Held list; the sync may fetch (and the PLC dose) them again."""
        reason = reason.strip()
        if not reason:
            raise ActionRefused(OperatorText(QT_TRANSLATE_NOOP("OperatorText", "A release needs a reason (what was checked on the PLC)")))
        if not mo_ids:
            raise ActionRefused(OperatorText(QT_TRANSLATE_NOOP("OperatorText", "No MO to release was named")))
        released = await self.db(self.store.ledger.release, mo_ids, reason, actor, self.line)
        not_held = sorted(set(mo_ids) - set(released))
        if not released:
            raise ActionRefused(OperatorText(QT_TRANSLATE_NOOP("OperatorText", "Not on the Held list: {mos}"),
                                             mos=", ".join(not_held)))
        if not_held:
            log.warning("Release by %s: not on this line's Held list, left as they are: %s", actor,
                        ", ".join(not_held), extra={"actor": actor})
        log.warning("Released from the Held list by %s: %s (reason: %s); the next sync may download them again",
                    actor, ", ".join(released), reason, extra={"actor": actor})
        await self.review_alarms()
        return released

    # ------------------------------------------------------------------ manual-booking list

    async def dosed_bookings(self, open_only: bool = True) -> list[DosedBooking]:
        """What the PLC dosed for failed, cancelled or cleared batches of this line: to book in Odoo by hand."""
        return await self.db(BookingStore(self.store.engine, self.line).list, open_only)

    async def _say_dosed(self, mo_ids, actor: str, how: str) -> None:
        """One WARNING naming what these archived MOs dosed: it is on the manual-booking list now."""
        if not mo_ids:
            return
        try:
            listed = [b for b in await self.dosed_bookings() if b.mo_id in set(mo_ids)]
        except Exception as exc:  # noqa: BLE001 - the rows are stored; only this line is lost
            log.debug("Booking list not read after %s: %s", how, exc)
            return
        by_mo: dict[str, list[str]] = {}
        for booking in listed:
            by_mo.setdefault(booking.mo_id, []).append(f"{booking.component}={booking.kg:g} kg")
        for mo_id, amounts in by_mo.items():
            log.warning("MO %s %s by %s after the PLC dosed %s: on the manual-booking list (Held MOs); book it in "
                        "Odoo and mark it booked", mo_id, how, actor, ", ".join(amounts),
                        extra={"actor": actor, "mo_id": mo_id})

    async def mark_booked(self, ids: list[int], actor: str) -> list[int]:
        """A person booked these dosed amounts in Odoo: they leave the open list (who and when are kept)."""
        if not ids:
            raise ActionRefused(OperatorText(QT_TRANSLATE_NOOP("OperatorText", "No booking was named")))
        marked = await self.db(BookingStore(self.store.engine, self.line).mark_booked, ids, actor, utc_now())
        if not marked:
            raise ActionRefused(OperatorText(QT_TRANSLATE_NOOP("OperatorText",
                "Not on this line's open booking list: {ids}"), ids=", ".join(str(i) for i in ids)))
        log.warning("Dosed amounts %s marked booked in Odoo by %s", ", ".join(str(i) for i in marked), actor,
                    extra={"actor": actor})
        return marked

    # ------------------------------------------------------------------ per-batch actions

    async def owns_batch(self, mo_id: str) -> bool:
        """The batch is in this line's table (every action on a batch is scoped to the instance's line)."""
        batch = await self.db(self.store.get_batch, mo_id)
        return batch is not None and (not self.line or batch.equipment_code == self.line)

    async def _batch_for(self, mo_id: str, action: str) -> Batch:
        batch = await self.db(self.store.get_batch, mo_id)
        if batch is None or (self.line and batch.equipment_code != self.line):
            raise ActionRefused(OperatorText(QT_TRANSLATE_NOOP("OperatorText", "MO {mo} is not in the batch table"),
                                             mo=mo_id))
        allowed = BATCH_ACTIONS[action]
        if batch.state not in allowed:
            words = " or ".join(state.value for state in allowed)
            raise ActionRefused(OperatorText(QT_TRANSLATE_NOOP("OperatorText", "MO {mo} is {state}; this action "
                                                                               "is for {states} batches"),
                                             mo=mo_id, state=batch.state.value, states=words))
        return batch

    async def retry_push(self, mo_id: str, actor: str) -> None:
        """An ATTENTION batch: report it to (or cancel it in) Odoo again from the first attempt."""
        batch = await self._batch_for(mo_id, "retry")
        if batch.status_manufacturing and batch.hold_reason or not await self.db(self.store.outbox.retry_push, mo_id):
            # Its final reading was refused: a retry would report the earlier, stale figures.
            raise ActionRefused(OperatorText(QT_TRANSLATE_NOOP("OperatorText",
                "MO {mo} is not retried: its final PLC reading was refused, so the stored figures are not what was "
                "dosed. Book what was dosed in Odoo, then Archive as failed"), mo=mo_id))
        log.warning("Retry of MO %s requested by %s: it is reported to Odoo again at the next round", mo_id, actor,
                    extra={"actor": actor, "mo_id": mo_id})

    async def cancel_in_odoo(self, mo_id: str, actor: str) -> None:
        """Cancel the MO in Odoo and archive the batch as cancelled (the PLC failed it, or it is held)."""
        batch = await self._batch_for(mo_id, "cancel")
        if not batch.odoo_cancelled:
            try:
                await self.odoo.cancel(mo_id)
            except OdooError as exc:
                log.error("Cancel of MO %s in Odoo by %s failed: %s; the batch stays in the table", mo_id, actor,
                          exc, extra={"actor": actor, "mo_id": mo_id})
                raise ActionRefused(OperatorText(QT_TRANSLATE_NOOP("OperatorText", "Odoo did not cancel MO {mo}: {reason}"),
                                                 mo=mo_id, reason=str(exc))) from exc
            await self.db(self.store.outbox.mark_cancelled_in_odoo, mo_id)
        await self.db(self.store.archive, mo_id, HistoryStatus.CANCELLED, f"Cancelled in Odoo by {actor}", actor)
        log.warning("MO %s cancelled in Odoo by %s and archived as cancelled", mo_id, actor,
                    extra={"actor": actor, "mo_id": mo_id})
        await self._say_dosed([mo_id], actor, "cancelled")
        if not batch.status_manufacturing and not batch.status_operation:
            # The PLC may still hold the recipe it never started: it must not dose a cancelled MO.
            await self._blank_write_slots(actor, [batch.batch_no])
        await self.review_alarms()

    async def archive_failed(self, mo_id: str, actor: str) -> None:
        """Archive the batch as failed and hold its MO; Odoo is left as it is (close the MO there)."""
        await self._batch_for(mo_id, "archive_failed")
        await self.db(self.store.archive, mo_id, HistoryStatus.FAILED, f"Archived as failed by {actor}", actor,
                      f"Archived as failed by {actor}")
        log.warning("MO %s archived as failed by %s and held; it stays open in Odoo until someone closes it there",
                    mo_id, actor, extra={"actor": actor, "mo_id": mo_id})
        await self._say_dosed([mo_id], actor, "archived as failed")
        await self.review_alarms()

    async def trigger_sync(self, trigger: str = "manual") -> SyncOutcome:
        return await self.sync_service.sync(trigger)

    async def history(self, status: str | None = None, mo: str | None = None, limit: int = 50,
                      offset: int = 0, cursor: str | None = None, since: datetime | None = None,
                      until: datetime | None = None) -> HistoryPage:
        """A page of the history, newest first; ``cursor`` is the previous page's next_cursor."""
        return await self.db(self.store.history.page, status, mo, limit, offset, cursor, since, until)

    async def history_search(self) -> tuple[str, str]:
        """How the history's MO search matches ("contains" or "starts with") and which index serves it."""
        return await self.db(self.store.history.search_mode)

    async def audit_page(self, actor: str | None = None, words: str | None = None, since=None, until=None,
                         limit: int = 50, offset: int = 0) -> "AuditPage":
        """A page of system_log records that name who did them (the window's Audit tab)."""
        return await self.db(AuditLogStore(self.store.engine).page, actor, words, since, until, True, limit, offset)

    async def health(self) -> "HealthReport":
        """PLC, Odoo and database state, last sync, alert and the batches that need someone, with one
        verdict (``healthy``); hmi.api.shapes gives the API's JSON of it."""
        now = utc_now()
        try:
            batches = await self.db(self.store.list_batches, self.line)
            held_count: int | None = len(await self.db(self.store.ledger.list_held, self.line))
            database_error = None
        except Exception as exc:  # noqa: BLE001 - report, do not raise
            batches, held_count = [], None
            database_error = str(exc)
        monitor = self.health_monitor
        plc_status = monitor.plc_status(now)
        odoo_state = "UNKNOWN"
        if self.odoo.last_error:
            odoo_state = "FAULT"
        elif self.odoo.last_contact:
            odoo_state = "OK"
        return HealthReport(
            time=now,
            healthy=database_error is None and monitor.alert is None and plc_status.healthy,
            plc=None if self.plc is None else PlcLinkReport(
                state=self.plc.connection.state.value, endpoint=self.plc.connection.endpoint,
                last_good_read=self.plc.last_good_read, last_error=self.plc.connection.last_error),
            plc_quality=plc_status.quality.value,
            odoo_state=odoo_state,
            odoo_last_contact=self.odoo.last_contact,
            odoo_last_error=self.odoo.last_error or None,
            database_error=database_error,
            last_sync=monitor.last_sync,
            consecutive_sync_failures=monitor.consecutive_failures,
            alert=monitor.alert,
            stuck_batches=tuple(monitor.stuck_batches(batches, now)),
            attention_batches=tuple(b for b in batches if b.needs_attention),
            held_batches=tuple(b for b in batches if b.state is BatchState.HELD),
            held_mos=held_count,
            system_log=self.system_log_stats() if self.system_log_stats else None,
            scheduler=self.scheduler.status() if self.scheduler else None,
            alarms=await self._alarm_counts(),
        )

    async def _alarm_counts(self) -> AlarmCounts | None:
        """Visible alarms per priority (active or unacknowledged, not shelved); None when unknown."""
        if self.alarms is None:
            return None
        try:
            visible = await self.alarms.visible()
        except Exception:  # noqa: BLE001 - the database is away; health says so above
            return None
        counts = {"critical": 0, "high": 0, "medium": 0, "low": 0}
        for alarm in visible:
            counts[alarm.priority.value] += 1
        return AlarmCounts(**counts, unacknowledged=sum(1 for a in visible if a.state.unacknowledged))


__all__ = ["ActionRefused", "AdminService", "AlarmCounts", "HealthReport", "SchedulerControl", "SchedulerStatus",
           "TableChanged"]

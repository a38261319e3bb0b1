"""CompletionService: bring every finished batch to exactly one end, in Odoo and in the history.

- A DONE batch (the PLC finished it): push the actual consumption per equipment code and the
  finished weight; on success mark it reported, optionally mark the MO done, archive it as
  ``completed`` and delete it.
- A FAILED batch (the PLC set status_operation): cancel the MO in Odoo once, then archive it
  as ``cancelled``. This is driven by the stored row, not by the PLC slot, so it happens
  whatever the PLC does afterwards (sets status_manufacturing too, blanks the slot).

Hand-added components (premix, medicines: no silo doses them) are reported with the PLC's actuals,
by Odoo product, but only those an operator confirmed: an amount nobody weighed is never reported.
The unconfirmed ones are named in a WARNING. With ``hand_add_required`` (HAND_ADD_REQUIRED) a DONE
batch with unconfirmed hand-added components is not reported at all until they are confirmed; it
waits as "DONE — hand-add open", said once in the log.

A failed push or cancel keeps the row and is retried with capped exponential backoff and
jitter; after ``max_push_attempts`` the batch is flagged ATTENTION (shown in the window and
the API, with the reason) and waits for an operator's per-batch action instead of being
retried forever (origin defect 13.5(e)).

Each step is recorded in the dispatch ledger before the next one starts (finished →
reported → closed), so a round resumes after any crash where the last one stopped: a batch
recorded as reported but not yet marked done in Odoo is marked done by the next round, not
archived without it. The DONE row itself is the outbox of its consumption: the PLC's final
actuals were stored in the same transaction as the ledger's move to ``finished``, no later
reading changes them, and Clear never removes such a row.

Completion runs on its own timer, apart from the poll: a hanging Odoo never delays a PLC
reading. It runs only while this instance owns its line (hmi.services.ownership). Its report says when the round emptied the table, so the scheduler can start the
next sync right away (SYNC_ON_EMPTY).
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from hmi.domain import Batch, DispatchState, FencedOut, HistoryStatus
from hmi.odoo import OdooError, OdooMoCancelled
from hmi.operator_text import QT_TRANSLATE_NOOP, OperatorText, joined
from hmi.services.crash_points import crash_point
from hmi.services.flight import Busy, SingleFlight
from hmi.services.messages import first_line
from hmi.store import BatchStore, DbRunner
from hmi.clock import utc_now

if TYPE_CHECKING:
    from hmi.odoo import AsyncOdooClient
    from hmi.services.alarms import AlarmService
    from hmi.services.ownership import LineOwnership
    from hmi.services.tolerance import ToleranceService

log = logging.getLogger("hmi.completion")

CANCEL_NOTE = "The PLC failed the batch; cancelled in Odoo"

#: 2**MAX_BACKOFF_EXPONENT × the initial delay is already far beyond any sensible cap.
MAX_BACKOFF_EXPONENT = 16


@dataclass
class CompletionReport:
    reported: list[str] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    attention: list[str] = field(default_factory=list)
    #: DONE batches not reported because hand-added components wait for confirmation (HAND_ADD_REQUIRED).
    waiting_hand_add: list[str] = field(default_factory=list)
    archived: int = 0
    #: This round archived the last batch of the line: the table is empty now.
    emptied: bool = False


def retry_delay(attempts: int, initial: timedelta, cap: timedelta, jitter: float = 0.2,
                rng: random.Random | None = None) -> timedelta:
    """Exponential backoff after ``attempts`` failures: capped, with ±``jitter`` so that several
    batches (or instances) do not retry in lockstep. Never overflows, whatever ``attempts`` is."""
    exponent = min(max(attempts - 1, 0), MAX_BACKOFF_EXPONENT)
    base = min(initial * (2 ** exponent), cap)
    factor = 1.0 + (rng or random).uniform(-jitter, jitter)
    return max(timedelta(0), base * factor)


class CompletionService:
    def __init__(
        self,
        store: BatchStore,
        db: DbRunner,
        odoo: "AsyncOdooClient",
        max_push_attempts: int = 5,
        mark_done: bool = False,
        line: str | None = None,
        backoff_initial: timedelta = timedelta(seconds=10),
        backoff_cap: timedelta = timedelta(minutes=10),
        alarms: "AlarmService | None" = None,
        tolerance: "ToleranceService | None" = None,
        hand_add_required: bool = False,
        ownership: "LineOwnership | None" = None,
    ) -> None:
        self.alarms = alarms
        self.ownership = ownership
        self.tolerance = tolerance
        self.store = store
        self.db = db
        self.odoo = odoo
        self.max_push_attempts = max_push_attempts
        self.mark_done = mark_done
        self.line = line
        self.backoff_initial = backoff_initial
        self.backoff_cap = backoff_cap
        self.hand_add_required = hand_add_required
        self._waiting_said: set[str] = set()  # MOs whose wait for hand-added confirmations was logged
        self.flight = SingleFlight("completion")
        self._fault: str | None = None  # why the last round stopped, while that lasts (said once)

    async def complete(self) -> CompletionReport | None:
        try:
            return await self.flight.run(self._complete)
        except Busy:
            log.debug("Completion still running; tick skipped")
            return None

    async def _complete(self) -> CompletionReport:
        report = CompletionReport()
        if self.ownership is not None and not await self.ownership.allows("Completion"):
            return report
        if self.alarms is not None:
            try:
                await self.alarms.tick()  # shelved alarms come back when their time ends
            except Exception:  # noqa: BLE001 - the database is away; the round below says so
                pass
        try:
            await self._complete_all(report)
            if report.archived:
                report.emptied = await self.db(self.store.count_batches, self.line) == 0
        except FencedOut as exc:
            if self.ownership is not None:
                await self.ownership.report(str(exc))
            return report
        except SQLAlchemyError as exc:  # the database is away: the rows stay, the next round goes on
            await self._stopped("the database", OperatorText(QT_TRANSLATE_NOOP("OperatorText",
                "Completion paused, the database is not reachable: {error}"), error=first_line(exc)))
            return report
        except Exception as exc:  # noqa: BLE001 - a defect must not stop completion for good; say what it is
            await self._stopped(type(exc).__name__, f"Completion round failed unexpectedly ({type(exc).__name__}: "
                          f"{first_line(exc)}); it is tried again next round", exc)
            return report
        if self._fault is not None:
            log.info("Completion goes on again (%s answered again)", self._fault)
            if self._fault == "the database" and self.alarms is not None:
                await self.alarms.clear("database.unreachable")
            self._fault = None
        return report

    async def _stopped(self, cause: str, message: str, exc: BaseException | None = None) -> None:
        """Say once per outage why completion stopped (a database outage changes its wording as it goes)."""
        if cause == self._fault:
            return
        self._fault = cause
        log.error(message, exc_info=exc)
        if cause == "the database" and self.alarms is not None:
            await self.alarms.raise_alarm("database.unreachable", message)

    async def _complete_all(self, report: CompletionReport) -> None:
        # Rows reported or cancelled earlier whose later steps did not happen (a crash, the database away).
        batches = await self.db(self.store.list_batches, self.line)
        reported = [b for b in batches if b.update_odoo]
        states = await self.db(self.store.ledger.dispatch_states, [b.mo_id for b in reported]) if reported else {}
        for batch in batches:
            if batch.update_odoo:
                if states.get(batch.mo_id) is DispatchState.REPORTED:
                    log.info("MO %s: its consumption is in Odoo; finishing what a round before could not "
                             "(marking it done, archiving)", batch.mo_id,
                             extra={"mo_id": batch.mo_id, "batch_no": batch.batch_no})
                    await self._close(batch, batch.actual_weight or 0.0)
                await self._archive(batch, HistoryStatus.COMPLETED, "Reported to Odoo", report)
            elif batch.odoo_cancelled:
                await self._archive(batch, HistoryStatus.CANCELLED, CANCEL_NOTE, report)
        now = utc_now()
        for batch in await self.db(self.store.outbox.done_batches_to_report, now, self.line):
            await self._report(batch, report)
        for batch in await self.db(self.store.outbox.failed_batches_to_cancel, now, self.line):
            await self._cancel(batch, report)

    async def _report(self, batch: Batch, report: CompletionReport) -> None:
        context = {"mo_id": batch.mo_id, "batch_no": batch.batch_no}
        open_lines = batch.hand_added_open
        if open_lines and self.hand_add_required:
            report.waiting_hand_add.append(batch.mo_id)
            if batch.mo_id not in self._waiting_said:
                self._waiting_said.add(batch.mo_id)
                log.warning("Batch %d (MO %s) is DONE but not reported to Odoo: hand-added component(s) not "
                            "confirmed yet: %s (HAND_ADD_REQUIRED=true). Confirm them on the batch",
                            batch.batch_no, batch.mo_id, _names(open_lines), extra=context)
            return
        self._waiting_said.discard(batch.mo_id)
        consumption = {line.silo: line.actual_kg for line in batch.silos if line.actual_kg and line.actual_kg > 0}
        confirmed = {line.product_id: line.actual_kg for line in batch.hand_added
                     if line.is_confirmed and line.actual_kg is not None}
        weight = batch.actual_weight or 0.0
        try:
            await self.odoo.push_consumption(batch.mo_id, weight, consumption)
            if confirmed:
                # The PLC's push is REPLACE too, so a retry after a failure here repeats both harmlessly.
                await self.odoo.push_hand_added(batch.mo_id, confirmed, batch.equipment_code, utc_now())
        except OdooMoCancelled as exc:
            # Retrying cannot help: someone must decide what the dosed batch means for Odoo.
            await self._odoo_failed(batch, "Reporting to", str(exc), report, final=True)
            return
        except OdooError as exc:
            await self._odoo_failed(batch, "Reporting to", str(exc), report)
            return
        crash_point("completion.after_push")
        await self.db(self.store.outbox.mark_reported, batch.mo_id)
        crash_point("completion.after_reported")
        if batch.hand_added:
            await self._check_late_confirmations(batch, confirmed)
        hand_text = "".join(f", {line.product_name}={line.actual_kg:g} (by hand)"
                            for line in batch.hand_added if line.product_id in confirmed)
        log.info("Batch %d (MO %s) REPORTED to Odoo: %s%s, finished %g kg", batch.batch_no, batch.mo_id,
                 ", ".join(f"{silo.odoo_code}={kg:g}" for silo, kg in consumption.items()) or "no consumption",
                 hand_text, weight, extra=context)
        if open_lines:
            log.warning("Hand-added component(s) not confirmed, so not reported to Odoo for MO %s: %s; record "
                        "them in Odoo (HAND_ADD_REQUIRED=true would have waited)", batch.mo_id, _names(open_lines),
                        extra=context)
        await self._close(batch, weight)
        report.reported.append(batch.mo_id)
        await self._archive(batch, HistoryStatus.COMPLETED, "Reported to Odoo", report)
        await self._judge_tolerance(batch)

    async def _close(self, batch: Batch, weight: float) -> None:
        """The MO's consumption is in Odoo: mark it done there (ODOO_MARK_DONE), then close its ledger row."""
        context = {"mo_id": batch.mo_id, "batch_no": batch.batch_no}
        if self.mark_done and weight > 0:
            try:
                await self.odoo.mark_done(batch.mo_id, weight, utc_now())
            except OdooError as exc:
                # The consumption is in Odoo; closing the MO is left to Odoo's users.
                log.warning("MO %s: consumption reported, but Odoo refused to mark it done (%s); close it in Odoo",
                            batch.mo_id, exc, extra=context)
                await self.db(self.store.outbox.mark_closed, batch.mo_id, f"reported; Odoo refused to mark it done: {exc}")
                return
            crash_point("completion.after_mark_done")
            await self.db(self.store.outbox.mark_closed, batch.mo_id, "reported and marked done in Odoo")
        else:
            await self.db(self.store.outbox.mark_closed, batch.mo_id, "reported to Odoo")

    async def _judge_tolerance(self, batch: Batch) -> None:
        """Each used silo against its tolerance; stored with the history record. Never blocks the cycle."""
        if self.tolerance is None:
            return
        context = {"mo_id": batch.mo_id, "batch_no": batch.batch_no}
        try:
            verdict = await self.tolerance.judge(batch)
            await self.tolerance.record(batch.mo_id, verdict)
        except Exception as exc:  # noqa: BLE001 - the batch is reported and archived; the verdict is extra
            log.warning("MO %s: dosing tolerance not judged (%s)", batch.mo_id, first_line(exc), extra=context)
            return
        if verdict.within:
            return
        message = OperatorText(QT_TRANSLATE_NOOP("OperatorText", "MO {mo} dosed outside tolerance: {silos}"),
                               mo=batch.mo_id, silos=joined([s.describe() for s in verdict.outside], "; "))
        log.warning(message, extra=context)
        if self.alarms is not None:
            await self.alarms.event("batch.out_of_tolerance", message, batch.mo_id, mo_id=batch.mo_id,
                                    batch_no=batch.batch_no, silo=verdict.outside[0].silo)

    async def _check_late_confirmations(self, batch: Batch, pushed: dict[int, float]) -> None:
        """A confirmation stored between this round's read and the report missed the push; say so.

        Once the batch is marked reported, the store refuses confirmations, so this check is final."""
        after = await self.db(self.store.get_batch, batch.mo_id)
        late = [line for line in (after.hand_added if after else ())
                if line.is_confirmed and pushed.get(line.product_id) != line.actual_kg]
        if late:
            log.warning("MO %s: hand-added %s confirmed while the batch was being reported, so not in Odoo; record "
                        "it there", batch.mo_id,
                        ", ".join(f"{line.product_name} {line.actual_kg:g} kg" for line in late),
                        extra={"mo_id": batch.mo_id, "batch_no": batch.batch_no})

    async def _cancel(self, batch: Batch, report: CompletionReport) -> None:
        try:
            await self.odoo.cancel(batch.mo_id)
        except OdooError as exc:
            await self._odoo_failed(batch, "Cancelling the failed batch in", str(exc), report)
            return
        await self.db(self.store.outbox.mark_cancelled_in_odoo, batch.mo_id)
        report.cancelled.append(batch.mo_id)
        log.warning("Batch %d (MO %s) FAILED on the PLC: cancelled in Odoo", batch.batch_no, batch.mo_id,
                    extra={"mo_id": batch.mo_id, "batch_no": batch.batch_no})
        dosed = {line.silo.odoo_code: line.actual_kg for line in batch.silos if line.actual_kg and line.actual_kg > 0}
        if dosed:
            # Neither protocol books consumption on a cancelled MO: the archive lists it for a person.
            log.warning("MO %s: %s dosed before the PLC failed it is on the manual-booking list; book it in Odoo "
                        "(scrap or an inventory adjustment) and mark it booked", batch.mo_id,
                        ", ".join(f"{code}={kg:g} kg" for code, kg in dosed.items()),
                        extra={"mo_id": batch.mo_id, "batch_no": batch.batch_no})
        await self._archive(batch, HistoryStatus.CANCELLED, CANCEL_NOTE, report)

    async def _archive(self, batch: Batch, status: HistoryStatus, notes: str, report: CompletionReport) -> None:
        if await self.db(self.store.archive, batch.mo_id, status, notes):
            report.archived += 1
            if self.alarms is not None:  # the batch left the table: its conditions are over
                for kind in ("odoo.push_failed", "batch.failed", "batch.stuck", "batch.reading_refused"):
                    await self.alarms.clear(kind, batch.mo_id)
            log.info("Batch %d (MO %s) archived as %s", batch.batch_no, batch.mo_id, status.value,
                     extra={"mo_id": batch.mo_id, "batch_no": batch.batch_no})

    async def _odoo_failed(self, batch: Batch, action: str, error: str, report: CompletionReport,
                           final: bool = False) -> None:
        """Count the failure and schedule a retry; ``final``: flag ATTENTION now (a retry cannot help)."""
        context = {"mo_id": batch.mo_id, "batch_no": batch.batch_no}
        delay = retry_delay(batch.push_attempts + 1, self.backoff_initial, self.backoff_cap)
        attempts, attention = await self.db(
            self.store.outbox.record_push_failure, batch.mo_id, f"{action} Odoo failed: {error}", utc_now() + delay,
            1 if final else self.max_push_attempts,
        )
        if attention:
            report.attention.append(batch.mo_id)
            tries = (OperatorText(QT_TRANSLATE_NOOP("OperatorText", "once")) if attempts == 1 else
                     OperatorText(QT_TRANSLATE_NOOP("OperatorText", "{count} times"), count=attempts))
            if self.alarms is not None:
                await self.alarms.raise_alarm(
                    "odoo.push_failed", OperatorText(QT_TRANSLATE_NOOP("OperatorText",
                        "MO {mo} (batch {batch}) needs ATTENTION: {action} Odoo failed {tries} "
                        "({error}); not retried automatically: use Retry, Cancel in Odoo or Archive as failed on "
                        "the batch"), mo=batch.mo_id, batch=batch.batch_no,
                        action=_ACTION_WORDS.get(action, action.lower()), tries=tries, error=error),
                    batch.mo_id, mo_id=batch.mo_id, batch_no=batch.batch_no)
            log.error("Batch %d (MO %s) needs ATTENTION: %s Odoo failed %s (%s). It is not retried "
                      "automatically; use Retry, Cancel in Odoo or Archive as failed on the batch",
                      batch.batch_no, batch.mo_id, action.lower(), tries, error, extra=context)
        else:
            report.failed.append(batch.mo_id)
            log.warning("%s Odoo failed for MO %s (attempt %d of %d, next try in %d s): %s", action, batch.mo_id,
                        attempts, self.max_push_attempts, round(delay.total_seconds()), error, extra=context)


#: What failed, as the odoo.push_failed alarm says it (mid-sentence).
_ACTION_WORDS = {
    "Reporting to": OperatorText(QT_TRANSLATE_NOOP("OperatorText", "reporting to")),
    "Cancelling the failed batch in": OperatorText(QT_TRANSLATE_NOOP("OperatorText", "cancelling the failed batch in")),
}


def _names(lines) -> str:
    return ", ".join(f"{line.product_name} (target {line.target_kg:g} kg)" for line in lines)

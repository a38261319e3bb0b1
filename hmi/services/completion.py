"""CompletionService: report DONE batches to Odoo, archive them, empty the table.

For each DONE batch not yet reported: push the actual consumption per equipment code and
the finished weight; on success mark it reported, optionally mark the MO done, archive it
as ``completed`` and delete it. A failed push keeps the row and is retried with
exponential backoff; after ``max_push_attempts`` the batch is flagged ATTENTION (shown in
the window and the API) instead of being retried forever (origin defect 13.5(e)).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from hmi.domain import Batch, HistoryStatus
from hmi.odoo import OdooError
from hmi.services.flight import Busy, SingleFlight
from hmi.store import BatchStore, DbRunner
from hmi.store.repository import utc_now

if TYPE_CHECKING:
    from hmi.odoo import AsyncOdooClient

log = logging.getLogger("hmi.completion")


@dataclass
class CompletionReport:
    reported: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    attention: list[str] = field(default_factory=list)


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
    ) -> None:
        self.store = store
        self.db = db
        self.odoo = odoo
        self.max_push_attempts = max_push_attempts
        self.mark_done = mark_done
        self.line = line
        self.backoff_initial = backoff_initial
        self.backoff_cap = backoff_cap
        self.flight = SingleFlight("completion")
        self._db_error: str | None = None

    async def complete(self) -> CompletionReport | None:
        try:
            return await self.flight.run(self._complete)
        except Busy:
            log.debug("Completion still running; tick skipped")
            return None

    async def _complete(self) -> CompletionReport:
        report = CompletionReport()
        try:
            await self._complete_all(report)
        except Exception as exc:  # noqa: BLE001 - database away: the rows stay, the next round goes on
            if self._db_error is None:
                log.error("Completion paused, the database is not reachable: %s", _first_line(exc))
            self._db_error = str(exc)
            return report
        if self._db_error is not None:
            log.info("Database reachable again; completion goes on")
            self._db_error = None
        return report

    async def _complete_all(self, report: CompletionReport) -> None:
        # Rows pushed earlier whose archive step did not happen (e.g. the database was away).
        for batch in await self.db(self.store.list_batches, self.line):
            if batch.update_odoo:
                await self._archive(batch)
        for batch in await self.db(self.store.done_batches_to_report, utc_now(), self.line):
            await self._report(batch, report)

    async def _report(self, batch: Batch, report: CompletionReport) -> None:
        context = {"mo_id": batch.mo_id, "batch_no": batch.batch_no}
        consumption = {line.silo: line.actual_kg for line in batch.silos if line.actual_kg and line.actual_kg > 0}
        weight = batch.actual_weight or 0.0
        try:
            await self.odoo.push_consumption(batch.mo_id, weight, consumption)
        except OdooError as exc:
            await self._push_failed(batch, str(exc), report)
            return
        await self.db(self.store.mark_reported, batch.mo_id)
        log.info("Batch %d (MO %s) REPORTED to Odoo: %s, finished %g kg", batch.batch_no, batch.mo_id,
                 ", ".join(f"{silo.odoo_code}={kg:g}" for silo, kg in consumption.items()) or "no consumption",
                 weight, extra=context)
        if self.mark_done and weight > 0:
            try:
                await self.odoo.mark_done(batch.mo_id, weight, utc_now())
            except OdooError as exc:
                # The consumption is in Odoo; closing the MO is left to Odoo's users.
                log.warning("MO %s pushed but could not be marked done in Odoo: %s", batch.mo_id, exc, extra=context)
        report.reported.append(batch.mo_id)
        await self._archive(batch)

    async def _archive(self, batch: Batch) -> None:
        archived = await self.db(self.store.archive, batch.mo_id, HistoryStatus.COMPLETED, "Reported to Odoo")
        if archived:
            log.info("Batch %d (MO %s) archived as completed", batch.batch_no, batch.mo_id,
                     extra={"mo_id": batch.mo_id, "batch_no": batch.batch_no})

    async def _push_failed(self, batch: Batch, error: str, report: CompletionReport) -> None:
        context = {"mo_id": batch.mo_id, "batch_no": batch.batch_no}
        delay = min(self.backoff_initial * (2 ** batch.push_attempts), self.backoff_cap)
        attempts, attention = await self.db(
            self.store.record_push_failure, batch.mo_id, error, utc_now() + delay, self.max_push_attempts
        )
        if attention:
            report.attention.append(batch.mo_id)
            log.error("Batch %d (MO %s) needs ATTENTION: push to Odoo failed %d times; last error: %s",
                      batch.batch_no, batch.mo_id, attempts, error, extra=context)
        else:
            report.failed.append(batch.mo_id)
            log.warning("Push of MO %s to Odoo failed (attempt %d of %d, next try in %d s): %s", batch.mo_id,
                        attempts, self.max_push_attempts, delay.total_seconds(), error, extra=context)

    async def retry(self, mo_id: str) -> bool:
        """Operator: try an ATTENTION batch again from the start."""
        return await self.db(self.store.retry_push, mo_id)


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__

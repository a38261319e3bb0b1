"""SyncService: the seed's smart-wait sync.

Count this line's rows in mo_batch. Any row left means the PLC is still working: skip.
An empty table means: fetch the next MOs from Odoo, write their recipes to the PLC
(batch_no 1..N into WRITE slots 1..N) and store them, committing the rows only if every
PLC write succeeded. Timer, toolbar button and API call this same method; a manual
trigger obeys the same rule and only skips the wait for the timer.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hmi.domain import BatchRecipe, ManufacturingOrder
from hmi.odoo import OdooError
from hmi.plc.errors import PlcEncodingError, PlcError, PlcNotReady
from hmi.services.flight import Busy, SingleFlight
from hmi.services.health import HealthMonitor, SyncRecord
from hmi.store import BatchStore, DbRunner, DuplicateMo, TableNotEmpty
from hmi.store.repository import utc_now

if TYPE_CHECKING:
    from hmi.odoo import AsyncOdooClient
    from hmi.plc.link import PlcLink

log = logging.getLogger("hmi.sync")

TRIGGERS = ("timer", "manual", "api")

#: How long a failed download waits for the PLC link to come back and be asked what it holds.
LANDED_CHECK_SECONDS = 5.0


@dataclass(frozen=True)
class SyncOutcome:
    outcome: str  # "synced" | "skipped" | "failed" | "busy"
    message: str
    count: int = 0

    @property
    def ok(self) -> bool:
        return self.outcome in ("synced", "skipped")


class SyncService:
    def __init__(
        self,
        store: BatchStore,
        db: DbRunner,
        odoo: "AsyncOdooClient",
        plc: "PlcLink | None",
        health: HealthMonitor,
        table_lock: asyncio.Lock,
        batch_limit: int = 10,
        line: str | None = None,
        plc_write_timeout: float = 60.0,
    ) -> None:
        self.store = store
        self.db = db
        self.odoo = odoo
        self.plc = plc
        self.health = health
        self.batch_limit = batch_limit
        self.line = line
        self.plc_write_timeout = plc_write_timeout
        self.flight = SingleFlight("sync", exclusive_with=table_lock)

    @property
    def running(self) -> bool:
        return self.flight.running

    async def sync(self, trigger: str = "timer") -> SyncOutcome:
        if trigger not in TRIGGERS:
            raise ValueError(f"unknown sync trigger {trigger!r}")
        try:
            outcome = await self.flight.run(lambda: self._sync(trigger))
        except Busy:
            outcome = SyncOutcome("busy", "A sync or clear is already running; this trigger was skipped")
            log.info("Sync (%s) skipped: a sync or clear is already running", trigger)
            return outcome
        self.health.record_sync(SyncRecord(utc_now(), trigger, outcome.outcome, outcome.message, outcome.count))
        return outcome

    async def _sync(self, trigger: str) -> SyncOutcome:
        log.info("Auto-sync task running... (trigger: %s)", trigger)
        try:
            count = await self.db(self.store.count_batches, self.line)
        except Exception as exc:  # noqa: BLE001 - database down must not kill the scheduler
            return self._failed(f"Cannot read mo_batch: {exc}")
        if count > 0:
            message = f"Table mo_batch has {count} records. Skipping sync - waiting for PLC..."
            log.info(message)
            return SyncOutcome("skipped", message, count)

        log.info("Table mo_batch is empty. Fetching new batches from Odoo...")
        try:
            fetched = await self.odoo.fetch_mos(self.batch_limit)
        except OdooError as exc:
            return self._failed(f"Fetching MOs from Odoo failed: {exc}")
        for rejected in fetched.rejected:
            log.warning("MO left out of this sync: %s", rejected)
        orders = self._for_this_line(list(fetched.mos))
        try:
            orders = await self._without_completed(orders)
        except Exception as exc:  # noqa: BLE001 - database down must not kill the scheduler
            return self._failed(f"Cannot read mo_histories: {exc}")
        if not orders:
            message = "Odoo has no MOs ready for this line; nothing to sync"
            log.info(message)
            return SyncOutcome("synced", message, 0)
        orders = orders[: self.batch_limit]

        recipes = [recipe_for(mo, batch_no) for batch_no, mo in enumerate(orders, start=1)]
        try:
            stored = await self.db(self.store.insert_batches, orders, self.line, True, 1,
                                   self._plc_writer(recipes))
        except TableNotEmpty as exc:
            message = f"Table mo_batch has {exc.count} records. Skipping sync - waiting for PLC..."
            log.info("%s (filled by another instance meanwhile)", message)
            return SyncOutcome("skipped", message, exc.count)
        except DuplicateMo as exc:
            return self._failed(f"Nothing stored: {exc}")
        except PlcWriteFailed as exc:
            return self._failed(f"{exc}; nothing stored")
        except Exception as exc:  # noqa: BLE001 - a database error: nothing was committed
            return self._failed(f"Storing the batches failed, nothing stored: {exc}")

        message = f"Auto-sync completed: {stored} MO batches synced"
        log.info(message)
        for batch_no, mo in enumerate(orders, start=1):
            log.info("Batch %d: MO %s, %s, %g kg, silos %s", batch_no, mo.mo_id, mo.product_name, mo.quantity,
                     " ".join(s.label for s in mo.targets) or "-",
                     extra={"mo_id": mo.mo_id, "batch_no": batch_no})
        return SyncOutcome("synced", message, stored)

    async def _without_completed(self, orders: list[ManufacturingOrder]) -> list[ManufacturingOrder]:
        """Never dose an MO twice: one already completed here stays out even if Odoo offers it again."""
        done = await self.db(self.store.completed_mo_ids, [mo.mo_id for mo in orders])
        for mo_id in sorted(done):
            log.warning("MO %s was already dosed and reported; left out (close it in Odoo)", mo_id,
                        extra={"mo_id": mo_id})
        return [mo for mo in orders if mo.mo_id not in done]

    def _for_this_line(self, orders: list[ManufacturingOrder]) -> list[ManufacturingOrder]:
        if not self.line:
            return orders
        mine = [mo for mo in orders if mo.equipment_code == self.line]
        others = [mo.mo_id for mo in orders if mo.equipment_code != self.line]
        if others:
            log.info("MOs for other lines left in Odoo: %s", ", ".join(others))
        return mine

    def _plc_writer(self, recipes: list[BatchRecipe]):
        """A blocking callable (run inside the insert transaction) that downloads the recipes."""
        if self.plc is None:
            return None  # PLC_ENABLED=false: store only, as the seed did
        loop = asyncio.get_running_loop()
        plc = self.plc

        def write() -> None:
            requests_before = plc.request_count
            future = asyncio.run_coroutine_threadsafe(plc.write_recipes(recipes), loop)
            try:
                future.result(timeout=self.plc_write_timeout)
            except (PlcError, PlcEncodingError) as exc:
                # The handshake read is the download's first request; only a write can have landed.
                wrote = plc.request_count - requests_before > 1
                if isinstance(exc, PlcError) and not isinstance(exc, PlcNotReady) and wrote \
                        and self._landed(loop, recipes):
                    # Storing nothing now would let the next sync download (and dose) these MOs again.
                    log.warning("PLC write answer lost (%s), but the PLC holds all %d recipes; storing them",
                                exc, len(recipes))
                    return
                slot = getattr(exc, "slot", None)
                where = f" at slot {slot}" if slot else ""
                raise PlcWriteFailed(f"PLC write failed{where}: {exc}") from exc
            except TimeoutError as exc:
                future.cancel()
                raise PlcWriteFailed(f"PLC write did not finish within {self.plc_write_timeout:g} s") from exc

        return write

    def _landed(self, loop: asyncio.AbstractEventLoop, recipes: list[BatchRecipe]) -> bool:
        """Blocking (called from the insert transaction's thread): ask the PLC whether a download
        that failed on the wire reached it after all. Unknown counts as no, and says so."""

        async def ask() -> bool | None:
            deadline = loop.time() + LANDED_CHECK_SECONDS
            while loop.time() < deadline:
                try:
                    return await self.plc.holds_download(recipes)
                except PlcError:  # the link is still reconnecting
                    await asyncio.sleep(0.25)
            return None

        try:
            answer = asyncio.run_coroutine_threadsafe(ask(), loop).result(timeout=LANDED_CHECK_SECONDS + 10)
        except TimeoutError:
            answer = None
        if answer is None:
            log.warning("The PLC could not be asked whether it took the recipes of the failed download; "
                        "check its WRITE slots before the next sync downloads the same MOs")
        return bool(answer)

    def _failed(self, message: str) -> SyncOutcome:
        log.error(message)
        return SyncOutcome("failed", message)


class PlcWriteFailed(Exception):
    pass


def recipe_for(mo: ManufacturingOrder, batch_no: int) -> BatchRecipe:
    return BatchRecipe(
        batch_no=batch_no,
        mo_id=mo.mo_id,
        bom_code=mo.bom_code,
        product_name=mo.product_name,
        quantity=mo.quantity,
        targets_kg={silo: target.target_kg for silo, target in mo.targets.items()},
    )

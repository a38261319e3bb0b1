"""AdminService: what the toolbar, the admin API and the tests ask of the running system."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any, Protocol

from hmi.services.flight import SingleFlight
from hmi.services.health import HealthMonitor
from hmi.services.sync import SyncOutcome, SyncService
from hmi.store import BatchStore, DbRunner
from hmi.store.repository import HistoryPage, batch_summary, utc_now

if TYPE_CHECKING:
    from hmi.odoo import AsyncOdooClient
    from hmi.plc.link import PlcLink

log = logging.getLogger("hmi.admin")


class SchedulerControl(Protocol):
    """Implemented by the Qt scheduler; the API and the window switch auto-sync through it."""

    @property
    def auto_sync_enabled(self) -> bool: ...

    def set_auto_sync_enabled(self, enabled: bool, actor: str) -> None: ...

    def status(self) -> dict[str, Any]: ...


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
    ) -> None:
        self.store = store
        self.db = db
        self.sync_service = sync
        self.health_monitor = health
        self.odoo = odoo
        self.plc = plc
        self.line = line
        self.scheduler: SchedulerControl | None = None
        self._clear_flight = SingleFlight("clear", exclusive_with=table_lock)

    async def batch_status(self) -> dict[str, Any]:
        return await self.db(self.store.batch_status, self.line)

    async def list_batches(self):
        return await self.db(self.store.list_batches, self.line)

    async def clear(self, actor: str) -> int:
        """Archive every batch of this line as ``cleared`` (with the actor), then empty mo_batch.

        Waits for a running sync to finish first; refuses (Busy) a second clear.
        """

        async def work() -> int:
            deleted = await self.db(self.store.clear, actor, self.line)
            log.warning("mo_batch table cleared by %s: %d batches archived to history as cleared", actor, deleted,
                        extra={"actor": actor})
            return deleted

        return await self._clear_flight.run(work, wait_for_shared=True)

    async def trigger_sync(self, trigger: str = "manual") -> SyncOutcome:
        return await self.sync_service.sync(trigger)

    async def history(self, status: str | None = None, mo: str | None = None, limit: int = 50,
                      offset: int = 0) -> HistoryPage:
        return await self.db(self.store.history_page, status, mo, limit, offset)

    async def health(self) -> dict[str, Any]:
        """PLC, Odoo and database state, last sync, alert and stuck batches, for API and window."""
        now = utc_now()
        try:
            batches = await self.db(self.store.list_batches, self.line)
            database = {"state": "OK", "error": None}
        except Exception as exc:  # noqa: BLE001 - report, do not raise
            batches = []
            database = {"state": "FAULT", "error": str(exc)}
        monitor = self.health_monitor
        stuck = monitor.stuck_batches(batches, now)
        plc: dict[str, Any] = {"enabled": self.plc is not None}
        if self.plc is not None:
            plc.update(
                state=self.plc.state.value,
                endpoint=self.plc.endpoint,
                last_good_read=self.plc.last_good_read.isoformat() if self.plc.last_good_read else None,
                last_error=self.plc.last_error,
            )
        odoo_state = "UNKNOWN"
        if self.odoo.last_error:
            odoo_state = "FAULT"
        elif self.odoo.last_contact:
            odoo_state = "OK"
        plc_status = monitor.plc_status(now)
        plc["quality"] = plc_status.quality.value
        healthy = database["state"] == "OK" and monitor.alert is None and plc_status.healthy
        return {
            "status": "ok" if healthy else "degraded",
            "time": now.isoformat(),
            "plc": plc,
            "odoo": {
                "state": odoo_state,
                "last_contact": self.odoo.last_contact.isoformat() if self.odoo.last_contact else None,
                "last_error": self.odoo.last_error or None,
            },
            "database": database,
            "last_sync": monitor.last_sync.as_dict() if monitor.last_sync else None,
            "consecutive_sync_failures": monitor.consecutive_failures,
            "alert": monitor.alert,
            "stuck_batches": [batch_summary(b) for b in stuck],
            "attention_batches": [batch_summary(b) for b in batches if b.needs_attention],
            "scheduler": self.scheduler.status() if self.scheduler else None,
        }


__all__ = ["AdminService", "SchedulerControl"]

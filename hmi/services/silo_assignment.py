"""SiloAssignmentService: read and replace the silo assignment (window, admin API and tests call this)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from hmi.silo_assignment import SiloAssignment
from hmi.store import DbRunner
from hmi.store.silo_assignment import SiloAssignmentStore

if TYPE_CHECKING:
    from hmi.odoo import AsyncOdooClient

log = logging.getLogger("hmi.silo_assignment")


class SiloAssignmentService:
    def __init__(self, store: SiloAssignmentStore, db: DbRunner, odoo: "AsyncOdooClient | None" = None) -> None:
        self.store = store
        self.db = db
        self.odoo = odoo

    @property
    def can_search_products(self) -> bool:
        """Odoo's products can be searched by reference or name (the stock protocols only)."""
        return self.odoo is not None and self.odoo.protocol != "grt_scada"

    async def search_products(self, text: str) -> list[tuple[str, str]]:
        """(internal reference, name) of the Odoo products matching ``text``."""
        if self.odoo is None:
            return []
        return await self.odoo.search_products(text)

    async def get(self) -> SiloAssignment:
        return await self.db(self.store.load)

    async def replace(self, assignment: SiloAssignment, actor: str) -> list[str]:
        """Replace the whole table atomically; every change is in system_log with the actor."""
        _previous, changes = await self.db(self.store.replace, assignment, actor)
        if changes:
            log.info("Silo assignment replaced by %s: %d change(s)", actor, len(changes))
        return changes

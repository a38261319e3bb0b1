"""SiloAssignmentService: read and replace the silo assignment (window, admin API and tests call this)."""

from __future__ import annotations

import logging

from hmi.silo_assignment import SiloAssignment
from hmi.store import DbRunner
from hmi.store.silo_assignment import SiloAssignmentStore

log = logging.getLogger("hmi.silo_assignment")


class SiloAssignmentService:
    def __init__(self, store: SiloAssignmentStore, db: DbRunner) -> None:
        self.store = store
        self.db = db

    async def get(self) -> SiloAssignment:
        return await self.db(self.store.load)

    async def replace(self, assignment: SiloAssignment, actor: str) -> list[str]:
        """Replace the whole table atomically; every change is in system_log with the actor."""
        _previous, changes = await self.db(self.store.replace, assignment, actor)
        if changes:
            log.info("Silo assignment replaced by %s: %d change(s)", actor, len(changes))
        return changes

"""ReadingRecorder: keeps the dosing samples of the batches on the PLC and reads them back for dosing curves.

The poll hands each applied reading to :meth:`observe`; only values that changed since the
last poll become samples (a batch that sits still for an hour writes nothing). At the end of a
poll round :meth:`flush` writes the round's samples in one INSERT through the DbRunner, so the
poll does one extra statement only in rounds where something moved. A failed write keeps the
samples (bounded) for the next round and is logged once per outage.

Samples older than READINGS_RETENTION_DAYS are deleted in small steps by :meth:`prune_if_due`
(at most once an hour, from the runtime's heartbeat, never from the poll).
"""

from __future__ import annotations

import asyncio
import logging
import math
from datetime import datetime, timedelta
from typing import Callable

from hmi.domain import ALL_SILOS, Batch, PlcSlotReading
from hmi.services.messages import first_line
from hmi.clock import utc_now
from hmi.store.readings import ReadingsStore
from hmi.records import FINISHED_WEIGHT, Sample
from hmi.store.runner import DbRunner

log = logging.getLogger("hmi.readings")

#: Samples kept while the database is away; beyond this the oldest are dropped (and said so).
MAX_PENDING_SAMPLES = 20_000
PRUNE_EVERY = timedelta(hours=1)
PRUNE_STEP_ROWS = 5000


class ReadingRecorder:
    def __init__(self, store: ReadingsStore, db: DbRunner, retention_days: int = 90,
                 clock: Callable[[], datetime] = utc_now, max_kg_per_silo: float = math.inf) -> None:
        """``max_kg_per_silo``: a silo value above it is not kept (the poll rejects it too)."""
        self.store = store
        self.db = db
        self.retention = timedelta(days=retention_days)
        self.clock = clock
        self.max_kg_per_silo = max_kg_per_silo
        self._last: dict[tuple[str, int], dict[str, float]] = {}
        self._pending: list[Sample] = []
        self._failing = False
        self._dropped = 0
        self._last_prune: datetime | None = None

    def observe(self, reading: PlcSlotReading, batch: Batch, now: datetime | None = None) -> int:
        """Queue the values of ``reading`` that differ from the batch's previous ones; returns how many."""
        now = now or self.clock()
        key = (batch.mo_id, batch.batch_no)
        last = self._last.setdefault(key, {})
        values = {silo.label: reading.actual_kg.get(silo) for silo in ALL_SILOS}
        values[FINISHED_WEIGHT] = reading.weight_finished_good
        queued = 0
        for silo, kg in values.items():
            if kg is None or not math.isfinite(kg) or kg < 0:
                continue
            if silo != FINISHED_WEIGHT and kg > self.max_kg_per_silo:
                continue
            previous = last.get(silo)
            # A silo's first value is worth a sample only once it moved off zero; later any change.
            if (previous is None and kg == 0.0) or previous == kg:
                continue
            last[silo] = kg
            self._pending.append(Sample(batch.mo_id, batch.batch_no, batch.equipment_code, silo, now, float(kg)))
            queued += 1
        return queued

    def forget_except(self, keys: set[tuple[str, int]]) -> None:
        """Drop the remembered values of batches that left the PLC's READ area."""
        for key in [k for k in self._last if k not in keys]:
            del self._last[key]

    @property
    def pending(self) -> int:
        return len(self._pending)

    async def samples_of(self, mo_id: str, batch_no: int | None = None,
                         since: datetime | None = None) -> list[Sample]:
        """The stored samples of one batch, oldest first (``since``: only the newer ones), for its dosing
        curve in the window; read through the DbRunner."""
        return await self.db(self.store.samples_of, mo_id, batch_no, since)

    async def flush(self) -> int:
        """Write the queued samples in one transaction; returns how many were written."""
        if not self._pending:
            return 0
        samples, self._pending = self._pending, []
        try:
            written = await self.db(self.store.record, samples)
        except Exception as exc:  # noqa: BLE001 - database away: keep them for the next round
            self._pending = (samples + self._pending)
            overflow = len(self._pending) - MAX_PENDING_SAMPLES
            if overflow > 0:
                del self._pending[:overflow]
                self._dropped += overflow
            if not self._failing:
                self._failing = True
                # A warning: the poll already reports the database outage itself as the error it is.
                log.warning("Cannot store dosing samples, they are kept until the database is back: %s",
                            first_line(exc))
            return 0
        if self._failing:
            self._failing = False
            lost = f"; {self._dropped} older sample(s) were dropped meanwhile" if self._dropped else ""
            log.info("Dosing samples are stored again%s", lost)
            self._dropped = 0
        return written

    async def prune_if_due(self, now: datetime | None = None) -> int:
        """Delete samples older than the retention, in small transactions; at most once an hour."""
        now = now or self.clock()
        if self._last_prune is not None and now - self._last_prune < PRUNE_EVERY:
            return 0
        self._last_prune = now
        return await self.prune(now)

    async def prune(self, now: datetime | None = None) -> int:
        cutoff = (now or self.clock()) - self.retention
        total = 0
        while True:
            deleted = await self.db(self.store.prune_step, cutoff, PRUNE_STEP_ROWS)
            total += deleted
            if deleted < PRUNE_STEP_ROWS:
                break
            await asyncio.sleep(0.05)  # let polls and the window's reads go first
        if total:
            log.info("Deleted %d dosing sample(s) older than %d days", total, self.retention.days)
        return total

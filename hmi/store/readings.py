"""ReadingsStore: the dosing samples of batch_readings (write in batches, read per batch, prune).

Blocking SQLAlchemy calls, one transaction each; callers run them through the DbRunner.
"""

from __future__ import annotations

from datetime import datetime
from typing import Sequence

from sqlalchemy import Engine, delete, func, insert, select

from hmi.clock import as_utc
from hmi.records import Sample
from hmi.store.models import batch_readings


class ReadingsStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def record(self, samples: Sequence[Sample]) -> int:
        """Store ``samples`` in one multi-row INSERT (one transaction)."""
        if not samples:
            return 0
        rows = [{"mo_id": s.mo_id, "batch_no": s.batch_no, "equipment_id_batch": s.equipment_code,
                 "silo": s.silo, "recorded_at": s.recorded_at, "kg": s.kg} for s in samples]
        with self.engine.begin() as conn:
            conn.execute(insert(batch_readings), rows)
        return len(rows)

    def samples_of(self, mo_id: str, batch_no: int | None = None, since: datetime | None = None) -> list[Sample]:
        """The samples of one batch, oldest first (``since``: only the newer ones, for live updates)."""
        query = select(batch_readings).where(batch_readings.c.mo_id == mo_id)
        if batch_no is not None:
            query = query.where(batch_readings.c.batch_no == batch_no)
        if since is not None:
            query = query.where(batch_readings.c.recorded_at > since)
        query = query.order_by(batch_readings.c.recorded_at, batch_readings.c.id)
        with self.engine.connect() as conn:
            return [Sample(r["mo_id"], r["batch_no"], r["equipment_id_batch"], r["silo"],
                           as_utc(r["recorded_at"]), float(r["kg"]))
                    for r in conn.execute(query).mappings()]

    def first_sample_time(self, mo_id: str, batch_no: int | None = None) -> datetime | None:
        """When the batch's first change was seen on the PLC (its start, where recorded)."""
        query = select(func.min(batch_readings.c.recorded_at)).where(batch_readings.c.mo_id == mo_id)
        if batch_no is not None:
            query = query.where(batch_readings.c.batch_no == batch_no)
        with self.engine.connect() as conn:
            return as_utc(conn.execute(query).scalar_one())

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(batch_readings)).scalar_one())

    def prune_step(self, older_than: datetime, limit: int = 5000) -> int:
        """Delete at most ``limit`` samples recorded before ``older_than``; returns how many.

        Small steps keep each transaction (and the lock it holds on SQLite) short; the caller
        repeats until a step deletes fewer than ``limit``.
        """
        oldest = (select(batch_readings.c.id).where(batch_readings.c.recorded_at < older_than)
                  .order_by(batch_readings.c.recorded_at).limit(limit))
        with self.engine.begin() as conn:
            ids = list(conn.execute(oldest).scalars())
            if not ids:
                return 0
            return conn.execute(delete(batch_readings).where(batch_readings.c.id.in_(ids))).rowcount

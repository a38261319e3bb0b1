"""The manual-booking list: what a PLC dosed for batches that produced nothing Odoo books.

A failed, cancelled or cleared batch with dosed actuals left raw material out of the silos that
neither protocol can book on its (cancelled or held) MO. :func:`record_for` writes one row per silo
in the transaction that archives the batch (so each archived batch is listed exactly once, and
never lost); the rows stay open until a person marks them booked in Odoo (who, when).
"""

from __future__ import annotations

from datetime import datetime
from typing import Sequence

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.engine import Connection, RowMapping

from hmi.clock import as_utc
from hmi.domain import ALL_SILOS
from hmi.records import DosedBooking
from hmi.store.models import dosed_bookings


def record_for(conn: Connection, rows: Sequence[RowMapping], outcome: str, at: datetime) -> int:
    """One open row per silo with a dosed actual > 0 of these batch rows (being archived as ``outcome``)."""
    values = []
    for row in rows:
        for silo in ALL_SILOS:
            kg = row[silo.actual_column]
            if kg is not None and kg > 0:
                values.append({"mo_id": row["mo_id"], "line": row["equipment_id_batch"] or "",
                               "batch_no": row["batch_no"], "outcome": outcome, "component": silo.odoo_code,
                               "component_name": row[silo.name_column], "kg": float(kg),
                               "note": row["hold_reason"], "recorded_at": at})
    if values:
        conn.execute(insert(dosed_bookings), values)
    return len(values)


def _booking(row: RowMapping) -> DosedBooking:
    return DosedBooking(row["id"], row["mo_id"], row["line"], row["batch_no"], row["outcome"], row["component"],
                        row["component_name"], row["kg"], row["note"], as_utc(row["recorded_at"]),
                        as_utc(row["booked_at"]), row["booked_by"])


class BookingStore:
    def __init__(self, engine: Engine, line: str | None = None) -> None:
        self.engine = engine
        self.line = line

    def _where(self, open_only: bool):
        where = []
        if self.line:
            where.append(dosed_bookings.c.line == self.line)
        if open_only:
            where.append(dosed_bookings.c.booked_at.is_(None))
        return where

    def list(self, open_only: bool = True, limit: int = 500) -> list[DosedBooking]:
        query = (select(dosed_bookings).where(*self._where(open_only))
                 .order_by(dosed_bookings.c.recorded_at, dosed_bookings.c.id).limit(limit))
        with self.engine.connect() as conn:
            return [_booking(row) for row in conn.execute(query).mappings()]

    def mark_booked(self, ids: Sequence[int], actor: str, at: datetime) -> list[int]:
        """Mark these open rows booked by ``actor``; returns those marked (already booked ones are left)."""
        with self.engine.begin() as conn:
            where = [dosed_bookings.c.id.in_(list(ids)), *self._where(True)]
            marked = list(conn.execute(select(dosed_bookings.c.id).where(*where)).scalars())
            if marked:
                conn.execute(update(dosed_bookings).where(dosed_bookings.c.id.in_(marked))
                             .values(booked_at=at, booked_by=actor))
        return sorted(marked)

"""The hand_add_lines table: components of a batch that no silo doses, weighed and added by hand.

The module-level functions take an open connection, so that the lines are written, archived and
removed in the same transaction as the batch rows they belong to (``BatchStore.insert_batches``,
``_archive_where``, ``remove_undownloaded``): a batch never exists without its checklist, and its
checklist never outlives it as an open list. ``HandAddStore`` holds the reads and the confirmation,
each one transaction.

Open lines have ``archived_at`` NULL; archiving stamps them (the history keeps them), it never
deletes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Sequence

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.engine import Connection, RowMapping

from hmi.domain import HandAddLine, HandAddSource, ManufacturingOrder
from hmi.clock import as_utc, utc_now
from hmi.store.models import hand_add_lines, mo_batch


def insert_for_orders(conn: Connection, orders: Iterable[ManufacturingOrder]) -> int:
    """Write the hand-added components of these MOs as open lines (inside the batch insert)."""
    now = utc_now()
    rows = [
        {"mo_id": mo.mo_id, "equipment_code": mo.equipment_code, "product_id": c.product_id,
         "product_name": c.product_name[:255], "target_kg": c.target_kg, "uom": (c.uom or "kg")[:16],
         "created_at": now}
        for mo in orders for c in mo.hand_added
    ]
    if rows:
        conn.execute(insert(hand_add_lines), rows)
    return len(rows)


def archive_for(conn: Connection, mo_ids: Sequence[str], archived_at: datetime) -> None:
    """The batches left mo_batch: their lines become part of the history."""
    if mo_ids:
        conn.execute(update(hand_add_lines)
                     .where(hand_add_lines.c.mo_id.in_(list(mo_ids)), hand_add_lines.c.archived_at.is_(None))
                     .values(archived_at=archived_at))


def delete_open_for(conn: Connection, mo_ids: Sequence[str]) -> None:
    """The batches were removed unarchived (a download that never reached the PLC): nothing to keep."""
    if mo_ids:
        conn.execute(delete(hand_add_lines)
                     .where(hand_add_lines.c.mo_id.in_(list(mo_ids)), hand_add_lines.c.archived_at.is_(None)))


def open_lines_for(conn: Connection, mo_ids: Sequence[str]) -> dict[str, tuple[HandAddLine, ...]]:
    """Open lines of these batches, by MO, in the order Odoo listed the components."""
    if not mo_ids:
        return {}
    query = (select(hand_add_lines)
             .where(hand_add_lines.c.mo_id.in_(list(mo_ids)), hand_add_lines.c.archived_at.is_(None))
             .order_by(hand_add_lines.c.mo_id, hand_add_lines.c.id))
    lines: dict[str, list[HandAddLine]] = {}
    for row in conn.execute(query).mappings():
        lines.setdefault(row["mo_id"], []).append(line_from_row(row))
    return {mo_id: tuple(found) for mo_id, found in lines.items()}


def line_from_row(row: RowMapping) -> HandAddLine:
    return HandAddLine(
        mo_id=row["mo_id"],
        product_id=row["product_id"],
        product_name=row["product_name"],
        target_kg=float(row["target_kg"]),
        uom=row["uom"],
        actual_kg=row["actual_kg"],
        confirmed_at=as_utc(row["confirmed_at"]),
        confirmed_by=row["confirmed_by"],
        source=HandAddSource(row["source"]) if row["source"] else None,
    )


class LineNotFound(Exception):
    """No open hand-add line for this MO and product."""


class BatchAlreadyReported(Exception):
    """The batch's actuals went to Odoo already: a confirmation now would never reach it."""


@dataclass(frozen=True)
class Confirmation:
    line: HandAddLine
    #: The amount confirmed before (a correction), if any.
    previous_kg: float | None


class HandAddStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def open_lines(self, mo_id: str) -> tuple[HandAddLine, ...]:
        with self.engine.connect() as conn:
            return open_lines_for(conn, [mo_id]).get(mo_id, ())

    def archived_lines(self, mo_id: str) -> tuple[HandAddLine, ...]:
        """The lines of this MO's archived batches (newest archive first), for the history."""
        query = (select(hand_add_lines)
                 .where(hand_add_lines.c.mo_id == mo_id, hand_add_lines.c.archived_at.is_not(None))
                 .order_by(hand_add_lines.c.archived_at.desc(), hand_add_lines.c.id))
        with self.engine.connect() as conn:
            return tuple(line_from_row(row) for row in conn.execute(query).mappings())

    def confirm(self, mo_id: str, product_id: int, actual_kg: float, actor: str, source: HandAddSource,
                now: datetime | None = None) -> Confirmation:
        """Record the weighed amount of one open line; refused once the batch was reported to Odoo."""
        now = now or utc_now()
        with self.engine.begin() as conn:
            batch = conn.execute(
                select(mo_batch.c.update_odoo).where(mo_batch.c.mo_id == mo_id).with_for_update()
            ).first()
            row = conn.execute(
                select(hand_add_lines).where(hand_add_lines.c.mo_id == mo_id,
                                             hand_add_lines.c.product_id == product_id,
                                             hand_add_lines.c.archived_at.is_(None))
            ).mappings().first()
            if batch is None or row is None:
                raise LineNotFound(f"MO {mo_id} has no open hand-added component with product id {product_id}")
            if batch.update_odoo:
                raise BatchAlreadyReported(f"MO {mo_id} was already reported to Odoo")
            conn.execute(update(hand_add_lines).where(hand_add_lines.c.id == row["id"]).values(
                actual_kg=actual_kg, confirmed_at=now, confirmed_by=actor[:128], source=source.value))
            updated = conn.execute(select(hand_add_lines).where(hand_add_lines.c.id == row["id"])).mappings().one()
        return Confirmation(line_from_row(updated), row["actual_kg"] if row["confirmed_at"] is not None else None)


__all__ = ["BatchAlreadyReported", "Confirmation", "HandAddStore", "LineNotFound"]

"""BatchStore: every read and write of mo_batch / mo_histories, each call one transaction.

The methods are blocking (SQLAlchemy sync API); the services call them through their
database executor so the event loop never waits on the database.

Guarantees the rest of the product relies on:
- ``insert_batches`` stores all rows or none, and (with ``require_empty``) only into an
  empty table for the line; on PostgreSQL a per-line advisory lock makes two instances
  that sync at the same moment store every MO once. The sync stores rows as ``pending``
  *before* it writes the PLC, so a batch that reached the PLC always has a row.
- a row that may have reached the PLC never simply disappears: ``remove_undownloaded`` only
  deletes rows the PLC is known not to hold, and ``clear``/``archive`` open a hold on the
  Held list in the same transaction (see hmi.store.holds).
- ``apply_plc_reading`` never modifies a row whose ``status_manufacturing`` is true: the
  UPDATE itself carries that condition, so not even a concurrent writer can slip past it.
- ``archive`` and ``clear`` copy to ``mo_histories`` and delete in one transaction.
"""

from __future__ import annotations

import hashlib
import logging
import math
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Mapping, Sequence

from sqlalchemy import Engine, and_, delete, func, insert, literal, select, text, update
from sqlalchemy.engine import Connection, RowMapping

from hmi.domain import (
    ALL_SILOS,
    Batch,
    DownloadState,
    HandAddLine,
    HistoryStatus,
    ManufacturingOrder,
    PlcSlotReading,
    SiloLine,
)
from hmi.store import hand_add, holds
from hmi.store.clock import as_utc as _as_utc
from hmi.store.clock import utc_now
from hmi.store.history import HistoryFilter, HistoryQueries, InvalidCursor
from hmi.store.holds import HeldMo
from hmi.store.models import HISTORY_COPY_COLUMNS, mo_batch, mo_histories, system_log

log = logging.getLogger("hmi.store")

#: Plausibility limit of the finished-goods weight (the origin's 1e7 kg).
MAX_FINISHED_WEIGHT_KG = 10_000_000.0


class TableNotEmpty(Exception):
    """insert_batches(require_empty=True) found rows for the line."""

    def __init__(self, count: int) -> None:
        super().__init__(f"mo_batch already holds {count} batches for this line")
        self.count = count


class DuplicateMo(Exception):
    """An MO to insert is already stored (in mo_batch) or listed twice."""


@dataclass(frozen=True)
class ReadingResult:
    """What apply_plc_reading did with one PLC slot reading."""

    outcome: str  # "updated", "skipped_done", "no_match"
    mo_id: str
    batch_no: int
    reason: str = ""
    rejected: tuple[str, ...] = ()
    became_done: bool = False
    became_failed: bool = False
    #: The row's download was not confirmed; this reading proves the PLC has the batch.
    became_downloaded: bool = False

    UPDATED = "updated"
    SKIPPED_DONE = "skipped_done"
    NO_MATCH = "no_match"


@dataclass(frozen=True)
class HistoryEntry:
    mo_id: str
    batch_no: int
    product_name: str | None
    quantity: float
    equipment_code: str
    status: str
    notes: str | None
    actor: str | None
    archived_at: datetime
    actual_weight: float | None
    silos: tuple[SiloLine, ...] = field(default=())


@dataclass(frozen=True)
class HistoryPage:
    entries: list[HistoryEntry]
    total: int
    limit: int
    offset: int
    #: Where the next page starts (None: this is the last page); see hmi.store.history.
    next_cursor: str | None = None
    #: ``total`` is an estimate (an MO search with more than COUNT_CAP matches).
    total_is_estimate: bool = False
    #: How the MO text is matched: "contains" or "starts with" (hmi.store.history.SearchMode).
    search_mode: str = "contains"


@dataclass(frozen=True)
class ClearResult:
    """What Clear did: how many batches it archived, and which MOs it put on the Held list."""

    count: int
    held: tuple[str, ...] = ()


def _line_lock_key(line: str | None) -> int:
    digest = hashlib.sha256(f"batch-hmi:mo_batch:{line or '*'}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class BatchStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.is_postgres = engine.dialect.name == "postgresql"
        self.history = HistoryQueries(engine)

    # ------------------------------------------------------------------ reads

    def _line_clause(self, table, line: str | None):
        return table.c.equipment_id_batch == line if line else literal(True)

    def count_batches(self, line: str | None = None) -> int:
        with self.engine.connect() as conn:
            return self._count(conn, line)

    def _count(self, conn: Connection, line: str | None) -> int:
        query = select(func.count()).select_from(mo_batch).where(self._line_clause(mo_batch, line))
        return int(conn.execute(query).scalar_one())

    def list_batches(self, line: str | None = None) -> list[Batch]:
        query = select(mo_batch).where(self._line_clause(mo_batch, line)).order_by(mo_batch.c.batch_no)
        with self.engine.connect() as conn:
            return self._batches(conn, conn.execute(query).mappings().all())

    def get_batch(self, mo_id: str) -> Batch | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(mo_batch).where(mo_batch.c.mo_id == mo_id)).mappings().first()
            return self._batches(conn, [row])[0] if row else None

    @staticmethod
    def _batches(conn: Connection, rows: Sequence[RowMapping]) -> list[Batch]:
        """Rows as batches, each with its hand-added checklist (one query for all of them)."""
        lines = hand_add.open_lines_for(conn, [row["mo_id"] for row in rows])
        return [batch_from_row(row, lines.get(row["mo_id"], ())) for row in rows]

    def done_batches_to_report(self, now: datetime, line: str | None = None) -> list[Batch]:
        """DONE rows not yet pushed to Odoo whose retry time has come, oldest batch first."""
        query = (
            select(mo_batch)
            .where(
                self._line_clause(mo_batch, line),
                mo_batch.c.status_manufacturing.is_(True),
                mo_batch.c.status_operation.is_(False),
                mo_batch.c.update_odoo.is_(False),
                mo_batch.c.needs_attention.is_(False),
            )
            .order_by(mo_batch.c.batch_no)
        )
        with self.engine.connect() as conn:
            rows = self._batches(conn, conn.execute(query).mappings().all())
        return [b for b in rows if b.next_push_at is None or b.next_push_at <= now]

    def failed_batches_to_cancel(self, now: datetime, line: str | None = None) -> list[Batch]:
        """Rows the PLC failed that are not yet cancelled in Odoo and whose retry time has come."""
        query = (
            select(mo_batch)
            .where(
                self._line_clause(mo_batch, line),
                mo_batch.c.status_operation.is_(True),
                mo_batch.c.odoo_cancelled.is_(False),
                mo_batch.c.needs_attention.is_(False),
            )
            .order_by(mo_batch.c.batch_no)
        )
        with self.engine.connect() as conn:
            rows = self._batches(conn, conn.execute(query).mappings().all())
        return [b for b in rows if b.next_push_at is None or b.next_push_at <= now]

    def undownloaded_batches(self, line: str | None = None) -> list[Batch]:
        """Rows whose download the PLC has not confirmed (pending or held), in batch order."""
        query = (
            select(mo_batch)
            .where(self._line_clause(mo_batch, line),
                   mo_batch.c.download_state != DownloadState.DOWNLOADED.value)
            .order_by(mo_batch.c.batch_no)
        )
        with self.engine.connect() as conn:
            return [batch_from_row(row) for row in conn.execute(query).mappings()]

    def completed_mo_ids(self, mo_ids: Sequence[str]) -> set[str]:
        """Which of these MOs were already dosed and archived as completed."""
        if not mo_ids:
            return set()
        query = select(mo_histories.c.mo_id).where(
            mo_histories.c.mo_id.in_(list(mo_ids)), mo_histories.c.status == HistoryStatus.COMPLETED.value
        )
        with self.engine.connect() as conn:
            return set(conn.execute(query).scalars())

    def held_mo_ids(self, mo_ids: Sequence[str]) -> set[str]:
        """Which of these MOs are on the Held list (not released)."""
        with self.engine.connect() as conn:
            return holds.held_ids(conn, mo_ids)

    def list_held(self, line: str | None = None) -> list[HeldMo]:
        with self.engine.connect() as conn:
            return holds.list_held(conn, line)

    # ------------------------------------------------------------------ writes

    def insert_batches(
        self,
        orders: Sequence[ManufacturingOrder],
        line: str | None = None,
        require_empty: bool = True,
        first_batch_no: int = 1,
        plc_keys: Mapping[str, str] | None = None,
        download_state: DownloadState = DownloadState.DOWNLOADED,
    ) -> int:
        """Store ``orders`` as batch_no first_batch_no.. in one transaction: all rows or none.

        ``plc_keys`` maps an MO to what the PLC's MO field will hold (default: the MO name).
        The sync stores ``download_state=PENDING`` before it writes the PLC, then marks the
        rows downloaded (two phases, so a crash in between leaves rows to settle, not MOs to
        download again).
        """
        ids = [mo.mo_id for mo in orders]
        if len(set(ids)) != len(ids):
            raise DuplicateMo("the same MO is listed twice in one insert")
        keys = plc_keys or {}
        rows = [order_to_row(mo, first_batch_no + index, keys.get(mo.mo_id, mo.mo_id), download_state)
                for index, mo in enumerate(orders)]
        if len({row["plc_key"] for row in rows}) != len(rows):
            raise DuplicateMo("two MOs of one insert would share the same PLC key")
        with self.engine.begin() as conn:
            if self.is_postgres:
                # Serialises syncs of one line across every instance sharing this database.
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _line_lock_key(line)})
            if require_empty:
                count = self._count(conn, line)
                if count:
                    raise TableNotEmpty(count)
            existing = conn.execute(select(mo_batch.c.mo_id).where(mo_batch.c.mo_id.in_(ids))).scalars().all()
            if existing:
                raise DuplicateMo(f"already in mo_batch: {', '.join(sorted(existing))}")
            if rows:
                conn.execute(insert(mo_batch), rows)
                hand_add.insert_for_orders(conn, orders)  # the checklist is stored with its batch or not at all
        return len(rows)

    def mark_downloaded(self, mo_ids: Sequence[str]) -> int:
        """The PLC has these batches: the download is settled."""
        with self.engine.begin() as conn:
            return conn.execute(
                update(mo_batch)
                .where(mo_batch.c.mo_id.in_(list(mo_ids)),
                       mo_batch.c.download_state != DownloadState.DOWNLOADED.value)
                .values(download_state=DownloadState.DOWNLOADED.value, hold_reason=None)
            ).rowcount

    def mark_held(self, mo_ids: Sequence[str], reason: str) -> int:
        """The PLC could not say whether it has these batches: hold them, never download them again."""
        with self.engine.begin() as conn:
            return conn.execute(
                update(mo_batch)
                .where(mo_batch.c.mo_id.in_(list(mo_ids)),
                       mo_batch.c.download_state != DownloadState.DOWNLOADED.value)
                .values(download_state=DownloadState.HELD.value, hold_reason=reason[:2000])
            ).rowcount

    def remove_undownloaded(self, mo_ids: Sequence[str]) -> int:
        """Delete rows the PLC is known not to hold (a download that failed before it landed).

        A downloaded row is never deleted here, whatever the caller passes.
        """
        where = and_(mo_batch.c.mo_id.in_(list(mo_ids)), mo_batch.c.download_state != DownloadState.DOWNLOADED.value)
        with self.engine.begin() as conn:
            removed = conn.execute(select(mo_batch.c.mo_id).where(where)).scalars().all()
            hand_add.delete_open_for(conn, removed)
            return conn.execute(delete(mo_batch).where(where)).rowcount

    def apply_plc_reading(self, reading: PlcSlotReading, max_kg_per_silo: float, now: datetime | None = None) -> ReadingResult:
        """Update the row matching the reading's batch_no AND PLC key, unless it is already DONE.

        ``reading.mo_id`` is what the PLC's MO field holds (the row's ``plc_key``); the result
        names the row's real MO. A reading is proof that the PLC holds the batch, so a row whose
        download was not settled yet becomes downloaded.
        """
        now = now or utc_now()
        with self.engine.begin() as conn:
            row = conn.execute(
                select(mo_batch).where(mo_batch.c.batch_no == reading.batch_no, mo_batch.c.plc_key == reading.mo_id)
            ).mappings().first()
            if row is None:
                return ReadingResult(ReadingResult.NO_MATCH, reading.mo_id, reading.batch_no,
                                     reason="no stored batch with this batch number and MO")
            mo_id = row["mo_id"]
            if row["status_manufacturing"]:
                return ReadingResult(ReadingResult.SKIPPED_DONE, mo_id, reading.batch_no,
                                     reason="the batch is already complete")

            values: dict[str, Any] = {"last_read_from_plc": now,
                                      "download_state": DownloadState.DOWNLOADED.value, "hold_reason": None}
            rejected: list[str] = []
            for silo in ALL_SILOS:
                kg = reading.actual_kg.get(silo)
                if kg is None:
                    continue
                if not (math.isfinite(kg) and 0.0 <= kg <= max_kg_per_silo):
                    rejected.append(f"silo {silo.label}: {kg:g} kg outside 0..{max_kg_per_silo:g}")
                    continue
                values[silo.actual_column] = kg
            weight = reading.weight_finished_good
            if math.isfinite(weight) and 0.0 <= weight <= MAX_FINISHED_WEIGHT_KG:
                values["actual_weight_quantity_finished_goods"] = weight
            else:
                rejected.append(f"finished weight: {weight:g} kg outside 0..{MAX_FINISHED_WEIGHT_KG:g}")
            values["status_manufacturing"] = reading.status_manufacturing
            values["status_operation"] = reading.status_operation

            result = conn.execute(
                update(mo_batch)
                .where(mo_batch.c.id == row["id"], mo_batch.c.status_manufacturing.is_(False))
                .values(**values)
            )
            if result.rowcount == 0:  # completed between our read and our write
                return ReadingResult(ReadingResult.SKIPPED_DONE, mo_id, reading.batch_no,
                                     reason="the batch is already complete")
        return ReadingResult(
            ReadingResult.UPDATED,
            mo_id,
            reading.batch_no,
            rejected=tuple(rejected),
            became_done=reading.status_manufacturing,
            became_failed=reading.status_operation and not row["status_operation"],
            became_downloaded=row["download_state"] != DownloadState.DOWNLOADED.value,
        )

    def archive(
        self,
        mo_id: str,
        status: HistoryStatus,
        notes: str | None = None,
        actor: str | None = None,
        hold_reason: str | None = None,
    ) -> bool:
        """Copy the batch to mo_histories and delete it, in one transaction. False if not found.

        With ``hold_reason`` the MO goes on the Held list in the same transaction.
        """
        with self.engine.begin() as conn:
            count, _ = self._archive_where(conn, mo_batch.c.mo_id == mo_id, status, notes, actor, hold_reason)
            return count == 1

    def clear(self, actor: str, line: str | None = None, notes: str = "Cleared by operator",
              hold_reason: str | None = "Cleared while on the PLC") -> ClearResult:
        """Archive every batch of the line as ``cleared`` (with who did it), then empty mo_batch.

        Every cleared MO reached the PLC (rows exist only for downloads), so each goes on the
        Held list unless ``hold_reason`` is None (the operator said the PLC was reset).
        """
        with self.engine.begin() as conn:
            count, held = self._archive_where(conn, self._line_clause(mo_batch, line), HistoryStatus.CLEARED,
                                              notes, actor, hold_reason)
        return ClearResult(count, tuple(held))

    def release(self, mo_ids: Sequence[str], reason: str, actor: str) -> list[str]:
        """Take these MOs off the Held list (the sync may fetch them again); returns those released."""
        with self.engine.begin() as conn:
            return holds.release(conn, mo_ids, reason, actor)

    def _archive_where(self, conn: Connection, where, status: HistoryStatus, notes, actor,
                       hold_reason: str | None = None) -> tuple[int, list[str]]:
        rows = conn.execute(select(mo_batch).where(where).with_for_update()).mappings().all()
        if not rows:
            return 0, []
        archived_at = utc_now()
        to_copy = rows
        if status is HistoryStatus.COMPLETED:
            # A batch whose completion is already on record (an archive whose answer was lost)
            # is removed without a second history row.
            recorded = set(conn.execute(
                select(mo_histories.c.mo_id).where(
                    mo_histories.c.mo_id.in_([row["mo_id"] for row in rows]),
                    mo_histories.c.status == HistoryStatus.COMPLETED.value,
                )
            ).scalars())
            to_copy = [row for row in rows if row["mo_id"] not in recorded]
            for mo_id in sorted(recorded):
                log.warning("MO %s was already archived as completed; removed from mo_batch without a second record",
                            mo_id, extra={"mo_id": mo_id})
        if to_copy:
            conn.execute(
                insert(mo_histories),
                [
                    {
                        **{name: row[name] for name in HISTORY_COPY_COLUMNS},
                        "id": uuid.uuid4(),
                        "status": status.value,
                        "notes": notes,
                        "actor": actor,
                        "archived_at": archived_at,
                    }
                    for row in to_copy
                ],
            )
        hand_add.archive_for(conn, [row["mo_id"] for row in rows], archived_at)
        held: list[str] = []
        if hold_reason is not None:
            held = holds.hold(conn, [(row["mo_id"], row["equipment_id_batch"]) for row in rows], hold_reason, actor)
        count = conn.execute(delete(mo_batch).where(mo_batch.c.id.in_([row["id"] for row in rows]))).rowcount
        return count, held

    def mark_reported(self, mo_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(mo_batch).where(mo_batch.c.mo_id == mo_id).values(update_odoo=True))

    def mark_cancelled_in_odoo(self, mo_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(mo_batch).where(mo_batch.c.mo_id == mo_id).values(odoo_cancelled=True))

    def record_push_failure(self, mo_id: str, error: str, next_push_at: datetime, max_attempts: int) -> tuple[int, bool]:
        """Count a failed report to Odoo (push, or cancel of a failed batch); returns (attempts so
        far, whether the batch now needs attention)."""
        with self.engine.begin() as conn:
            attempts = conn.execute(
                update(mo_batch)
                .where(mo_batch.c.mo_id == mo_id)
                .values(push_attempts=mo_batch.c.push_attempts + 1, last_push_error=error[:2000], next_push_at=next_push_at)
                .returning(mo_batch.c.push_attempts)
            ).scalar_one()
            attention = attempts >= max_attempts
            if attention:
                conn.execute(update(mo_batch).where(mo_batch.c.mo_id == mo_id).values(needs_attention=True))
        return attempts, attention

    def retry_push(self, mo_id: str) -> bool:
        """Operator asked to try an ATTENTION batch again: reset its push bookkeeping."""
        with self.engine.begin() as conn:
            return conn.execute(
                update(mo_batch)
                .where(mo_batch.c.mo_id == mo_id)
                .values(needs_attention=False, push_attempts=0, next_push_at=None)
            ).rowcount == 1

    # ------------------------------------------------------------------ history

    def history_page(
        self,
        status: str | None = None,
        mo_text: str | None = None,
        limit: int = 50,
        offset: int = 0,
        cursor: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> HistoryPage:
        """A page of mo_histories, newest first (hmi.store.history: keyset pages, cheap totals).

        ``cursor`` (a page's ``next_cursor``) continues after that page; ``offset`` is kept for
        old callers and costs what it always did. Raises InvalidCursor for a foreign cursor.
        """
        where = HistoryFilter(status or None, mo_text or None, since, until)
        rows, total, estimate, next_cursor = self.history.page(where, limit, cursor, offset)
        return HistoryPage([history_from_row(row) for row in rows], total, limit, 0 if cursor else offset,
                           next_cursor, estimate, self.history.search_mode()[0])

    def history_search(self) -> tuple[str, str]:
        """(mode, index) of the MO search: "contains" or "starts with", and what serves it."""
        return self.history.search_mode()

    # ------------------------------------------------------------------ audit log

    def write_log_records(self, records: Sequence[dict[str, Any]]) -> None:
        if records:
            with self.engine.begin() as conn:
                conn.execute(insert(system_log), list(records))

    def recent_log(self, limit: int = 200, line: str | None = None) -> list[dict[str, Any]]:
        """The newest records, of one line's instance when ``line`` is given."""
        query = select(system_log).order_by(system_log.c.id.desc()).limit(limit)
        if line is not None:
            query = query.where(system_log.c.line == line)
        with self.engine.connect() as conn:
            return [dict(row) for row in conn.execute(query).mappings()]


# ---------------------------------------------------------------------- row mapping


def order_to_row(mo: ManufacturingOrder, batch_no: int, plc_key: str | None = None,
                 download_state: DownloadState = DownloadState.DOWNLOADED) -> dict[str, Any]:
    row: dict[str, Any] = {
        "batch_no": batch_no,
        "mo_id": mo.mo_id,
        "plc_key": plc_key or mo.mo_id,
        "download_state": download_state.value,
        "consumption": mo.quantity,
        "equipment_id_batch": mo.equipment_code,
        "finished_goods": mo.product_name,
        "created_at": utc_now(),
    }
    for silo in ALL_SILOS:
        target = mo.targets.get(silo)
        row[silo.id_column] = silo.equipment_id
        row[silo.name_column] = target.component_name if target else None
        row[silo.target_column] = target.target_kg if target else None
    return row


#: (silo, name, target and actual column) once: reading a history page maps 50 rows x 15 silos.
_SILO_COLUMNS = tuple((silo, silo.name_column, silo.target_column, silo.actual_column) for silo in ALL_SILOS)


def _silo_lines(row: RowMapping) -> tuple[SiloLine, ...]:
    return tuple(SiloLine(silo, row[name], row[target], row[actual]) for silo, name, target, actual in _SILO_COLUMNS)


def _batch_data(row: RowMapping) -> dict[str, Any]:
    """The fields mo_batch and mo_histories share, in domain names."""
    return {
        "mo_id": row["mo_id"],
        "batch_no": row["batch_no"],
        "product_name": row["finished_goods"],
        "quantity": float(row["consumption"]),
        "equipment_code": row["equipment_id_batch"],
        "actual_weight": row["actual_weight_quantity_finished_goods"],
        "silos": _silo_lines(row),
    }


def batch_from_row(row: RowMapping, hand_added: Sequence[HandAddLine] = ()) -> Batch:
    return Batch(
        **_batch_data(row),
        status_manufacturing=bool(row["status_manufacturing"]),
        status_operation=bool(row["status_operation"]),
        last_read_from_plc=_as_utc(row["last_read_from_plc"]),
        created_at=_as_utc(row["created_at"]),
        update_odoo=bool(row["update_odoo"]),
        odoo_cancelled=bool(row["odoo_cancelled"]),
        push_attempts=row["push_attempts"],
        last_push_error=row["last_push_error"],
        next_push_at=_as_utc(row["next_push_at"]),
        needs_attention=bool(row["needs_attention"]),
        plc_key=row["plc_key"],
        download_state=DownloadState(row["download_state"]),
        hold_reason=row["hold_reason"],
        hand_added=tuple(hand_added),
    )


def history_from_row(row: RowMapping) -> HistoryEntry:
    return HistoryEntry(
        **_batch_data(row),
        status=row["status"],
        notes=row["notes"],
        actor=row["actor"],
        archived_at=_as_utc(row["archived_at"]),
    )


__all__ = [
    "BatchStore",
    "ClearResult",
    "HeldMo",
    "DuplicateMo",
    "HistoryEntry",
    "HistoryPage",
    "InvalidCursor",
    "ReadingResult",
    "TableNotEmpty",
    "batch_from_row",
    "utc_now",
]

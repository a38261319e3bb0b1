"""BatchStore: the live batch table (mo_batch) of a line, each call one transaction.

Its downloads (stored pending, then settled), the PLC's readings, and archiving rows to
mo_histories. The other jobs on the same tables are their own stores, reached through a
BatchStore's attributes: ``ledger`` (hmi.store.ledger), ``outbox`` (hmi.store.outbox: what must
still reach Odoo) and ``history`` (hmi.store.history: pages of mo_histories).

The methods are blocking (SQLAlchemy sync API); the services call them through their
database executor so the event loop never waits on the database.

Guarantees the rest of the product relies on:
- ``insert_batches`` stores all rows or none, and (with ``require_empty``) only into an
  empty table for the line; on PostgreSQL a per-line advisory lock makes two instances
  that sync at the same moment store every MO once. The sync stores rows as ``pending``
  *before* it writes the PLC, so a batch that reached the PLC always has a row.
- every MO stored for a download has a row in the dispatch ledger (hmi.store.dispatch),
  reserved in the same transaction as its batch row, and every later step moves that row in
  the same transaction as its own change; no method deletes a ledger row. A batch row that
  may have reached the PLC never simply disappears: ``remove_undownloaded`` only deletes rows
  the PLC is known not to hold, and ``clear``/``archive`` move the MO to ``held`` (or
  ``closed``/``released`` where that is what happened) in the same transaction.
- ``clear`` never removes a batch the PLC finished or failed: what must reach Odoo stays.
- with a fence (hmi.store.fencing), every write first checks that this instance still owns
  its line, and carries its epoch.
- ``apply_plc_reading`` never modifies a row whose ``status_manufacturing`` is true: the
  UPDATE itself carries that condition, so not even a concurrent writer can slip past it.
- ``archive`` and ``clear`` copy to ``mo_histories`` and delete in one transaction.
"""

from __future__ import annotations

import hashlib
import logging
import math
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping, Sequence

from sqlalchemy import Engine, and_, delete, func, insert, select, text, update
from sqlalchemy.engine import Connection, RowMapping

from hmi.domain import (
    ALL_SILOS, Batch, DispatchState, DownloadState, HistoryStatus, TableChanged,
    ManufacturingOrder, PlcSlotReading
)
from hmi.store import bookings, dispatch, hand_add
from hmi.clock import utc_now
from hmi.store.batch_rows import batch_from_row, batches_with_checklists, line_clause, order_to_row
from hmi.store.dispatch import SYSTEM, AlreadyDispatched
from hmi.store.fencing import FencedStore, LineFence
from hmi.store.history import HistoryQueries
from hmi.store.ledger import DispatchLedger
from hmi.store.models import HISTORY_COPY_COLUMNS, mo_batch, mo_dispatch, mo_histories
from hmi.store.outbox import ReportOutbox

log = logging.getLogger("hmi.store")

#: Plausibility limit of the finished-goods weight (the origin's 1e7 kg).
MAX_FINISHED_WEIGHT_KG = 10_000_000.0


class TableNotEmpty(Exception):
    """insert_batches(require_empty=True) found rows for the line."""

    def __init__(self, count: int) -> None:
        super().__init__(f"mo_batch already holds {count} batches for this line")
        self.count = count


class DuplicateMo(Exception):
    """An MO to insert is already stored (in mo_batch), dispatched before, or listed twice."""


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
class ClearResult:
    """What Clear did: how many batches it archived, which MOs it put on the Held list, which it
    released (the PLC was reset and they never started), and which stayed in the table because
    the PLC finished or failed them and that must still reach Odoo."""

    count: int
    held: tuple[str, ...] = ()
    released: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()


def _line_lock_key(line: str | None) -> int:
    digest = hashlib.sha256(f"batch-hmi:mo_batch:{line or '*'}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class BatchStore(FencedStore):
    """The live batch table of the line: its rows, their downloads, the PLC's readings, and
    archiving them. The other jobs on the same rows are their own stores, sharing the engine and
    the fence: ``ledger`` (the dispatch ledger's reads and the Held list, hmi.store.ledger),
    ``outbox`` (what must still reach Odoo, hmi.store.outbox) and ``history`` (mo_histories,
    hmi.store.history)."""

    def __init__(self, engine: Engine, fence: LineFence | None = None) -> None:
        super().__init__(engine, fence)
        self.ledger = DispatchLedger(engine, fence)
        self.outbox = ReportOutbox(engine, fence)
        self.history = HistoryQueries(engine)

    # ------------------------------------------------------------------ reads

    def count_batches(self, line: str | None = None) -> int:
        with self.engine.connect() as conn:
            return self._count(conn, line)

    def _count(self, conn: Connection, line: str | None) -> int:
        query = select(func.count()).select_from(mo_batch).where(line_clause(mo_batch, line))
        return int(conn.execute(query).scalar_one())

    def list_batches(self, line: str | None = None) -> list[Batch]:
        query = select(mo_batch).where(line_clause(mo_batch, line)).order_by(mo_batch.c.batch_no)
        with self.engine.connect() as conn:
            return batches_with_checklists(conn, conn.execute(query).mappings().all())

    def get_batch(self, mo_id: str) -> Batch | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(mo_batch).where(mo_batch.c.mo_id == mo_id)).mappings().first()
            return batches_with_checklists(conn, [row])[0] if row else None

    def undownloaded_batches(self, line: str | None = None) -> list[Batch]:
        """Rows whose download the PLC has not confirmed (pending or held), in batch order."""
        query = (
            select(mo_batch)
            .where(line_clause(mo_batch, line),
                   mo_batch.c.download_state != DownloadState.DOWNLOADED.value)
            .order_by(mo_batch.c.batch_no)
        )
        with self.engine.connect() as conn:
            return [batch_from_row(row) for row in conn.execute(query).mappings()]

    def plc_keys_in_use(self) -> set[str]:
        """The PLC keys of every batch in the table, on every line (a new key must differ from all)."""
        with self.engine.connect() as conn:
            return set(conn.execute(select(mo_batch.c.plc_key)).scalars())

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
        for row in rows:
            row["epoch"] = self.epoch
        with self._writing() as conn:
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
            try:
                # The ledger row is committed with the batch row, before anything reaches the PLC.
                dispatch.reserve(conn, [(row["mo_id"], row["equipment_id_batch"], row["plc_key"]) for row in rows],
                                 self.epoch)
            except AlreadyDispatched as exc:
                raise DuplicateMo(str(exc)) from None
            if rows:
                conn.execute(insert(mo_batch), rows)
                hand_add.insert_for_orders(conn, orders)  # the checklist is stored with its batch or not at all
            if download_state is DownloadState.DOWNLOADED:
                dispatch.move(conn, ids, DispatchState.ON_PLC, epoch=self.epoch)
        return len(rows)

    def mark_downloaded(self, mo_ids: Sequence[str]) -> int:
        """The PLC has these batches: the download is settled (the ledger says on_plc). Returns
        how many rows changed; the caller compares it with what it asked for."""
        with self._writing() as conn:
            changed = conn.execute(
                update(mo_batch)
                .where(mo_batch.c.mo_id.in_(list(mo_ids)),
                       mo_batch.c.download_state != DownloadState.DOWNLOADED.value)
                .values(download_state=DownloadState.DOWNLOADED.value, hold_reason=None, epoch=self.epoch)
            ).rowcount
            dispatch.move(conn, mo_ids, DispatchState.ON_PLC, epoch=self.epoch)
            return changed

    def mark_writing(self, mo_ids: Sequence[str]) -> int:
        """The PLC write of these pending rows starts now: from here on, a PLC that shows nothing of
        them may have taken and lost them (a reset at its panel), so they are no longer "certainly
        not on the PLC" after a crash."""
        with self._writing() as conn:
            return conn.execute(
                update(mo_batch)
                .where(mo_batch.c.mo_id.in_(list(mo_ids)), mo_batch.c.download_state == DownloadState.PENDING.value)
                .values(download_state=DownloadState.WRITING.value)
            ).rowcount

    def mark_not_written(self, mo_ids: Sequence[str]) -> int:
        """The write of these rows failed before its handshake word, which the PLC waits for: they are
        pending again (not on the PLC)."""
        with self._writing() as conn:
            return conn.execute(
                update(mo_batch)
                .where(mo_batch.c.mo_id.in_(list(mo_ids)), mo_batch.c.download_state == DownloadState.WRITING.value)
                .values(download_state=DownloadState.PENDING.value)
            ).rowcount

    def mark_held(self, mo_ids: Sequence[str], reason: str, partial: bool = False) -> int:
        """The PLC could not say whether it has these batches: hold them, never download them again.

        ``partial``: the PLC holds only part of the download; the rest is held in the ledger too,
        so no later sync can take its absence from the PLC as "never downloaded"."""
        with self._writing() as conn:
            changed = conn.execute(
                update(mo_batch)
                .where(mo_batch.c.mo_id.in_(list(mo_ids)),
                       mo_batch.c.download_state != DownloadState.DOWNLOADED.value)
                .values(download_state=DownloadState.HELD.value, hold_reason=reason[:2000])
            ).rowcount
            if partial:
                dispatch.move(conn, mo_ids, DispatchState.HELD, epoch=self.epoch, reason=reason)
            return changed

    def remove_undownloaded(self, mo_ids: Sequence[str]) -> int:
        """Delete rows the PLC is known not to hold (a download that failed before it landed); their
        ledger rows become ``released`` by the system (recorded), so the MOs may be fetched again.

        Only rows whose ledger row is still ``reserved`` go: never a downloaded row, never one the
        ledger holds (the rest of a partial download), whatever the caller passes.
        """
        with self._writing() as conn:
            reserved = set(conn.execute(
                select(mo_dispatch.c.mo_id).where(
                    mo_dispatch.c.mo_id.in_(list(mo_ids)),
                    mo_dispatch.c.state == DispatchState.RESERVED.value)).scalars())
            where = and_(mo_batch.c.mo_id.in_(sorted(reserved)),
                         mo_batch.c.download_state != DownloadState.DOWNLOADED.value)
            removed = conn.execute(select(mo_batch.c.mo_id).where(where)).scalars().all()
            hand_add.delete_open_for(conn, removed)
            count = conn.execute(delete(mo_batch).where(where)).rowcount
            dispatch.move(conn, removed, DispatchState.RELEASED, epoch=self.epoch, actor=SYSTEM,
                          reason="the PLC did not take this download")
            return count

    def apply_plc_reading(self, reading: PlcSlotReading, max_kg_per_silo: float, now: datetime | None = None,
                          line: str | None = None) -> ReadingResult:
        """Update the row of ``line`` matching the reading's batch_no AND PLC key, unless it is already DONE.

        ``reading.mo_id`` is what the PLC's MO field holds (the row's ``plc_key``); the result
        names the row's real MO. A reading is proof that the PLC holds the batch, so a row whose
        download was not settled yet becomes downloaded. The reading that says the PLC finished
        (or failed) the batch moves its ledger row in the same transaction: from then on the
        stored actuals are what must reach Odoo, and no later reading changes them.
        """
        now = now or utc_now()
        with self._writing() as conn:
            row = conn.execute(
                select(mo_batch).where(mo_batch.c.batch_no == reading.batch_no, mo_batch.c.plc_key == reading.mo_id,
                                       line_clause(mo_batch, line))
            ).mappings().first()
            if row is None:
                return ReadingResult(ReadingResult.NO_MATCH, reading.mo_id, reading.batch_no,
                                     reason="no stored batch with this batch number and MO")
            mo_id = row["mo_id"]
            if row["status_manufacturing"]:
                return ReadingResult(ReadingResult.SKIPPED_DONE, mo_id, reading.batch_no,
                                     reason="the batch is already complete")

            values: dict[str, Any] = {"last_read_from_plc": now, "epoch": self.epoch,
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
            refused_final = ""
            if reading.status_manufacturing and not reading.status_operation and rejected:
                # The final reading is what would reach Odoo: with a value refused, the row still holds an
                # earlier reading. Held for a person (ATTENTION), never pushed with those stale figures.
                refused_final = _refused_final_reason(row, reading, max_kg_per_silo)
                values.update(needs_attention=True, hold_reason=refused_final[:2000],
                              last_push_error=refused_final[:2000])
            elif reading.status_operation and rejected:
                # A failed batch is cancelled as always; what it dosed goes on the manual-booking list with
                # this note, so the person booking it knows the figures are the last accepted ones.
                values["hold_reason"] = _refused_final_reason(row, reading, max_kg_per_silo, failed=True)[:2000]

            result = conn.execute(
                update(mo_batch)
                .where(mo_batch.c.id == row["id"], mo_batch.c.status_manufacturing.is_(False))
                .values(**values)
            )
            if result.rowcount == 0:  # completed between our read and our write
                return ReadingResult(ReadingResult.SKIPPED_DONE, mo_id, reading.batch_no,
                                     reason="the batch is already complete")
            dispatch.move(conn, [mo_id], DispatchState.ON_PLC, epoch=self.epoch)
            if reading.status_operation:
                dispatch.move(conn, [mo_id], DispatchState.FAILED, epoch=self.epoch, reason="the PLC failed the batch")
            elif reading.status_manufacturing:
                dispatch.move(conn, [mo_id], DispatchState.FINISHED, epoch=self.epoch)
        return ReadingResult(
            ReadingResult.UPDATED,
            mo_id,
            reading.batch_no,
            reason=refused_final,
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

        The ledger row moves with it: ``completed`` and ``cancelled`` end the MO (closed); with
        ``hold_reason`` the MO goes on the Held list instead.
        """
        with self._writing() as conn:
            count = self._archive_where(conn, mo_batch.c.mo_id == mo_id, status, notes, actor)
            if count:
                if hold_reason is not None:
                    dispatch.move(conn, [mo_id], DispatchState.HELD, epoch=self.epoch, actor=actor or SYSTEM,
                                  reason=hold_reason)
                else:
                    dispatch.move(conn, [mo_id], DispatchState.CLOSED, epoch=self.epoch, actor=actor or SYSTEM,
                                  reason=notes)
            return count == 1

    def clear(self, actor: str, line: str | None = None, notes: str = "Cleared by operator",
              plc_was_reset: bool = False, mo_ids: Sequence[str] | None = None,
              hold_reason: str | None = None) -> ClearResult:
        """Archive the line's batches as ``cleared`` (with who did it), except those the PLC finished
        or failed: what they must report to Odoo stays in the table until it is reported.

        ``mo_ids``: the batches the operator was shown; if the table holds others now (a sync or
        completion ran meanwhile), nothing is cleared and :class:`TableChanged` names what it holds.
        Every cleared MO goes on the Held list (it reached the PLC, which may still hold or dose it),
        except, when ``plc_was_reset``, those that never started dosing: they are released.
        """
        hold_reason = hold_reason or f"Cleared by {actor} while on the PLC"
        with self._writing() as conn:
            rows = conn.execute(select(mo_batch).where(line_clause(mo_batch, line)).with_for_update()
                                ).mappings().all()
            if mo_ids is not None and set(mo_ids) != {row["mo_id"] for row in rows}:
                raise TableChanged(sorted(row["mo_id"] for row in rows))
            kept = [row["mo_id"] for row in rows if row["status_manufacturing"] or row["status_operation"]]
            cleared = [row for row in rows if row["mo_id"] not in kept]
            released = [row["mo_id"] for row in cleared if plc_was_reset and not _dosing_started(row)]
            held = [row["mo_id"] for row in cleared if row["mo_id"] not in released]
            count = self._archive_where(conn, mo_batch.c.mo_id.in_([row["mo_id"] for row in cleared]),
                                        HistoryStatus.CLEARED, notes, actor) if cleared else 0
            dispatch.move(conn, released, DispatchState.RELEASED, epoch=self.epoch, actor=actor,
                          reason="Cleared: the PLC was reset and the batch had not started")
            dispatch.move(conn, held, DispatchState.HELD, epoch=self.epoch, actor=actor, reason=hold_reason)
        return ClearResult(count, tuple(held), tuple(released), tuple(kept))

    def _archive_where(self, conn: Connection, where, status: HistoryStatus, notes, actor) -> int:
        rows = conn.execute(select(mo_batch).where(where).with_for_update()).mappings().all()
        if not rows:
            return 0
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
                        # The DONE reading (no later reading changes a finished row), else the last one.
                        "dosed_at": row["last_read_from_plc"] or archived_at,
                    }
                    for row in to_copy
                ],
            )
        hand_add.archive_for(conn, [row["mo_id"] for row in rows], archived_at)
        if status is not HistoryStatus.COMPLETED:
            # What the PLC dosed for a batch Odoo books nothing of: on the manual-booking list, once.
            bookings.record_for(conn, rows, status.value, archived_at)
        return conn.execute(delete(mo_batch).where(mo_batch.c.id.in_([row["id"] for row in rows]))).rowcount


# ---------------------------------------------------------------------- rows


def _refused_final_reason(row: RowMapping, reading: PlcSlotReading, max_kg_per_silo: float,
                          failed: bool = False) -> str:
    """Why a finished batch is held (or what a failed batch's booking must know): each refused final
    value beside the last accepted one."""
    parts = []
    for silo in ALL_SILOS:
        kg = reading.actual_kg.get(silo)
        if kg is None or (math.isfinite(kg) and 0.0 <= kg <= max_kg_per_silo):
            continue
        before = row[silo.actual_column]
        parts.append(f"silo {silo.label} read {kg:g} kg (outside 0..{max_kg_per_silo:g} kg), last accepted "
                     + (f"{before:g} kg" if before is not None else "none"))
    weight = reading.weight_finished_good
    if not (math.isfinite(weight) and 0.0 <= weight <= MAX_FINISHED_WEIGHT_KG):
        before = row["actual_weight_quantity_finished_goods"]
        parts.append(f"finished weight read {weight:g} kg (outside 0..{MAX_FINISHED_WEIGHT_KG:g}), last accepted "
                     f"{before or 0:g} kg")
    if failed:
        return ("The PLC failed the batch and its last reading was refused: " + "; ".join(parts)
                + ". The figures kept are the last accepted ones: check what was dosed before booking it")
    return ("The PLC finished the batch but its final reading was refused: " + "; ".join(parts)
            + ". Not reported to Odoo with the earlier figures: check what was dosed, book it in Odoo, "
              "then Archive as failed")


def _dosing_started(row: RowMapping) -> bool:
    """The PLC reported something dosed for this batch (a started batch was produced, in part)."""
    return bool((row["actual_weight_quantity_finished_goods"] or 0) > 0
                or any((row[silo.actual_column] or 0) > 0 for silo in ALL_SILOS))


__all__ = [
    "BatchStore",
    "ClearResult",
    "DuplicateMo",
    "ReadingResult",
    "TableNotEmpty",
]
